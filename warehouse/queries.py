"""Reading the warehouse back: province totals (汇总), one report's facts, checksums, integrity.

`province_totals` is the consolidated table the provincial office publishes: each cell summed over
every agency's loaded report of the year (printed values; a blank adds nothing). `facts_for`
gives one agency-year's cells back in the report's own vocabulary (`facts_of_pairs` many at
once; `warehouse.previous_year` rebuilds last year's reports with them). `superseded_in_run`
says which files a run replaced by newer ones (the backfill's selection is `warehouse.backfill`). `table_checksums` and
`orphan_facts` let tests and operators prove that a reload changed nothing and that every fact
still joins its dimensions.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import Any

from sqlalchemy import Connection, Select, and_, exists, func, or_, select, table
from sqlalchemy.sql.expression import ColumnClause

from form.catalogue import all_cells, cell_id
from form.values import Number
from warehouse.facts import FACT_LAYOUT
from warehouse.records import Pair
from warehouse.regions import region_level
from warehouse.schema import (
    STAR_TABLES,
    Agency,
    Base,
    DimAgency,
    DimApplicantType,
    DimDisclosureItem,
    DimOutcome,
    DimProceeding,
    DimResult,
    DimSubmission,
    DimYear,
    LoadAudit,
)
from warehouse.sql import chunks

#: decimals kept for amounts (the scale of fact_disclosure.value)
AMOUNT_DECIMALS = 6


def as_number(value: Any, cell: str) -> Number | None:
    """A cell value as the fact tables give it back: amounts rounded to their stored scale, counts int.

    Reloads compare a new reading with the stored facts through this, so a value that would be
    stored unchanged never counts as a change.
    """
    if value is None:
        return None
    if all_cells()[cell].kind == "amount":
        return round(float(value), AMOUNT_DECIMALS)
    return int(value) if isinstance(value, Decimal | float) else value


def region_prefix(region_code: str) -> str:
    """The code prefix every region under `region_code` shares (32 for 320000, 3208 for 320800)."""
    return {"province": region_code[:2], "city": region_code[:4]}.get(region_level(region_code), region_code)


def province_totals(conn: Connection, year: int, region_code: str | None = None) -> dict[str, Number | None]:
    """Every cell summed over the agencies' facts for `year` (optionally within one region)."""
    ay = table("v_agency_year", ColumnClause("agency_id"), ColumnClause("year"), ColumnClause("region_code"))
    out: dict[str, Number | None] = {}
    for layout in FACT_LAYOUT:
        fact, row_col, column_col = layout.table, layout.row, layout.column
        query = select(fact.c[row_col], fact.c[column_col], func.sum(fact.c.value)).where(fact.c.year == year)
        if region_code is not None:
            query = query.join(ay, and_(ay.c.agency_id == fact.c.agency_id, ay.c.year == fact.c.year)).where(
                ay.c.region_code.like(region_prefix(region_code) + "%")
            )
        for row, column, total in conn.execute(query.group_by(fact.c[row_col], fact.c[column_col])):
            cell = cell_id(layout.number, row, column)
            out[cell] = as_number(total, cell)
    return out


def facts_for(conn: Connection, agency_id: str, year: int) -> dict[str, Number | None]:
    """The cells the fact tables hold for one agency and year, keyed by cell id."""
    out: dict[str, Number | None] = {}
    for layout in FACT_LAYOUT:
        fact = layout.table
        query = select(fact.c[layout.row], fact.c[layout.column], fact.c.value).where(
            fact.c.agency_id == agency_id, fact.c.year == year
        )
        for row, column, value in conn.execute(query):
            cell = cell_id(layout.number, row, column)
            out[cell] = as_number(value, cell)
    return out


def facts_of_pairs(
    conn: Connection, pairs: Iterable[Pair]
) -> dict[Pair, dict[str, tuple[Number | None, int]]]:
    """Each (agency, year)'s cells with the submission each came from, a few queries per 900 agencies."""
    wanted = set(pairs)
    out: dict[Pair, dict[str, tuple[Number | None, int]]] = {p: {} for p in wanted}
    if not wanted:
        return out
    agencies = sorted({a for a, _ in wanted})
    years = sorted({y for _, y in wanted})
    for layout in FACT_LAYOUT:
        fact = layout.table
        for part in chunks(agencies):
            query = select(
                fact.c.agency_id,
                fact.c.year,
                fact.c[layout.row],
                fact.c[layout.column],
                fact.c.value,
                fact.c.submission_key,
            ).where(fact.c.agency_id.in_(part), fact.c.year.in_(years))
            for agency, year, row, column, value, key in conn.execute(query):
                cells = out.get((agency, year))
                if cells is not None:
                    cell = cell_id(layout.number, row, column)
                    cells[cell] = (as_number(value, cell), key)
    return out


def run_supersessions(run_id: str, keys: Sequence[int] | None = None) -> Select[tuple[int, int]]:
    """(key, superseded_by) of submissions that arrived in `run_id` and are superseded by one that
    also arrived in it (optionally only among `keys`: at most one `IN` list's worth)."""
    s, a = DimSubmission.__table__, LoadAudit.__table__
    n, b = DimSubmission.__table__.alias("n"), LoadAudit.__table__.alias("b")
    query = (
        select(s.c.submission_key, s.c.superseded_by)
        .join(a, a.c.audit_key == s.c.audit_key)
        .join(n, n.c.submission_key == s.c.superseded_by)
        .join(b, b.c.audit_key == n.c.audit_key)
        .where(a.c.run_id == run_id, b.c.run_id == run_id)
    )
    return query if keys is None else query.where(s.c.submission_key.in_(keys))


def superseded_in_run(conn: Connection, run_id: str) -> dict[int, int]:
    """Submissions that arrived in `run_id` and are superseded by one that also arrived in it: key → by.

    A run loads in chunks, and a chunk's results cannot know that a later chunk superseded one of
    its files; after the last chunk this says which files to report as "superseded".
    """
    return {key: by for key, by in conn.execute(run_supersessions(run_id))}


def _canonical(value: Any) -> str:
    if value is None:
        return "\0"
    if isinstance(value, float | Decimal):
        return repr(round(float(value), AMOUNT_DECIMALS))
    if isinstance(value, bool):
        return str(int(value))
    return str(value)


def table_checksums(conn: Connection, tables: Iterable[str] = STAR_TABLES) -> dict[str, tuple[int, str]]:
    """(row count, sha256 of the sorted rows) per table: equal before and after a no-op reload."""
    out = {}
    for name in tables:
        t = Base.metadata.tables[name]
        rows = sorted("\x1f".join(_canonical(v) for v in row) for row in conn.execute(select(t)))
        digest = hashlib.sha256("\x1e".join(rows).encode()).hexdigest()
        out[name] = (len(rows), digest)
    return out


def orphan_facts(conn: Connection) -> dict[str, int]:
    """Fact rows without their agency, year or dimension rows, or not from their (agency, year)'s
    fact-source submission (should all be 0: fact tables have no foreign keys, see schema.py)."""
    checks = {
        "fact_application": [
            (DimOutcome.__table__, ("outcome_id",)),
            (DimApplicantType.__table__, ("applicant_type_id",)),
        ],
        "fact_disclosure": [(DimDisclosureItem.__table__, ("item_id", "measure_id"))],
        "fact_review_litigation": [
            (DimProceeding.__table__, ("proceeding_id",)),
            (DimResult.__table__, ("result_id",)),
        ],
    }
    out = {}
    for fact in (layout.table for layout in FACT_LAYOUT):
        dims = [(Agency.__table__, ("agency_id",)), (DimYear.__table__, ("year",)), *checks[fact.name]]
        missing = [~exists().where(and_(*(dim.c[k] == fact.c[k] for k in keys))) for dim, keys in dims]
        s = DimSubmission.__table__.c
        source = (s.submission_key == fact.c.submission_key) & (s.agency_id == fact.c.agency_id)
        missing.append(~exists().where(source, s.year == fact.c.year, s.has_facts.is_(True)))
        out[fact.name] = conn.execute(
            select(func.count()).select_from(fact).where(or_(*missing))
        ).scalar_one()
    return out


def contact_emails(conn: Connection, agency_ids: Iterable[str]) -> dict[str, str]:
    """Each agency's current contact email (agencies without one are left out)."""
    ids = sorted({a for a in agency_ids if a})
    if not ids:
        return {}
    t = DimAgency.__table__.c
    rows = conn.execute(select(t.agency_id, t.email).where(t.agency_id.in_(ids), t.is_current.is_(True)))
    return {r.agency_id: r.email for r in rows if r.email}
