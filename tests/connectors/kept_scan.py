"""The scan the repository keeps (tests/fixtures/ocr: a generated report at 200 dpi, sealed) and
the mark for tests that need the OCR engine, shared by the OCR tests."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from connectors import ocr_engine
from connectors.ocr_reader import _pdf_pages

OCR = Path(__file__).parents[1] / "fixtures" / "ocr"
SCAN = OCR / "sealed_200dpi.pdf"
needs_engine = pytest.mark.skipif(not ocr_engine.available(), reason="OCR engine (rapidocr-onnxruntime) not installed")


def table_rows(page: int = 1) -> np.ndarray:
    """The top of one of the kept scan's pages as the reader sees it (the second: table rows)."""
    pages = list(_pdf_pages(SCAN.read_bytes()))
    return ocr_engine.straighten(ocr_engine.ink(pages[page]))[:900]
