"""The OCR repair: misreads the template's identities pin down are corrected, the rest named
uncertain, and a report whose printed arithmetic is wrong is never "repaired" (pure, fast)."""

from __future__ import annotations

import json

from form.ocr_repair import (
    CellRead,
    alternatives,
    carried_in_pins,
    confirmed_by_last_year,
    identities,
    repair,
    settle_by_carryover,
    with_carryover,
)
from tests.conftest import SAMPLES

TRUTH = json.loads((SAMPLES / "淮安市人民政府_2024.pdf.truth.json").read_text(encoding="utf-8"))["cells"]


def _reads(values: dict, low: dict[str, str] | None = None) -> dict[str, CellRead]:
    """Every cell read with full confidence, except `low`: cell → the text read, confidence 0.6."""
    reads = {c: CellRead(str(v), 1.0) for c, v in values.items() if isinstance(v, int)}
    for c, text in (low or {}).items():
        reads[c] = CellRead(text, 0.6)
    return reads


def _misread(cell: str, text: str) -> tuple[dict, dict[str, CellRead]]:
    values = dict(TRUTH)
    values[cell] = int(text) if text.isdigit() else None
    return values, _reads(values, {cell: text})


def test_a_true_reading_is_left_alone() -> None:
    fixed = repair(TRUTH, _reads(TRUTH))
    assert fixed.values == TRUTH and not fixed.corrected and not fixed.uncertain


def test_identities_cover_every_table_3_and_4_cell() -> None:
    covered = {c for i in identities(TRUTH) for c in i.cells}
    assert {c for c in TRUTH if c.startswith(("t3.", "t4."))} <= covered


def test_alternatives_hold_the_usual_confusions() -> None:
    options = alternatives("17")
    assert options[0] == 17
    assert {77, 11, 1, 7, 170, 117} <= set(options)  # 1/7, a doubled digit out, a dropped digit back
    assert 83 in alternatives("33") and 60 in alternatives("80") and 6 in alternatives("5")


def test_a_low_confidence_misread_is_corrected_to_the_only_value_that_balances() -> None:
    values, reads = _misread("t3.new.natural", "3007")  # printed 3001
    fixed = repair(values, reads)
    assert fixed.values["t3.new.natural"] == 3001
    assert [(c.cell, c.text, c.conf, c.value) for c in fixed.corrected] == [("t3.new.natural", "3007", 0.6, 3001)]
    assert not fixed.uncertain


def test_a_dropped_digit_is_put_back() -> None:
    values, reads = _misread("t3.granted.natural", "128")  # printed 1288
    fixed = repair(values, reads)
    assert fixed.values["t3.granted.natural"] == 1288 and not fixed.uncertain


def test_a_cell_read_as_no_number_takes_what_the_identities_leave() -> None:
    values, reads = _misread("t4.review.corrected", "?")  # printed 64
    fixed = repair(values, reads)
    assert fixed.values["t4.review.corrected"] == 64
    assert fixed.corrected[0].text == "?"


def test_printed_arithmetic_that_is_wrong_is_not_repaired_but_held() -> None:
    values = dict(TRUTH)
    values["t3.new.natural"] = 3007  # the agency printed it so: read with full confidence
    fixed = repair(values, _reads(values))
    assert fixed.values == values and not fixed.corrected
    # print or misread, no one can tell without looking: the broken identities' cells are named
    named = {c.cell for c in fixed.uncertain}
    assert "t3.new.natural" in named and "t3.new.total" in named
    assert all(c.value == values[c.cell] for c in fixed.uncertain)


def test_two_equally_good_repairs_leave_the_cells_uncertain() -> None:
    values = dict(TRUTH)
    # table 四 review printed 3 + 8 + 0 + 0 = 11; both 3 and 8 doubtful, read 8 and 8: either one
    # read back as 3 balances the row, so neither may be chosen
    values.update({"t4.review.upheld": 8, "t4.review.corrected": 8, "t4.review.other": 0, "t4.review.pending": 0, "t4.review.total": 11})
    reads = _reads(values, {"t4.review.upheld": "8", "t4.review.corrected": "8"})
    fixed = repair(values, reads)
    assert len(set(alternatives("8")) & {3}) == 1  # each alone is a valid repair
    assert not fixed.corrected
    assert {c.cell for c in fixed.uncertain} >= {"t4.review.upheld", "t4.review.corrected"}
    assert fixed.values["t4.review.upheld"] == 8  # the value read is kept, never a guess


def test_a_misread_no_candidate_repairs_is_uncertain() -> None:
    values, reads = _misread("t4.review.corrected", "5")  # printed 64: no confusion of "5" gives it
    fixed = repair(values, reads)
    assert not fixed.corrected
    assert "t4.review.corrected" in {c.cell for c in fixed.uncertain}
    assert fixed.values["t4.review.corrected"] == 5


def test_a_doubtful_cell_no_identity_checks_is_uncertain() -> None:
    values = dict(TRUTH)
    fixed = repair(values, _reads(values, {"t2.licensing.decisions": str(TRUTH["t2.licensing.decisions"])}))
    assert [c.cell for c in fixed.uncertain] == ["t2.licensing.decisions"] and not fixed.corrected


def test_unreadable_cells_the_identities_pin_down_are_all_filled() -> None:
    values = dict(TRUTH)
    reads = _reads(values, {"t3.new.natural": "?", "t4.review.corrected": "?"})
    values["t3.new.natural"] = values["t4.review.corrected"] = None
    fixed = repair(values, reads)
    assert fixed.values["t3.new.natural"] == TRUTH["t3.new.natural"]
    assert fixed.values["t4.review.corrected"] == TRUTH["t4.review.corrected"]
    assert {c.cell for c in fixed.corrected} == {"t3.new.natural", "t4.review.corrected"} and not fixed.uncertain


def test_two_unreadable_cells_one_identity_holds_are_uncertain() -> None:
    values = dict(TRUTH)
    reads = _reads(values, {"t4.review.upheld": "?", "t4.review.corrected": "?"})
    values["t4.review.upheld"] = values["t4.review.corrected"] = None
    fixed = repair(values, reads)
    assert not fixed.corrected
    assert {c.cell for c in fixed.uncertain} >= {"t4.review.upheld", "t4.review.corrected"}


def test_an_unreadable_cell_is_decided_even_where_the_identities_hold_without_it() -> None:
    values = dict(TRUTH)
    assert values["t3.new.research"] == 0
    values["t3.new.research"] = None  # read as "?": blank counts as 0, so nothing is broken
    fixed = repair(values, _reads(values, {"t3.new.research": "?"}))
    assert fixed.values["t3.new.research"] == 0 and [c.cell for c in fixed.corrected] == ["t3.new.research"]


def test_an_unreadable_cell_worth_0_in_a_row_that_prints_0_as_blank_stays_blank() -> None:
    row = next(r for r in ("denied_secret", "denied_safety", "denied_enforcement", "rejected_excessive") if not any(TRUTH[c] for c in TRUTH if c.startswith(f"t3.{r}.")))
    values = dict(TRUTH)
    parts = [c for c in values if c.startswith(f"t3.{row}.") and not c.endswith((".total", ".entities"))]
    for c in parts:
        values[c] = None  # the row prints blanks for its zeros
    fixed = repair(values, _reads(values, {parts[0]: "?"}))
    assert [(c.cell, c.value) for c in fixed.corrected] == [(parts[0], None)] and not fixed.uncertain
    values[parts[1]] = 0  # a row that prints its zeros as 0: the cell is 0
    fixed = repair(values, _reads(values, {parts[0]: "?"}))
    assert [(c.cell, c.value) for c in fixed.corrected] == [(parts[0], 0)]
    # its total is printed whatever its parts print (found at 300 dpi: an unreadable total of a
    # row of blanks was repaired to blank where 0 was printed)
    values[parts[1]] = None
    fixed = repair(values, _reads(values, {f"t3.{row}.total": "?"}))
    assert [(c.cell, c.value) for c in fixed.corrected] == [(f"t3.{row}.total", 0)]


# ---- last year's carryover (the warehouse's previous report) settles what the page leaves open ----

#: carried-in and carried-out of the natural-person column and of the total, all four unreadable:
#: each identity over them has two unknowns, so the page alone cannot decide them
_HEAD_CELLS = ("t3.carried_in.natural", "t3.carried_in.total", "t3.carried_out.natural", "t3.carried_out.total")
#: last year's report as the warehouse holds it: it carried out what this year carries in
_LAST_YEAR = {f"t3.carried_out.{c}": TRUTH[f"t3.carried_in.{c}"] for c in ("natural", "commercial", "research", "social", "legal", "other", "total")}


def _unreadable(cells: tuple[str, ...], text: str = "?") -> tuple[dict, dict[str, CellRead]]:
    values = dict(TRUTH)
    for c in cells:
        values[c] = None
    return values, {c: CellRead(text, 0.0) for c in cells}


def test_cells_the_identities_leave_open_are_settled_by_last_years_carryover() -> None:
    values, uncertain = _unreadable(_HEAD_CELLS)
    alone = repair(values, {**_reads(values), **uncertain})
    assert set(_HEAD_CELLS) <= {c.cell for c in alone.uncertain}  # the page alone: undecided
    held = {c.cell: CellRead(c.text, c.conf) for c in alone.uncertain}  # with the cells of the identities they break
    settled = settle_by_carryover(alone.values, held, carried_in_pins(values, _LAST_YEAR))
    assert settled == {c: TRUTH[c] for c in held}


def test_last_years_figure_is_not_taken_where_the_page_could_not_say_it() -> None:
    values, uncertain = _unreadable(_HEAD_CELLS)
    uncertain["t3.carried_in.natural"] = CellRead("5", 0.6)  # 34 is no misread of "5"
    assert settle_by_carryover(values, uncertain, carried_in_pins(values, _LAST_YEAR)) is None


def test_a_confident_read_held_uncertain_is_never_changed_by_the_carryover() -> None:
    """An identity broken by cells read with confidence is printed wrong (or a row misplaced):
    only a person decides, last year's figures or not."""
    values, uncertain = _unreadable(_HEAD_CELLS[1:])
    uncertain["t3.carried_in.natural"] = CellRead("35", 0.99)  # printed 35 where the column sums to 34
    values["t3.carried_in.natural"] = 35
    assert settle_by_carryover(values, uncertain, carried_in_pins(values, _LAST_YEAR)) is None


def test_without_last_years_carried_in_columns_nothing_is_settled() -> None:
    values, uncertain = _unreadable(_HEAD_CELLS)
    assert settle_by_carryover(values, uncertain, {}) is None


def test_a_held_scan_is_released_with_each_settled_cell_named_as_decided_by_the_carryover() -> None:
    from expectations.ocr_findings import ocr_findings
    from form import messages as msg
    from form.record import OcrNote
    from tests.warehouse.builders import make_report

    values, uncertain = _unreadable(_HEAD_CELLS)
    notes = [OcrNote(cell=c, text=r.text, conf=r.conf, value=None, uncertain=True) for c, r in uncertain.items()]
    scan = make_report("淮安市人民政府", 2024, media_type="application/pdf").model_copy(update={"cells": values, "ocr": notes})
    last = make_report("淮安市人民政府", 2023).model_copy(update={"cells": _LAST_YEAR})
    assert scan.needs_review
    released = with_carryover(scan, last)
    assert not released.needs_review
    assert {c: released.cells[c] for c in _HEAD_CELLS} == {c: TRUTH[c] for c in _HEAD_CELLS}
    assert all(n.carryover and not n.uncertain for n in released.ocr)
    findings = ocr_findings(released)
    assert [f.rule for f in findings] == ["ocr.corrected"] * 4
    # read as nothing ("?"): the agency is told so, not shown our placeholder
    assert all(f.message.endswith(msg.OCR_CORRECTED_CARRYOVER.format(value=f.expected)) for f in findings)
    assert all(f.printed is None and msg.OCR_NOT_READ.split("{cell}")[1] in f.message for f in findings)
    # last year's report itself held for review says nothing
    assert with_carryover(scan, last.model_copy(update={"ocr": notes})) is scan
    # nor does a scan with a cell whose place on the page is in doubt (a row not found)
    misplaced = [n.model_copy(update={"layout": n.cell == "t3.carried_out.total"}) for n in notes]
    assert with_carryover(scan.model_copy(update={"ocr": misplaced}), last).needs_review


def test_a_doubtful_table_2_read_last_years_documents_in_force_bear_out_is_confirmed() -> None:
    """No identity of the page checks table 二; last year's 现行有效 plus this year's 制发 less
    废止 does, and only to confirm: a read that does not fit, or no read, stays uncertain."""
    from expectations.ocr_findings import ocr_findings
    from form import messages as msg
    from form.record import OcrNote
    from tests.warehouse.builders import make_report

    scan = make_report("淮安市人民政府", 2024, media_type="application/pdf")
    issued, repealed, in_force = (scan.cells[f"t2.rules.{c}"] or 0 for c in ("issued", "repealed", "in_force"))
    last = {"t2.rules.in_force": in_force - issued + repealed}
    doubt = {"t2.rules.in_force": CellRead(str(in_force), 0.94)}
    assert confirmed_by_last_year(scan.cells, doubt, last) == {"t2.rules.in_force"}
    assert confirmed_by_last_year(scan.cells, doubt, {"t2.rules.in_force": in_force - issued + repealed + 1}) == set()
    assert confirmed_by_last_year(scan.cells, {"t2.rules.in_force": CellRead("?", 0.0)}, last) == set()
    assert confirmed_by_last_year(scan.cells, doubt, {}) == set()  # last year printed no such row

    note = OcrNote(cell="t2.rules.in_force", text=str(in_force), conf=0.94, value=in_force, uncertain=True)
    held = scan.model_copy(update={"ocr": [note]})
    released = with_carryover(held, make_report("淮安市人民政府", 2023).model_copy(update={"cells": last}))
    assert not released.needs_review and released.cells == scan.cells  # nothing changed, the doubt settled
    (finding,) = ocr_findings(released)
    assert finding.rule == "ocr.corrected" and finding.message.endswith(msg.OCR_CONFIRMED_CARRYOVER.format(value=in_force))
