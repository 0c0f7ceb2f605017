"""GX results back to findings: which report, which rule, which cells, printed vs expected, in Chinese.

Pure: given the chunk's reports, its frame and the plain results of one GX run, each failing row
becomes a `form.record.Finding`. The expectation's `meta` says the rule, the severity and the
message template; the cells come from `meta.cells` (by the failing pair's index) or from the
frame's list columns (missing parts, blank totals, unreadable text). Labels in messages come
from `form.catalogue` and their words from `form.messages`, never from here. A failed expectation
marked `outcome: not_checkable` yields a "not_checkable" finding: the rule could not be evaluated,
which is never a pass.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable, Sequence
from datetime import date, datetime
from functools import cache
from typing import Any

import pandas as pd

from expectations import agencies
from expectations import columns as col
from expectations.results import ExpectationResult, Failure
from form import catalogue as cat
from form import messages as msg
from form.deadlines import plausible_years
from form.record import Finding, Report
from form.rules import RULES, RULES_BY_ID, SEVERITY_ORDER

_RULE_ORDER = {r.id: i for i, r in enumerate(RULES)}


class _Labels(dict):
    """Row or column id → printed label; an unknown id reads as itself."""

    def __missing__(self, key: str) -> str:
        return key


@cache
def _label_maps() -> dict[str, _Labels]:
    return {
        "t3": _Labels({r.id: r.label for r in cat.T3_ROWS_ACCEPTED}),
        "t3col": _Labels({c.id: c.label for c in cat.t3_columns(with_entities=True)}),
        "t4": _Labels({r.id: r.label for r in cat.T4_ROWS}),
        "t4col": _Labels({c.id: c.label for c in cat.T4_COLUMNS}),
    }


def number(value: Any) -> int | float | None:
    """A frame or GX value as the number a finding carries (whole floats as ints, NaN as None)."""
    if value is None or isinstance(value, str):
        return None
    value = value.item() if hasattr(value, "item") else value
    if isinstance(value, float):
        if math.isnan(value):
            return None
        if value.is_integer():
            return int(value)
    return value


def _shown(value: Any) -> str:
    if value is None:
        return msg.BLANK_SHOWN
    if isinstance(value, datetime | date | pd.Timestamp):
        return msg.date_shown(value)
    if isinstance(value, str):
        return value
    shown = number(value)
    return msg.number_shown(shown) if isinstance(shown, int | float) else str(shown)


def _part_labels(cells: Sequence[str]) -> str:
    """The parts of a sum in the form's words: columns of the same row, or rows of the same column."""
    head = cat.cell_spec(cells[0])
    words = []
    for c in cells[1:]:
        spec = cat.cell_spec(c)
        words.append(spec.column_label if spec.row == head.row else spec.row_label)
    return "＋".join(f"「{w}」" for w in words)


class _Context(dict):
    """Template values, the costly ones (cell labels, lists of cells) worked out only when named.

    A placeholder the template names but the finding cannot fill reads as empty.
    """

    def __init__(self, report: Report, row: _Row, cells: Sequence[str]) -> None:
        super().__init__(_label_maps())
        self.report = report
        self.row = row
        self.cells = cells

    def head(self) -> cat.CellSpec | None:
        """The first cell's catalogue entry, when the finding names a known cell first."""
        first = self.cells[0] if self.cells else None
        return cat.cell_spec(first) if first in cat.all_cells() else None

    def known(self) -> list[str]:
        return [c for c in self.cells if c in cat.all_cells()]

    def __missing__(self, key: str) -> Any:
        fill = _PLACEHOLDERS.get(key)
        value = fill(self) if fill is not None else None
        self[key] = "" if value is None else value
        return self[key]


def _parts(ctx: _Context) -> str | None:
    known = ctx.known()
    return _part_labels(ctx.cells) if ctx.head() and len(known) == len(ctx.cells) > 1 else None


#: How each placeholder a message template may name is filled (None: left empty).
_PLACEHOLDERS: dict[str, Callable[[_Context], Any]] = {
    "agency": lambda ctx: ctx.report.agency,
    "year": lambda ctx: ctx.report.year,
    "how": lambda ctx: msg.YEAR_SOURCES.get(ctx.report.year_source or ""),
    "prev_year": lambda ctx: (ctx.report.year - 1) if ctx.report.year else msg.PREVIOUS_YEAR_UNKNOWN,
    "previous": lambda ctx: _text(ctx.row.get(col.PREV_SOURCE)),
    "candidates": lambda ctx: _text(ctx.row.get(col.PREV_CANDIDATES)),
    "cell": lambda ctx: cat.describe_cell(ctx.cells[0]) if ctx.head() else None,
    "column": lambda ctx: h.column_label if (h := ctx.head()) else None,
    "row": lambda ctx: h.row_label if (h := ctx.head()) else None,
    "parts": _parts,
    "cells_text": lambda ctx: "、".join(cat.describe_cell(c) for c in ctx.known()),
    "cells_values": lambda ctx: "、".join(
        f"{cat.describe_cell(c)}{_shown(ctx.report.cells.get(c))}" for c in ctx.known()
    ),
}


def _text(value: Any) -> str | None:
    if value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NA:
        return None
    return str(value)


def _finding(
    result: ExpectationResult,
    report: Report,
    row: _Row,
    cells: Sequence[str],
    printed: Any,
    expected: Any,
    template: str | None = None,
    **extra: Any,
) -> Finding:
    meta = result.meta
    rule = meta["rule"]
    severity = "not_checkable" if meta.get("outcome") == "not_checkable" else RULES_BY_ID[rule].severity
    ctx = _Context(report, row, cells)
    ctx.update(printed=_shown(printed), expected=_shown(expected) if expected is not None else "", **extra)
    if "reason" in extra:
        ctx["reason"] = extra["reason"].format_map(ctx)
    message = (template or meta["message_zh"]).format_map(ctx)
    previous = _text(row.get(col.PREV_SOURCE)) if rule.startswith("carryover.") else None
    return Finding(
        rule=rule,
        severity=severity,
        cells=list(cells),
        printed=_value(printed),
        expected=_value(expected),
        message=message,
        previous=previous,
    )


def _value(v: Any) -> int | float | str | None:
    if isinstance(v, datetime | date | pd.Timestamp):
        return v.date().isoformat() if isinstance(v, datetime) else v.isoformat()
    if isinstance(v, str):
        return v
    return number(v)


def _printed_cell(report: Report, column: str, fallback: Any) -> Any:
    """A compared column's value as printed: the report's own value when the column is a cell."""
    if column in report.cells:
        return report.cells[column]
    return fallback


def _pairs(o: ExpectationResult, x: Failure, report: Report, row: _Row) -> list[Finding]:
    assert x.index is not None
    a_col = o.kwargs["pairs"][x.index][0]
    cells = o.meta.get("cells", [[]])[x.index]
    return [_finding(o, report, row, cells, _printed_cell(report, a_col, x.a), x.b)]


def _columns(o: ExpectationResult, x: Failure, report: Report, row: _Row) -> list[Finding]:
    assert x.index is not None
    cell = o.kwargs["columns"][x.index]
    return [_finding(o, report, row, [cell], report.cells.get(cell, x.a), o.meta.get("expected_zh"))]


def _structure(o: ExpectationResult, report: Report, row: _Row, tokens: list[str]) -> list[Finding]:
    out = []
    messages = o.meta.get("messages_zh", {})
    cells = [t for t in tokens if t in cat.all_cells()]
    for t in tokens:
        if t in ("t2", "t3", "t4"):
            n = int(t[1])
            title = cat.TABLE_TITLES[n]
            out.append(
                _finding(
                    o, report, row, [t], None, title, messages.get("table"), numeral=cat.TABLE_NUMERALS[n], title=title
                )
            )
        elif t.startswith("section:"):
            numeral = t.split(":", 1)[1]
            heading = next((h for n, h, _ in cat.SECTIONS if n == numeral), numeral)
            out.append(
                _finding(
                    o,
                    report,
                    row,
                    [],
                    None,
                    heading,
                    messages.get("section"),
                    numeral=numeral,
                    heading=heading,
                )
            )
    if cells:
        finding = _finding(o, report, row, cells, None, None)
        out.append(finding)
    return out


def _listed(o: ExpectationResult, x: Failure, report: Report, row: _Row) -> list[Finding]:
    column = o.kwargs["column"]
    text = _text(row.get(column)) or ""
    if column == col.STRUCTURE_MISSING:
        return _structure(o, report, row, text.split(";"))
    if column == col.DOMAIN_UNREADABLE:
        return [
            _finding(o, report, row, [cell], raw, o.meta.get("expected_zh")) for cell, raw in json.loads(text)
        ]
    if column == col.YEAR_IMPLAUSIBLE:
        return [_finding(o, report, row, [], int(text), msg.years_shown(plausible_years(date.today())))]
    if column == col.YEAR_SOURCE:
        return [_finding(o, report, row, [], None, None)]
    if column == col.BLANK_TOTALS:
        return [_finding(o, report, row, [cell], None, None) for cell in text.split(";")]
    return [_finding(o, report, row, o.meta.get("cells", []), text, None)]


def _status(o: ExpectationResult, x: Failure, report: Report, row: _Row) -> list[Finding]:
    status = _text(row.get(o.kwargs["column"])) or "unknown"
    reason = o.meta.get("reasons_zh", {}).get(status, status)
    return [_finding(o, report, row, o.meta.get("cells", []), None, None, reason=reason)]


def _pair(o: ExpectationResult, x: Failure, report: Report, row: _Row) -> list[Finding]:
    a_col, b_col = o.kwargs["column_A"], o.kwargs["column_B"]
    x = Failure(x.key, None, row.get(a_col), row.get(b_col))
    if a_col == col.OTHER_LAYOUT:
        cells = [c for c in o.meta.get("cells", []) if c in report.cells]
        items = "".join(f"「{_label_maps()['t3'][r]}」" for r in cat.T3_OTHER_ITEM_ROWS)
        return [
            _finding(
                o, report, row, cells, cat.T3_OTHER_ALL_ROW, ";".join(cat.T3_OTHER_ITEM_ROWS), items=items
            )
        ]
    if a_col == col.RULES_LIMIT:
        cells = [c for c in col.RULES_CELLS if (report.cells.get(c) or 0) > 0]
        return [_finding(o, report, row, cells, x.b, 0)]
    if a_col == col.DEADLINE:
        kinds = o.meta.get("deadline_kinds_zh", {})
        kind = kinds.get(
            "government" if agencies.is_own_government_report(report.agency) else "department", ""
        )
        return [_finding(o, report, row, o.meta.get("cells", []), x.b, x.a, deadline_kind=kind)]
    return [_finding(o, report, row, o.meta.get("cells", []), _text(x.a) or x.a, _text(x.b) or x.b)]


def _not_null(o: ExpectationResult, x: Failure, report: Report, row: _Row) -> list[Finding]:
    return [_finding(o, report, row, o.meta.get("cells", []), None, None)]


_BY_TYPE = {
    "expect_column_pairs_to_be_equal": _pairs,
    "expect_column_list_values_to_be_between": _columns,
    "expect_column_values_to_be_null": _listed,
    "expect_column_values_to_be_in_set": _status,
    "expect_column_pair_values_to_be_equal": _pair,
    "expect_column_pair_values_a_to_be_greater_than_b": _pair,
    "expect_column_values_to_not_be_null": _not_null,
}


def sort_key(finding: Finding) -> tuple[int, int]:
    return SEVERITY_ORDER[finding.severity], _RULE_ORDER.get(finding.rule, len(_RULE_ORDER))


class _Row:
    """One frame row, read column by column (a whole-row Series of 370 mixed columns is slow)."""

    def __init__(self, columns: _Columns, key: int) -> None:
        self.columns = columns
        self.key = key

    def get(self, column: str) -> Any:
        return self.columns[column][self.key]


class _Columns(dict):
    """Frame columns as object arrays, converted on first use."""

    def __init__(self, frame: pd.DataFrame) -> None:
        super().__init__()
        self.frame = frame

    def __missing__(self, column: str) -> Any:
        values = (
            self.frame[column].to_numpy(dtype=object) if column in self.frame else [None] * len(self.frame)
        )
        self[column] = values
        return values


def map_findings(
    reports: Sequence[Report], frame: pd.DataFrame, results: Sequence[ExpectationResult]
) -> list[list[Finding]]:
    """Findings per report, in the reports' order: hard first, then soft, then not checkable."""
    out: list[list[Finding]] = [[] for _ in reports]
    columns = _Columns(frame)
    for o in results:
        handler = _BY_TYPE.get(o.type)
        if handler is None:
            raise ValueError(f"no mapping for expectation type {o.type} ({o.meta.get('rule')})")
        for x in o.failures:
            out[x.key].extend(handler(o, x, reports[x.key], _Row(columns, x.key)))
    for findings in out:
        findings.sort(key=sort_key)
    return out
