"""`汇总_<region>_<year>.xlsx`: the region's consolidated figures and status, one sheet per question.

Sheets: tables 二, 三, 四 (every aggregated cell of the region, in the template's order, with how
many reports carried it and how many left it blank); one per region level inside the region
(cities, counties, agency levels: a row per region, a column per cell); reporting status per
agency (expected, state, published date, deadline, late); findings per agency; consolidated
reports against their members; data quality per region. Headers are frozen, labels Chinese,
numbers stored as numbers (amounts as decimals in 万元).
"""

from __future__ import annotations

import io
from collections.abc import Iterable, Sequence

from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from form import catalogue as cat
from form import output_words as words
from form.registry_format import LEVEL_NAMES
from outputs.data import OfficeData
from outputs.quality import RegionQuality, region_quality

_BOLD = Font(bold=True)


def cell_order(cells: Iterable[str]) -> list[str]:
    """Cell ids in the catalogue's printed order (2021 rows first, then 2019-only ones)."""
    order = {c: i for i, c in enumerate(cat.all_cells())}
    return sorted(cells, key=lambda c: (order.get(c, len(order)), c))


def _sheet(wb: Workbook, title: str, header: Sequence[str], rows: Iterable[Sequence[object]], widths: Sequence[int] = ()) -> Worksheet:
    ws = wb.create_sheet(title[:31])
    ws.append(list(header))
    for c in ws[1]:
        c.font = _BOLD
    for row in rows:
        ws.append(list(row))
    ws.freeze_panes = "A2" if not widths or len(header) < 3 else "C2"
    for i, w in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(i)].width = w
    return ws


def _table_rows(data: OfficeData, table: int) -> list[list[object]]:
    cells = data.cells()
    counts = data.agg.cell_counts.get(data.scope, {})
    out = []
    for cid in cell_order(cid for cid in cells if cat.cell_spec(cid).table == table):
        spec = cat.cell_spec(cid)
        reports, blanks = counts.get(cid, (0, 0))
        out.append([spec.row_label, spec.column_label, cells[cid], reports, blanks, cid])
    return out


def _scope_rows(data: OfficeData, scope_type: str, cells: list[str]) -> list[list[object]]:
    out = []
    for s in data.subscopes(scope_type):
        totals = data.agg.totals(s.scope_type, s.scope_code)
        name = LEVEL_NAMES.get(s.scope_code, s.scope_name) if scope_type == "level" else s.scope_name  # type: ignore[call-overload]
        out.append([s.scope_code, name, *(totals.get(c, 0) for c in cells)])
    return out


def workbook(data: OfficeData) -> bytes:
    """The xlsx bytes of the region's workbook (module doc)."""
    wb = Workbook()
    wb.remove(wb.active)
    for table in (2, 3, 4):
        _sheet(
            wb,
            words.SHEET_TABLE[table],
            (words.ITEM, words.MEASURE, words.VALUE, words.REPORTS, words.BLANKS, words.CELL_ID),
            _table_rows(data, table),
            (34, 26, 14, 10, 10, 30),
        )
    every = cell_order({c for s in data.agg.cells.values() for c in s})
    for scope_type in ("city", "county", "level"):
        rows = _scope_rows(data, scope_type, every)
        if not rows:
            continue
        ws = _sheet(wb, words.SHEET_SCOPE[scope_type], (words.REGION_CODE, words.REGION_NAME, *every), rows, (10, 18))
        ws.insert_rows(2)
        for i, cid in enumerate(every, start=3):
            spec = cat.cell_spec(cid)
            ws.cell(row=2, column=i, value=f"{spec.row_label} {spec.column_label}")
        ws.freeze_panes = "C3"
    _sheet(
        wb,
        words.SHEET_STATUS,
        (words.AGENCY_ID, words.AGENCY_NAME, words.LEVEL, words.REGION_CODE, words.EXPECTED, words.STATUS,
         words.SUBMISSIONS, words.PUBLISHED, words.DEADLINE, words.LATE),
        (
            [
                a.agency_id,
                a.agency_name,
                LEVEL_NAMES.get(a.level, a.level) if a.level else None,  # type: ignore[call-overload]
                a.region_code,
                words.YES if a.expected else words.NO,
                words.STATUS_WORDS.get(a.status, a.status),
                a.submissions,
                a.published,
                a.deadline,
                None if a.late is None else (words.YES if a.late else words.NO),
            ]
            for a in data.agencies
        ),
        (16, 30, 10, 10, 8, 8, 8, 12, 12, 8),
    )
    _sheet(
        wb,
        words.SHEET_FINDINGS,
        (words.AGENCY_ID, words.AGENCY_NAME, words.STATUS, words.HARD, words.SOFT, words.NOT_CHECKABLE, words.BLANK_TOTALS),
        (
            [
                a.agency_id,
                a.agency_name,
                words.STATUS_WORDS.get(a.status, a.status),
                q.hard,
                q.soft,
                q.not_checkable,
                q.blank_totals,
            ]
            for a in data.agencies
            if (q := data.quality.get(a.agency_id)) is not None
        ),
        (16, 30, 8, 10, 8, 14, 10),
    )
    names = {a.agency_id: a.agency_name for a in data.agencies}
    _sheet(
        wb,
        words.SHEET_CONSOLIDATED,
        (words.AGENCY_ID, words.AGENCY_NAME, words.ITEM, words.MEASURE, words.CONSOLIDATED_FIGURE,
         words.MEMBERS_SUM, words.MEMBERS, words.CELL_ID),
        (
            [f.agency_id, names.get(f.agency_id), cat.cell_spec(f.cell_id).row_label,
             cat.cell_spec(f.cell_id).column_label, f.printed, f.expected, f.members, f.cell_id]
            for f in data.agg.consolidation
            if f.agency_id in names
        ),
        (16, 30, 30, 20, 12, 12, 10, 30),
    )
    _sheet(
        wb,
        words.SHEET_QUALITY,
        (words.REGION_CODE, words.REGION_NAME, words.EXPECTED, words.SUBMITTED, words.COMPLETENESS, words.LOADED,
         words.REJECTED, words.PASS_RATE, words.MISSING, words.LATE, words.HARD, words.NOT_CHECKABLE,
         words.BLANK_TOTALS, words.QUARANTINED),
        (_quality_row(q) for q in region_quality(data)),
        (10, 18),
    )
    quality = wb[words.SHEET_QUALITY]
    for column in ("E", "H"):  # completeness, pass rate
        for c in quality[column][1:]:
            c.number_format = "0.0%"
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _quality_row(q: RegionQuality) -> list[object]:
    s = q.status
    return [
        s.scope_code, q.name, s.expected, s.expected_submitted, s.completeness, s.loaded, s.rejected,
        s.pass_rate, s.missing, s.late, q.hard, q.not_checkable, q.blank_totals, s.quarantined,
    ]
