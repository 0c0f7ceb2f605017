"""A scan's OCR notes as the findings the agency reads: what was repaired, what waits for a person."""

from __future__ import annotations

from expectations.ocr_findings import BLANK_SHOWN, ocr_findings
from form.record import OcrNote
from tests.expectations.builders import report


def test_a_repaired_and_an_uncertain_cell_are_one_finding_each() -> None:
    notes = [
        OcrNote(cell="t3.new.natural", text="1O7", conf=0.61, value=107),
        OcrNote(cell="t3.new.total", text="?", conf=0.0, value=None, uncertain=True),
    ]
    corrected, uncertain = ocr_findings(report().model_copy(update={"ocr": notes}))
    assert (corrected.rule, corrected.cells) == ("ocr.corrected", ["t3.new.natural"])
    assert "1O7" in corrected.message and "107" in corrected.message and "0.61" in corrected.message
    assert (uncertain.rule, uncertain.cells) == ("ocr.uncertain", ["t3.new.total"])


def test_a_cell_repaired_to_blank_shows_the_blank_mark() -> None:
    note = OcrNote(cell="t3.new.research", text="?", conf=0.0, value=None)
    [finding] = ocr_findings(report().model_copy(update={"ocr": [note]}))
    assert BLANK_SHOWN in finding.message and "None" not in finding.message
