"""Consolidated reports against their members: the aggregation's `aggregate.consolidated_matches_members`.

A government the registry marks `consolidated` reports its whole region (本级/全市/全县 汇总). Its
report must equal, cell by cell, the sum of its members' loaded reports; every cell that does not
is one soft finding with both figures (agg_finding). Which agencies are members, and why the
consolidated report is left out of the 汇总 sums, is said in `warehouse.aggregation_sql`.
"""

from __future__ import annotations

from dataclasses import dataclass, fields

from sqlalchemy import Connection, select, text

from form.rules import AGGREGATION_RULES
from form.values import Number
from warehouse.aggregation_sql import CONSOLIDATED_SQL
from warehouse.queries import as_number
from warehouse.schema import AggFinding

RULE = AGGREGATION_RULES[0].id


@dataclass(frozen=True)
class ConsolidationFinding:
    """One agg_finding row: a consolidated report's cell and its members' sum."""

    year: int
    agency_id: str
    rule_id: str
    cell_id: str
    submission_key: int
    #: the consolidated report's figure (blank as 0)
    printed: Number
    #: the sum of the members' loaded reports (blank as 0)
    expected: Number
    #: member reports summed
    members: int


def compare_consolidated(conn: Connection, year: int) -> int:
    """Store the year's findings (agg_agency must hold the year); returns how many were found."""
    return conn.execute(text(CONSOLIDATED_SQL), {"year": year, "rule": RULE}).rowcount


def consolidation_findings(conn: Connection, year: int) -> list[ConsolidationFinding]:
    """The stored findings of `year`, by agency and cell."""
    t = AggFinding.__table__
    names = [f.name for f in fields(ConsolidationFinding)]
    rows = conn.execute(
        select(*(t.c[n] for n in names)).where(t.c.year == year).order_by(t.c.agency_id, t.c.cell_id)
    )
    return [
        ConsolidationFinding(
            **{**row._asdict(), "printed": as_number(row.printed, row.cell_id), "expected": as_number(row.expected, row.cell_id)}
        )
        for row in rows
    ]
