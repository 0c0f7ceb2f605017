"""The workbook read back with openpyxl: every aggregated cell equals the truth files' sums, and the
missing, late and consolidated-vs-members rows are the generator's."""

from __future__ import annotations

import io
from datetime import date
from decimal import Decimal

import pytest
from openpyxl import load_workbook
from sqlalchemy import Engine

from form import output_words as words
from outputs.data import OfficeData, load_office_data
from outputs.workbook import workbook
from warehouse.aggregation import deadline

from ..warehouse.synthetic import Province
from .conftest import YEARS, figure, truth_sums

YEAR = YEARS[-1]


@pytest.fixture(scope="module")
def data(province: Engine) -> OfficeData:
    with province.connect() as conn:
        return load_office_data(conn, YEAR)


@pytest.fixture(scope="module")
def book(data: OfficeData):
    return load_workbook(io.BytesIO(workbook(data)))


def _rows(ws) -> list[dict]:
    header = [c.value for c in ws[1]]
    return [dict(zip(header, row, strict=True)) for row in ws.iter_rows(min_row=2, values_only=True)]


@pytest.mark.slow  # loads a generated province
def test_table_sheets_hold_the_truth_sums(corpus: Province, book) -> None:
    truth = truth_sums(corpus, YEAR)
    seen = {}
    for table in (2, 3, 4):
        ws = book[words.SHEET_TABLE[table]]
        assert ws.freeze_panes == "C2"
        for row in _rows(ws):
            seen[row[words.CELL_ID]] = row[words.VALUE]
            assert isinstance(row[words.VALUE], int | float)
    assert seen == truth


@pytest.mark.slow
@pytest.mark.parametrize("scope_type", ["city", "county"])
def test_region_sheets_hold_every_cell_of_every_region(corpus: Province, data: OfficeData, book, scope_type: str) -> None:
    ws = book[words.SHEET_SCOPE[scope_type]]
    header = [c.value for c in ws[1]]
    cells = header[2:]
    rows = list(ws.iter_rows(min_row=3, values_only=True))
    assert ws.freeze_panes == "C3" and len(rows) == len(data.subscopes(scope_type)) > 0
    for code, _, *values in rows:
        prefix = code[:4] if scope_type == "city" else code
        truth = truth_sums(corpus, YEAR, prefix)
        assert dict(zip(cells, values, strict=True)) == {c: truth.get(c, 0) for c in cells}


@pytest.mark.slow
def test_missing_and_late_agencies_are_the_generators(corpus: Province, book) -> None:
    registry = corpus.registry_in(YEAR)
    files = [r for r in corpus.manifest.values() if int(r["year"]) == YEAR]
    submitted = {r["agency_id"] for r in files}
    published: dict[str, date] = {}
    for r in files:
        day = date.fromisoformat(r["published"])
        published[r["agency_id"]] = min(day, published.get(r["agency_id"], day))
    late = {a for a, day in published.items() if day > deadline(registry[a]["level"], YEAR)}  # type: ignore[operator]
    rows = _rows(book[words.SHEET_STATUS])
    missing_words = words.STATUS_WORDS["missing"]
    assert {r[words.AGENCY_ID] for r in rows if r[words.STATUS] == missing_words} == set(registry) - submitted
    assert {r[words.AGENCY_ID] for r in rows if r[words.LATE] == words.YES} == late
    assert set(registry) - submitted and late


@pytest.mark.slow
def test_consolidated_sheet_is_the_generators_record(corpus: Province, book) -> None:
    recorded = {
        (r["agency_id"], r["cell"], figure(Decimal(r["printed"]), r["cell"]), figure(Decimal(r["members"]), r["cell"]))
        for r in corpus.csv_rows("consolidated.csv")
        if int(r["year"]) == YEAR
    }
    rows = _rows(book[words.SHEET_CONSOLIDATED])
    assert {
        (r[words.AGENCY_ID], r[words.CELL_ID], r[words.CONSOLIDATED_FIGURE], r[words.MEMBERS_SUM]) for r in rows
    } == recorded
    assert recorded


@pytest.mark.slow
def test_quality_sheet_counts_per_region(data: OfficeData, book) -> None:
    rows = _rows(book[words.SHEET_QUALITY])
    province = rows[0]
    status = data.status
    assert province[words.REGION_CODE] == data.agg.province_code
    assert (province[words.EXPECTED], province[words.MISSING], province[words.REJECTED]) == (
        status.expected,
        status.missing,
        status.rejected,
    )
    assert province[words.HARD] == sum(a.hard_findings for a in data.agencies) > 0
    assert len(rows) == 1 + len(data.subscopes("city")) + len(data.subscopes("county"))


@pytest.mark.slow
def test_the_terminal_table_fits_80_columns_without_breaking_a_name(data: OfficeData) -> None:
    from rich.console import Console

    from flows.presenting import print_aggregation

    console = Console(width=80, record=True, force_terminal=False)
    print_aggregation(data.agg, console)
    lines = console.export_text().splitlines()
    assert all(len(line) <= 80 for line in lines)
    table = [line for line in lines if line.startswith(("province", "city", "level"))]
    names = [s.scope_name for s in data.agg.status.values() if s.scope_type in ("province", "city")]
    assert all(any(name in line for line in table) for name in names) and "…" not in "".join(table)
