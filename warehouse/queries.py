"""Reading the warehouse back: province totals (汇总), one report's facts, checksums, integrity.

`province_totals` is the consolidated table the provincial office publishes: each cell summed over
every agency's loaded report of the year (printed values; a blank adds nothing). `facts_for`
gives one agency-year's cells back in the report's own vocabulary, and `previous_year_report`
the previous year's report that cross-year rules pair with. `table_checksums` and `orphan_facts` let tests and operators prove that a
reload changed nothing and that every fact still joins its dimensions.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from sqlalchemy import Connection, and_, exists, func, or_, select, table
from sqlalchemy.sql.expression import ColumnClause

from form.catalogue import all_cells, cell_id
from form.record import Report, Source
from form.values import Number
from warehouse.registry import AgencyMatcher, load_matcher, region_level
from warehouse.schema import (
    STAR_TABLES,
    Agency,
    Base,
    DimApplicantType,
    DimDisclosureItem,
    DimOutcome,
    DimProceeding,
    DimResult,
    DimSubmission,
    DimYear,
    FactApplication,
    FactDisclosure,
    FactReviewLitigation,
)

#: fact table, its table number on the form, its (row, column) key columns
_FACT_CELLS = (
    (FactDisclosure.__table__, 2, ("item_id", "measure_id")),
    (FactApplication.__table__, 3, ("outcome_id", "applicant_type_id")),
    (FactReviewLitigation.__table__, 4, ("proceeding_id", "result_id")),
)
#: decimals kept for amounts (the scale of fact_disclosure.value)
AMOUNT_DECIMALS = 6


def _number(value: Any, cell: str) -> Number | None:
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
    for fact, number, (row_col, column_col) in _FACT_CELLS:
        query = select(fact.c[row_col], fact.c[column_col], func.sum(fact.c.value)).where(fact.c.year == year)
        if region_code is not None:
            query = query.join(ay, and_(ay.c.agency_id == fact.c.agency_id, ay.c.year == fact.c.year)).where(
                ay.c.region_code.like(region_prefix(region_code) + "%")
            )
        for row, column, total in conn.execute(query.group_by(fact.c[row_col], fact.c[column_col])):
            cell = cell_id(number, row, column)
            out[cell] = _number(total, cell)
    return out


def facts_for(conn: Connection, agency_id: str, year: int) -> dict[str, Number | None]:
    """The cells the fact tables hold for one agency and year, keyed by cell id."""
    out: dict[str, Number | None] = {}
    for fact, number, (row_col, column_col) in _FACT_CELLS:
        query = select(fact.c[row_col], fact.c[column_col], fact.c.value).where(
            fact.c.agency_id == agency_id, fact.c.year == year
        )
        for row, column, value in conn.execute(query):
            cell = cell_id(number, row, column)
            out[cell] = _number(value, cell)
    return out


def previous_year_report(
    conn: Connection, printed_agency: str, year: int, matcher: AgencyMatcher | None = None
) -> Report | None:
    """For a report of `year`: its agency's loaded report of `year - 1`, rebuilt from the facts.

    Cross-year rules pair with this; None means "not checkable", never a pass (DESIGN decision
    4). The Report's source is the submission the facts came from, so a finding can name it.
    Pass one `registry.load_matcher(conn)` when pairing many reports.
    """
    match = (matcher or load_matcher(conn)).match(printed_agency, year)
    if match.agency_id is None:
        return None
    s = DimSubmission.__table__.c
    source = conn.execute(
        select(s.path, s.sha256, s.media_type, s.printed_agency, s.version, s.published).where(
            s.agency_id == match.agency_id, s.year == year - 1, s.has_facts.is_(True)
        )
    ).one_or_none()
    if source is None:
        return None
    return Report(
        source=Source(path=source.path, sha256=source.sha256, media_type=source.media_type),
        agency=source.printed_agency,
        year=year - 1,
        version=source.version,
        published=source.published,
        cells=facts_for(conn, match.agency_id, year - 1),
    )


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
    for fact, _, _ in _FACT_CELLS:
        dims = [(Agency.__table__, ("agency_id",)), (DimYear.__table__, ("year",)), *checks[fact.name]]
        missing = [~exists().where(and_(*(dim.c[k] == fact.c[k] for k in keys))) for dim, keys in dims]
        s = DimSubmission.__table__.c
        source = (s.submission_key == fact.c.submission_key) & (s.agency_id == fact.c.agency_id)
        missing.append(~exists().where(source, s.year == fact.c.year, s.has_facts.is_(True)))
        out[fact.name] = conn.execute(
            select(func.count()).select_from(fact).where(or_(*missing))
        ).scalar_one()
    return out
