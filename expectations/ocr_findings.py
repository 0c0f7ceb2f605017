"""A scanned report's OCR notes as findings the agency reads in its quality report.

`connectors.ocr_reader` repairs misreads with `form.ocr_repair` and keeps what it did on the report
(`Report.ocr`); `expectations.checking` adds these findings to the checks' own.
"""

from __future__ import annotations

from form import catalogue as cat
from form import messages as msg
from form.ocr_repair import UNREAD
from form.record import Finding, Report
from form.rules import RULES_BY_ID

#: How a value repaired to blank (a cell worth 0 in a row that prints 0 as blank) is shown.
BLANK_SHOWN = "—"


def _shown(value: object) -> object:
    return BLANK_SHOWN if value is None else value


def ocr_findings(report: Report) -> list[Finding]:
    """The report's OCR notes as findings the agency reads: each cell repaired, each left uncertain."""
    out = []
    for note in report.ocr:
        rule = "ocr.uncertain" if note.uncertain else "ocr.corrected"
        read = note.text not in ("", UNREAD)
        if note.uncertain:
            outcome = msg.OCR_UNCERTAIN if read else msg.OCR_HELD
        else:
            outcome = msg.OCR_CORRECTED_CARRYOVER if note.carryover else msg.OCR_CORRECTED
            if note.carryover and note.text.isdigit() and int(note.text) == note.value:
                outcome = msg.OCR_CONFIRMED_CARRYOVER  # the read kept: last year's report bore it out
        how = msg.OCR_READ if read else msg.OCR_NOT_READ
        out.append(
            Finding(
                rule=rule,
                severity=RULES_BY_ID[rule].severity,
                cells=[note.cell],
                printed=note.text if read else None,
                # an uncertain cell has no value to expect: the one read is what a person must check
                expected=None if note.uncertain else note.value,
                message=how.format(cell=cat.describe_cell(note.cell), text=note.text, conf=f"{note.conf:.2f}")
                + outcome.format(value=_shown(note.value)),
            )
        )
    return out
