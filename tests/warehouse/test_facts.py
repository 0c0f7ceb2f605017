"""A report's cells as fact rows: layout, blanks, and values no fact column can hold (no database)."""

from __future__ import annotations

import re

import pytest

from form.catalogue import all_cells
from warehouse.facts import FACT_LAYOUT, fact_rows, stored_value

from .builders import make_report


def test_every_cell_lands_in_its_tables_row_with_its_keys() -> None:
    report = make_report("宿城区教育局", 2021, entities=True)
    report.cells["t3.denied_secret.natural"] = None
    rows, problems = fact_rows(report, "321302-D02", 2021, 7)
    assert problems == []
    assert [layout.number for layout in FACT_LAYOUT] == [2, 3, 4]
    back = {}
    for layout, table_rows in zip(FACT_LAYOUT, rows, strict=True):
        for row in table_rows:
            assert set(row) == {*layout.grain, "value", "submission_key"}
            assert (row["agency_id"], row["year"], row["submission_key"]) == ("321302-D02", 2021, 7)
            back[f"t{layout.number}.{row[layout.row]}.{row[layout.column]}"] = row["value"]
    assert back == report.cells  # blanks are NULL rows, nothing lost or added


@pytest.mark.parametrize(
    "cell,value,stored",
    [
        ("t3.new.natural", 3.0, 3),  # a whole float is a count
        ("t2.fees.amount", 12.345, 12.345),  # amounts as printed
        ("t2.licensing.change", -4, -4),  # a change may be negative
        ("t3.new.natural", None, None),  # blank
    ],
)
def test_values_a_fact_column_holds(cell: str, value: object, stored: object) -> None:
    assert stored_value(cell, value, all_cells()[cell].kind) == (stored, None)


@pytest.mark.parametrize("cell,value", [("t3.new.natural", 2.5), ("t3.new.natural", -1), ("t4.review.total", -2.0)])
def test_values_no_fact_column_holds_are_chinese_findings_on_their_cell(cell: str, value: object) -> None:
    _, finding = stored_value(cell, value, all_cells()[cell].kind)
    assert finding is not None
    assert (finding.rule, finding.severity, finding.cells, finding.printed) == ("values.domain", "hard", [cell], value)
    assert finding.message.startswith("表") and re.findall(r"[A-Za-z]{2,}", finding.message) == []


def test_a_cell_outside_the_catalogue_is_a_finding_not_a_row() -> None:
    report = make_report("宿城区教育局", 2021)
    report.cells["t3.new.martians"] = 1
    rows, problems = fact_rows(report, "321302-D02", 2021, 1)
    (finding,) = problems
    assert (finding.rule, finding.cells) == ("values.domain", ["t3.new.martians"])
    assert "「t3.new.martians」" in finding.message and "不是" in finding.message
    assert sum(len(r) for r in rows) == len(report.cells) - 1
