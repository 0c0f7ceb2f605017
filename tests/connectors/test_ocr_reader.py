"""The OCR reader: scans read into the same report as text, misreads repaired or named uncertain.

The layout and repair path is tested on OCR-shaped lines made from a real text report (fast, no
engine); the engine itself on the kept scan in tests/fixtures/ocr (a generated report at 200 dpi,
turned, blurred, JPEG-noisy, with a red seal over table 三; bench/ocr_material.py --keep makes it),
skipped saying why when the engine is not installed.
"""

from __future__ import annotations

import io
import json

import numpy as np
import pytest
from PIL import Image

from connectors import ocr_engine, sniff
from connectors.ocr_engine import Box
from connectors.ocr_layout import BLANK, Token, as_number, lines_of
from connectors.ocr_reader import report_from_lines
from connectors.reading import reading_of
from form.record import Source
from tests.conftest import SAMPLES
from tests.connectors.kept_scan import OCR, SCAN, needs_engine

TEXT = SAMPLES / "海宁市人民政府办公室_2021.txt"
TRUTH = json.loads((SAMPLES / "海宁市人民政府办公室_2021.txt.truth.json").read_text(encoding="utf-8"))
SOURCE = Source(path="scan.png", sha256="0" * 64, media_type=sniff.PNG)


def _ocr_lines(misread: dict[str, tuple[str, float]] | None = None) -> list[list[Token]]:
    """The text report's lines as OCR gives them: words and values, every value read with full
    confidence except `misread` (printed text → (text read, confidence)), once each."""
    todo = dict(misread or {})
    lines = []
    for line in TEXT.read_text(encoding="utf-8").splitlines():
        row = []
        for word in line.split():
            if as_number(word) is not None and word in todo:
                text, conf = todo.pop(word)
                row.append(Token(text, conf, True))
            else:
                row.append(Token(word, 1.0, as_number(word) is not None))
        if row:
            lines.append(row)
    assert not todo, f"not printed: {todo}"
    return lines


def test_ocr_lines_build_the_same_report_as_the_text() -> None:
    report, fixed = report_from_lines(_ocr_lines(), SOURCE)
    assert (report.agency, report.year, report.version) == (TRUTH["agency"], TRUTH["year"], TRUTH["version"])
    assert report.cells == TRUTH["cells"]
    assert report.ocr == [] and not report.needs_review


def test_a_low_confidence_misread_is_corrected_and_recorded() -> None:
    printed = TRUTH["cells"]["t3.new.total"]
    wrong = str(printed).replace("1", "7", 1) if "1" in str(printed) else str(printed) + "8"
    report, _ = report_from_lines(_ocr_lines({str(printed): (wrong, 0.61)}), SOURCE)
    assert report.cells == TRUTH["cells"]
    [note] = report.ocr
    assert note.text == wrong and note.conf == 0.61 and note.value == printed and not note.uncertain
    assert not report.needs_review


def test_a_misread_the_identities_cannot_decide_holds_the_report_for_review() -> None:
    printed = TRUTH["cells"]["t3.new.total"]
    report, _ = report_from_lines(_ocr_lines({str(printed): ("?", 0.3), "0": ("?", 0.3)}), SOURCE)
    assert report.needs_review
    assert all(n.uncertain for n in report.ocr if n.value != TRUTH["cells"].get(n.cell))


def test_a_cell_read_blank_in_a_row_that_prints_its_zeros_is_uncertain() -> None:
    # 本年新收 prints 63 2 0 0 0 0 65: the layout found nothing where the research column's 0 is
    # (it puts a blank there); blank and 0 weigh alike in every identity, so only the row's way of
    # printing zero says it was a 0 OCR missed
    lines = _ocr_lines()
    start = next(i for i, row in enumerate(lines) if row[0].text.startswith("一、本年新收"))
    zero = next(i for i in range(start, len(lines)) if lines[i][0].text == "0")
    assert [t.text for row in lines[start + 1 : zero + 1] for t in row] == ["63", "2", "0"]
    lines[zero] = [Token(BLANK, 1.0, True)]
    report, _ = report_from_lines(lines, SOURCE)
    assert report.cells["t3.new.research"] is None and TRUTH["cells"]["t3.new.research"] == 0
    [note] = report.ocr
    assert note.cell == "t3.new.research" and note.uncertain and note.layout
    assert report.needs_review


def test_a_row_that_prints_zero_as_blank_is_read_as_printed() -> None:
    lines = _ocr_lines()
    start = next(i for i, row in enumerate(lines) if row[0].text.startswith("一、本年新收"))
    for i in range(start + 3, start + 7):
        assert lines[i][0].text == "0"
        lines[i] = [Token(BLANK, 1.0, True)]
    report, _ = report_from_lines(lines, SOURCE)
    assert [report.cells[f"t3.new.{c}"] for c in ("research", "social", "legal", "other")] == [None] * 4
    assert report.ocr == [] and not report.needs_review


def test_boxes_on_one_height_are_one_line() -> None:
    boxes = [Box(300, 102, 340, 126, "53", 1.0), Box(10, 100, 200, 128, "label", 1.0), Box(10, 160, 90, 186, "next", 1.0)]
    lines = lines_of(boxes)
    assert [[b.text for b in line] for line in lines] == [["label", "53"], ["next"]]


def test_lookalike_letters_in_a_number_cell_are_digits() -> None:
    assert as_number("1O") == "10" and as_number("l2") == "12" and as_number("合计") is None


def test_page_images_are_sniffed_as_images() -> None:
    for fmt, kind in (("PNG", sniff.PNG), ("JPEG", sniff.JPEG), ("TIFF", sniff.TIFF)):
        out = io.BytesIO()
        Image.new("RGB", (20, 20), "white").save(out, format=fmt)
        assert sniff.media_type(out.getvalue()) == kind


def test_red_is_taken_out_before_recognition() -> None:
    page = np.full((10, 30, 3), 255, dtype=np.uint8)
    page[:, :10] = (220, 30, 30)  # seal red
    page[:, 20:] = (20, 20, 20)  # black print
    gray = ocr_engine.ink(Image.fromarray(page))
    assert gray[:, :10].min() > 200 and gray[:, 20:].max() < 60


@needs_engine
@pytest.mark.slow
def test_the_kept_scan_reads_every_cell_right_or_names_it_uncertain() -> None:
    truth = json.loads((OCR / f"{SCAN.name}.truth.json").read_text(encoding="utf-8"))
    reading = reading_of(SCAN.read_bytes(), str(SCAN))
    assert reading.report is not None, reading.reason
    report = reading.report
    assert (report.agency, report.year, report.version) == (truth["agency"], truth["year"], truth["version"])
    uncertain = {n.cell for n in report.ocr if n.uncertain}
    wrong = {c for c, v in truth["cells"].items() if report.cells.get(c) != v}
    assert not wrong - uncertain, "silently wrong"
    assert len(wrong) <= len(truth["cells"]) // 100  # ≥ 99 % right at 200 dpi, seal and all


@needs_engine
@pytest.mark.slow
def test_a_blank_scan_is_one_line_reason() -> None:
    out = io.BytesIO()
    Image.new("RGB", (600, 800), "white").save(out, format="PDF")
    reading = reading_of(out.getvalue(), "blank.pdf")
    assert reading.report is None and reading.reason.startswith("image-only PDF: no text layer")
