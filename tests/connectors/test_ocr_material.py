"""The OCR bench's material is kept as what it is made from (bench/ocr-sources: the generated
reports as LibreOffice printed them) and made again byte for byte: the first scan of the set,
made here, is the one whose digest the kept manifest holds (the set the bench figures are of)."""

from __future__ import annotations

import hashlib
import importlib.util
import json
import random
from pathlib import Path

ROOT = Path(__file__).parents[2]


def _material():
    spec = importlib.util.spec_from_file_location("ocr_material", ROOT / "bench" / "ocr_material.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_kept_sources_are_fifty_generated_reports_with_their_truth() -> None:
    m = _material()
    kept = m._pdfs_in(m.SOURCES)
    assert len(kept) == 50
    assert all(truth["cells"] and truth["agency"] and truth["year"] for _, truth in kept)


def test_the_first_scan_of_the_set_is_made_again_byte_for_byte(tmp_path: Path) -> None:
    m = _material()
    manifest = m.manifest()
    assert sum(n.endswith((".pdf", ".tif")) for n in manifest) == 153
    pdf, truth = m._samples()[0]  # the set begins with the real sample, at 150 dpi, sealed
    out = tmp_path / f"{pdf.stem}_150dpi_seal.pdf"
    m.write_scan(m.scan(pdf, 150, random.Random(m.KEPT_SEED), seal=True), out, 150)
    assert hashlib.sha256(out.read_bytes()).hexdigest() == manifest[out.name]
    truth_name = f"{out.name}.truth.json"
    assert hashlib.sha256(json.dumps(truth, ensure_ascii=False, indent=1).encode()).hexdigest() == manifest[truth_name]
