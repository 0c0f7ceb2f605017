"""The validation frame: one row per report, one column per cell, plus what the rules compare.

GX validates this frame once per chunk. Every cell id of either template version is a float
column: a printed number; 0.0 where the agency left the cell blank (FORMAT.md: blank counts as 0
in arithmetic); NaN where the cell is absent (not printed, its table missing, or unreadable text,
which is reported by values.domain and never becomes 0). Derived columns hold the other side of
each comparison — sums of rows and columns, last year's figures, the deadline for the agency's
level, the numbers the narrative states — so the suites in `expectations/suites/` only compare
columns, named by `expectations.columns`.
Building the frame is pure: reports (and their previous-year pairing) in, DataFrame out.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from functools import cache, lru_cache

import numpy as np
import pandas as pd

from expectations import agencies
from expectations.columns import (
    AGENCY,
    BLANK_TOTALS,
    CELLS,
    DEADLINE,
    DOMAIN_UNREADABLE,
    KEY,
    NORMATIVE_EXPECTED,
    NORMATIVE_STATUS,
    OTHER_LAYOUT,
    OTHER_LAYOUT_EXPECTED,
    PREV_CANDIDATES,
    PREV_SOURCE,
    PREV_STATUS,
    PUBLISHED,
    RULES_CELLS,
    RULES_LIMIT,
    RULES_SUM,
    SOURCE,
    STRUCTURE_MISSING,
    T3_COLUMN_IDS,
    T3_OUTCOME_ROWS,
    T3_ROW_IDS,
    T4_ROW_IDS,
    TOTAL_CELLS,
    VERSION,
    VERSION_EXPECTED,
    YEAR,
    YEAR_IMPLAUSIBLE,
    YEAR_SOURCE,
    applicants_sum,
    disposal_sum,
    intake_sum,
    last_year,
    organisations_sum,
    outcomes_sum,
    results_sum,
    stated,
    tabled,
)
from expectations.narrative import measures, stated_totals
from form import catalogue as cat
from form.deadlines import plausible_years
from form.record import NO_PREVIOUS, Previous, Report

_INDEX = {c: i for i, c in enumerate(CELLS)}
_APPLICANTS = tuple(c.id for c in cat.T3_COLUMNS if c.id != "total")
_T4_RESULTS = tuple(c.id for c in cat.T4_COLUMNS if c.id != "total")
_OTHER_ALL_PREFIX = f"t3.{cat.T3_OTHER_ALL_ROW}."
_OTHER_ITEM_PREFIXES = tuple(f"t3.{r}." for r in cat.T3_OTHER_ITEM_ROWS)


# ---- building --------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Layout:
    """What a set of printed cell ids says, computed once per distinct layout (they repeat)."""

    index: np.ndarray
    other_layout: str | None


@lru_cache(maxsize=4096)
def _layout(keys: tuple[str, ...]) -> _Layout:
    known = [_INDEX.get(c, -1) for c in keys]
    other = (
        "single"
        if any(c.startswith(_OTHER_ALL_PREFIX) for c in keys)
        else "items"
        if any(c.startswith(_OTHER_ITEM_PREFIXES) for c in keys)
        else None
    )
    return _Layout(np.array(known, dtype=np.intp), other)


@dataclass
class _Cells:
    """The chunk's cells: values (blank 0, absent NaN) and where the agency left a cell blank."""

    values: np.ndarray
    blank: np.ndarray
    layouts: list[_Layout]


def _float(value: object) -> float:
    try:
        return np.nan if value is None else float(value)
    except OverflowError:  # a number of hundreds of digits: out of every domain, kept as ±inf
        return np.inf if value > 0 else -np.inf


def _floats(values: list) -> np.ndarray:
    try:
        return np.array(values, dtype=float)
    except OverflowError:
        return np.array([_float(v) for v in values], dtype=float)


def _cells(reports: Sequence[Report]) -> _Cells:
    values = np.full((len(reports), len(CELLS)), np.nan)
    blank = np.zeros(values.shape, dtype=bool)
    layouts = []
    for i, r in enumerate(reports):
        layout = _layout(tuple(r.cells))
        layouts.append(layout)
        if not r.cells:
            continue
        row = _floats(list(r.cells.values()))  # None → NaN: left blank
        idx = layout.index
        if (idx < 0).any():  # ids no template has: ignored
            row, idx = row[idx >= 0], idx[idx >= 0]
        empty = np.isnan(row)
        row[empty] = 0.0
        values[i, idx] = row
        blank[i, idx[empty]] = True
        for p in r.problems:
            j = _INDEX.get(p.cell) if p.cell else None
            if j is not None:  # not printed, or text that is no number: absent, never 0
                values[i, j] = np.nan
                blank[i, j] = False
    return _Cells(values, blank, layouts)


def _sum(values: np.ndarray, cells: Sequence[str]) -> np.ndarray:
    """Row-wise sum with absent cells as 0; NaN where every cell is absent."""
    idx = [_INDEX[c] for c in cells]
    block = values[:, idx]
    out = np.nansum(block, axis=1)
    out[np.isnan(block).all(axis=1)] = np.nan
    return out


def _sum_all_present(values: np.ndarray, cells: Sequence[str]) -> np.ndarray:
    """Row-wise sum; NaN where any cell is absent."""
    return values[:, [_INDEX[c] for c in cells]].sum(axis=1)


def _column(values: np.ndarray, cell: str) -> np.ndarray:
    return values[:, _INDEX[cell]]


@cache
def _expected_cells(version: cat.Version, single: bool, entities: bool, items_2019: bool) -> tuple[str, ...]:
    cells = cat.expected_cells(version, other_single_row=single, with_entities=entities)
    if version == "2019" and items_2019:
        # a 2019 table printing （六） as three items is read as such; nothing is missing
        cols = cat.t3_columns(entities)
        items = tuple(cat.cell_id(3, r, c.id) for r in cat.T3_OTHER_ITEM_ROWS for c in cols)
        single_cells = [cat.cell_id(3, cat.T3_OTHER_ALL_ROW, c.id) for c in cols]
        at = cells.index(single_cells[0])
        cells = (*cells[:at], *items, *cells[at + len(single_cells) :])
    return cells


def missing_parts(report: Report) -> list[str]:
    """What structure.sections finds missing: tables (`t2`), narrative sections (`section:五`), cells.

    A missing table stands for its section and its cells; sections 二–四 are their tables, so
    only 一, 五 and 六 are looked for among the narrative headings. On a 2021 table the single
    （六） row stands for its three items, and a 2019 table printing the items is complete too.
    """
    gone = tuple(sorted({p.cell for p in report.problems if p.cell and p.raw is None}))
    return list(_missing(report.version, tuple(report.cells), gone, tuple(report.narrative)))


@lru_cache(maxsize=4096)
def _missing(
    version: cat.Version | None, keys: tuple[str, ...], gone: tuple[str, ...], sections: tuple[str, ...]
) -> tuple[str, ...]:
    present = set(keys).difference(gone)
    tables_missing = {t for t in gone if t in ("t2", "t3", "t4")}
    cells_missing: list[str] = []
    if version is not None:
        single = any(c.startswith(_OTHER_ALL_PREFIX) for c in present)
        items = any(c.startswith(_OTHER_ITEM_PREFIXES) for c in present)
        entities = any(c.endswith(".entities") for c in present)
        expected = _expected_cells(version, single, entities, items and not single)
        for table in ("t2", "t3", "t4"):
            of_table = [c for c in expected if c.startswith(table + ".")]
            if of_table and not any(c in present for c in of_table):
                tables_missing.add(table)
        cells_missing = [c for c in expected if c not in present and c[:2] not in tables_missing]
    found_sections = [
        f"section:{s}" for s in cat.SECTION_NUMERALS if s not in cat.TABLE_OF_SECTION and s not in sections
    ]
    return (*sorted(tables_missing), *found_sections, *cells_missing)


def _joined(items: Sequence[str]) -> str | None:
    return ";".join(items) if items else None


def _listed_cells(mask: np.ndarray, cells: Sequence[str]) -> list[str | None]:
    """Per row, the cells (of `cells`) where mask is true, joined by ';' (None where none)."""
    idx = np.array([_INDEX[c] for c in cells], dtype=np.intp)
    sub = mask[:, idx]
    out: list[str | None] = [None] * len(mask)
    for i in np.flatnonzero(sub.any(axis=1)):
        out[i] = ";".join(cells[j] for j in np.flatnonzero(sub[i]))
    return out


def _unreadable(report: Report) -> str | None:
    bad = [[p.cell, p.raw] for p in report.problems if p.cell in _INDEX and p.raw is not None]
    return json.dumps(bad, ensure_ascii=False) if bad else None


_deadline = cache(agencies.deadline)
_rule_power = cache(agencies.has_rule_power)


def _normative_status(report: Report, prev: Previous) -> str:
    """Whether carryover.normative_in_force can be checked, and if not, why."""
    if "t2.normative.in_force" not in report.cells:
        return "not_applicable"  # a 2019 table has no 现行有效件数
    if prev.status != "paired" or prev.report is None:
        return prev.status
    if "t2.normative.in_force" not in prev.report.cells:
        return "previous_without_in_force"
    return "paired"


def _dates(values: Sequence[object]) -> pd.Series:
    return pd.to_datetime(pd.Series(values, dtype="object")).astype("datetime64[s]")


def _strings(values: Sequence[str | None]) -> pd.api.extensions.ExtensionArray:
    return pd.array(values, dtype="str")


def _previous_values(reports: Sequence[Report | None], cell: str) -> np.ndarray:
    """A cell of each previous-year report, as the frame holds cells (blank 0, absent NaN)."""
    out = np.full(len(reports), np.nan)
    for i, r in enumerate(reports):
        if r is not None and cell in r.cells and not any(p.cell == cell for p in r.problems):
            v = r.cells[cell]
            out[i] = 0.0 if v is None else v
    return out


@dataclass
class _Chunk:
    """What every column group is built from: the chunk's reports, their pairings and cells."""

    reports: Sequence[Report]
    pairs: list[Previous]
    cells: _Cells
    #: last year's report where the pairing found one
    previous: list[Report | None]

    @property
    def values(self) -> np.ndarray:
        return self.cells.values


Columns = dict[str, object]


def _report_columns(chunk: _Chunk) -> Columns:
    """The key (the report's position in the chunk), its source, agency, year and version."""
    reports = chunk.reports
    return {
        KEY: np.arange(len(reports), dtype=np.int64),
        SOURCE: _strings([r.source.text_path for r in reports]),  # GX hashes the frame: UTF-8 only
        AGENCY: _strings([r.agency for r in reports]),
        YEAR: pd.array([r.year for r in reports], dtype="Int64"),
        VERSION: _strings([r.version for r in reports]),
    }


def _cell_columns(chunk: _Chunk) -> Columns:
    """One column per cell id of either version (blank 0, absent NaN)."""
    return {c: chunk.values[:, j] for j, c in enumerate(CELLS)}


def _sum_columns(chunk: _Chunk) -> Columns:
    """Table 3 rows and columns, table 4 rows: the other side of each identity.

    A sum over cells of one row (or the four head rows of a column) is NaN when any of them is
    absent: the identity cannot be judged and structure.sections names the missing cell. The
    outcome rows are summed over those present: a 2021 table prints （六） as three items or
    as one row, never both.
    """
    values = chunk.values
    cols: Columns = {}
    for row in T3_ROW_IDS:
        cols[applicants_sum(row)] = _sum_all_present(values, [f"t3.{row}.{c}" for c in _APPLICANTS])
        cols[organisations_sum(row)] = _sum_all_present(
            values, [f"t3.{row}.{c}" for c in cat.T3_ORGANISATION_COLUMNS]
        )
    for col in T3_COLUMN_IDS:
        cols[outcomes_sum(col)] = _sum(values, [f"t3.{r}.{col}" for r in T3_OUTCOME_ROWS])
        cols[intake_sum(col)] = _sum_all_present(values, [f"t3.new.{col}", f"t3.carried_in.{col}"])
        cols[disposal_sum(col)] = _sum_all_present(
            values, [f"t3.processed_total.{col}", f"t3.carried_out.{col}"]
        )
    for row in T4_ROW_IDS:
        cols[results_sum(row)] = _sum_all_present(values, [f"t4.{row}.{c}" for c in _T4_RESULTS])
    return cols


def _last_year_columns(chunk: _Chunk) -> Columns:
    """Last year's carried_out per column and normative documents in force, and the pairing."""
    cols: Columns = {}
    for col in T3_COLUMN_IDS:
        cell = f"t3.carried_out.{col}"
        cols[last_year(cell)] = _previous_values(chunk.previous, cell)
    cols[PREV_SOURCE] = _strings([p.source.text_path if p else None for p in chunk.previous])
    cols[PREV_STATUS] = _strings([p.status for p in chunk.pairs])
    cols[PREV_CANDIDATES] = _strings(["、".join(p.candidates) or None for p in chunk.pairs])
    prev_in_force = _previous_values(chunk.previous, "t2.normative.in_force")
    cols[last_year("t2.normative.in_force")] = prev_in_force
    issued = np.nan_to_num(_column(chunk.values, "t2.normative.issued"))
    repealed = np.nan_to_num(_column(chunk.values, "t2.normative.repealed"))
    cols[NORMATIVE_EXPECTED] = prev_in_force + issued - repealed
    cols[NORMATIVE_STATUS] = _strings(
        [_normative_status(r, p) for r, p in zip(chunk.reports, chunk.pairs, strict=True)]
    )
    return cols


def _narrative_columns(chunk: _Chunk) -> Columns:
    """The numbers the narrative states, and the table totals they must equal."""
    said = [stated_totals(r.narrative) for r in chunk.reports]
    cols: Columns = {}
    for m in measures():
        cols[stated(m.name)] = np.array([s.get(m.name, np.nan) for s in said], dtype=float)
        cols[tabled(m.name)] = _sum_all_present(chunk.values, m.cells)
    return cols


def _implausible(year: int | None, years: range) -> str | None:
    return None if year is None or year in years else str(year)


def _not_from_title(report: Report) -> str | None:
    """Where a year not printed in the title was read (year.in_title), else None."""
    return report.year_source if report.year is not None and report.year_source not in (None, "title") else None


def _fact_columns(chunk: _Chunk) -> Columns:
    """Report-level facts: version, deadline, 规章 power, layout, structure, blanks, unreadable text."""
    reports = chunk.reports
    years = plausible_years(date.today())
    return {
        VERSION_EXPECTED: _strings([cat.version_for_year(r.year) for r in reports]),
        PUBLISHED: _dates([r.published for r in reports]),
        DEADLINE: _dates([_deadline(r.agency, r.year) for r in reports]),
        RULES_SUM: _sum(chunk.values, RULES_CELLS),
        RULES_LIMIT: np.array([0.0 if _rule_power(r.agency) is False else np.nan for r in reports]),
        OTHER_LAYOUT: _strings([layout.other_layout for layout in chunk.cells.layouts]),
        OTHER_LAYOUT_EXPECTED: _strings(["items" if r.version == "2021" else None for r in reports]),
        STRUCTURE_MISSING: _strings([_joined(missing_parts(r)) for r in reports]),
        BLANK_TOTALS: _strings(_listed_cells(chunk.cells.blank, TOTAL_CELLS)),
        DOMAIN_UNREADABLE: _strings([_unreadable(r) if r.problems else None for r in reports]),
        YEAR_IMPLAUSIBLE: _strings([_implausible(r.year, years) for r in reports]),
        YEAR_SOURCE: _strings([_not_from_title(r) for r in reports]),
    }


#: The frame's column groups, in column order.
_COLUMN_GROUPS = (
    _report_columns,
    _cell_columns,
    _sum_columns,
    _last_year_columns,
    _narrative_columns,
    _fact_columns,
)


def build_frame(reports: Sequence[Report], previous: Sequence[Previous] | None = None) -> pd.DataFrame:
    """The validation frame for a chunk of reports; `previous[i]` pairs `reports[i]` with last year.

    Its index is the report_key (the report's position in the chunk), which is how GX's results
    name the failing reports.
    """
    n = len(reports)
    pairs = list(previous) if previous is not None else [NO_PREVIOUS] * n
    if len(pairs) != n:
        raise ValueError(f"{n} reports but {len(pairs)} previous-year pairings")
    chunk = _Chunk(reports, pairs, _cells(reports), [p.report if p.status == "paired" else None for p in pairs])
    cols: Columns = {}
    for group in _COLUMN_GROUPS:
        cols.update(group(chunk))
    return pd.DataFrame(cols)
