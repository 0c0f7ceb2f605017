"""A report's cells as rows of the three fact tables, and the layout that maps one onto the other.

Each table of the form has its fact table, keyed on (agency, year, row id, column id): table 二
→ fact_disclosure, 三 → fact_application, 四 → fact_review_litigation. Loading writes cells
through `fact_rows`, reading gives them back through the same `FACT_LAYOUT`, so a cell id
survives the round trip. Values no fact column can hold are not coerced: they become
`values.domain` findings and the report is rejected (FORMAT.md, Values).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import Any

from sqlalchemy import Table

from form import placing_messages
from form.catalogue import all_cells
from form.record import Finding, Report
from form.values import MAX_WHOLE, fits
from warehouse.schema import FactApplication, FactDisclosure, FactReviewLitigation


@dataclass(frozen=True)
class FactLayout:
    """Where one table of the form is stored: its fact table and the columns of a cell's row and column."""

    table: Table
    #: the table's number on the form (2, 3, 4)
    number: int
    row: str
    column: str

    @property
    def grain(self) -> tuple[str, ...]:
        """The fact table's key: one value per agency, year and cell."""
        return ("agency_id", "year", self.row, self.column)


#: in the form's table order; `FactRows` holds one list per entry, in the same order
FACT_LAYOUT: tuple[FactLayout, ...] = (
    FactLayout(FactDisclosure.__table__, 2, "item_id", "measure_id"),
    FactLayout(FactApplication.__table__, 3, "outcome_id", "applicant_type_id"),
    FactLayout(FactReviewLitigation.__table__, 4, "proceeding_id", "result_id"),
)
_POSITION = {layout.number: i for i, layout in enumerate(FACT_LAYOUT)}

#: rows for each fact table of `FACT_LAYOUT`, in its order
FactRows = tuple[list[dict[str, Any]], ...]


@cache
def _cell_map() -> dict[str, tuple[int, str, str, str]]:
    """cell id → (position in FACT_LAYOUT, row, column, kind): the catalogue for the per-cell hot path."""
    return {cid: (_POSITION[c.table], c.row, c.column, c.kind) for cid, c in all_cells().items()}


def _domain(cell: str, value: Any, message: str) -> Finding:
    return Finding(rule="values.domain", severity="hard", cells=[cell], printed=value, message=message)


def stored_value(cell: str, value: Any, kind: str) -> tuple[Any, Finding | None]:
    """The value as its fact column stores it, or the `values.domain` finding it is instead.

    A value too large for its column is a finding, never a failed load. Amounts and blanks are
    stored as printed; counts and changes must be whole numbers (a float
    holding one becomes an int), and counts may not be negative.
    """
    if value is None:
        return value, None
    if not fits(value, kind):
        return None, _domain(cell, value, placing_messages.too_large(cell, value))
    if kind == "amount":
        return value, None
    if isinstance(value, float):
        if not value.is_integer():
            return None, _domain(cell, value, placing_messages.not_whole(cell, value))
        value = int(value)
    if kind == "count" and value < 0:
        return None, _domain(cell, value, placing_messages.negative(cell, value))
    return value, None


def fact_rows(
    report: Report, agency_id: str, year: int, submission_key: int
) -> tuple[FactRows, list[Finding]]:
    """The report's printed cells as rows of the three fact tables (blank cells as NULL rows).

    Cells outside the catalogue and values outside a cell's domain are not written: each becomes
    a hard `values.domain` finding instead, so nothing is silently coerced.
    """
    out: FactRows = tuple([] for _ in FACT_LAYOUT)
    problems: list[Finding] = []
    cells = _cell_map()
    for cell, printed in report.cells.items():
        spec = cells.get(cell)
        if spec is None:
            problems.append(_domain(cell, printed, placing_messages.not_a_cell(cell)))
            continue
        position, row, column, kind = spec
        value = printed
        # the common case, a whole non-negative number, needs no check (this runs per cell)
        if printed is not None and (
            kind == "amount" or type(printed) is not int or not 0 <= printed <= MAX_WHOLE
        ):
            value, problem = stored_value(cell, printed, kind)
            if problem is not None:
                problems.append(problem)
                continue
        layout = FACT_LAYOUT[position]
        out[position].append(
            {
                "agency_id": agency_id,
                "year": year,
                layout.row: row,
                layout.column: column,
                "value": value,
                "submission_key": submission_key,
            }
        )
    return out, problems
