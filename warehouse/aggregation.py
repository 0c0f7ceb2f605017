"""The provincial aggregation (汇总) of a year: cells summed by scope, completeness, lateness, pass rates.

`aggregate(engine_or_conn, year)` computes everything in the database (INSERT … SELECT … GROUP BY,
no Python loop over facts; the statements are in `warehouse.aggregation_sql`) and replaces the
year's rows of agg_agency, agg_cell, agg_status and agg_run in one transaction, so running it
twice stores the same rows. It returns an `Aggregation` the flows can print; `read_aggregation`
gives the stored one back.

What counts (decisions):
- **Facts**: each agency's facts as the warehouse holds them — those of its latest *loaded*
  submission for the year (`dim_submission.has_facts`, state loaded). A blank cell adds 0 to the
  sum and is counted in `agg_cell.blanks`.
- **Scopes**: `province` (every agency; the code is the province's 2-digit prefix + 0000, and
  provisional agencies count in the one province the registry names — 000000 when it names none
  or several), `city` (4-digit prefix, agencies below a city), `county` (6-digit code, agencies at
  or below a county), `level` (the agency's level in the year: province, city, county, township,
  department) and `unassigned` (000000: provisional agencies awaiting `xxgk registry map`, also
  inside the province total). Region and level are the registry version valid in the year.
- **Status** per agency (agg_agency, the grain of agg_status): *expected* = a registered agency
  whose registry period covers the year; *submitted* = it has a placed submission for the year;
  *loaded*/*rejected*/*review* = the state of its latest submission (the agency's last word, as
  v_submission_status says); *missing* = expected without a submission (a file that could not be
  read or placed is not attributable, so its agency counts as missing); *unexpected* = submitted
  but not expected (provisional agencies, years outside the registry period). Completeness =
  expected_submitted / expected; pass rate = loaded / submitted.
- **Lateness** (`deadline`): FORMAT.md gives departments 31 January and a government's own report
  31 March of the next year. The warehouse knows the level from the registry, not the name, so:
  province, city, county and township (governments) → 31 March; department → 31 January;
  provisional agencies (level unknown) are not judged (`undated`). An agency is late when the
  earliest publication date printed on its submissions for the year is after its deadline (a
  correction does not make an on-time agency late); no printed date → `undated`.
- **Consolidated reports** (the registry's `consolidated` mark: a government reporting its whole
  region) are not summed — their members' reports are — and each is compared cell by cell with
  its members' sum (`warehouse.consolidation`, agg_finding).
- **Quarantined**: unreadable or unplaceable files have no year either; the province scope
  counts every such file still stored (any year) — what a parser fix or a resubmission would
  recover.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, fields
from datetime import date, datetime
from typing import Any

from sqlalchemy import Connection, Date, Engine, bindparam, delete, func, insert, select, text

from form.deadlines import publication_deadline
from form.registry_format import CONSOLIDATED, GOVERNMENT_LEVELS, LEVEL_NAMES
from form.values import Number
from warehouse import clock
from warehouse.aggregation_sql import (
    AGENCY_SQL,
    CELL_SQL,
    LEVEL_RATES_SQL,
    RATES_SQL,
    STATUS_SQL,
    UNPLACED_SQL,
)
from warehouse.consolidation import ConsolidationFinding, compare_consolidated, consolidation_findings
from warehouse.queries import as_number
from warehouse.schema import (
    FACT_TABLES,
    UNASSIGNED_REGION,
    AggAgency,
    AggCell,
    AggFinding,
    AggRun,
    AggStatus,
    DimRegion,
    DimSubmission,
)

Scope = tuple[str, str]


def deadline(level: str | None, year: int) -> date | None:
    """The last on-time publication day of a report on `year` by an agency of `level` (None: unknown)."""
    if level in GOVERNMENT_LEVELS:
        return publication_deadline(year, government=True)
    if level == "department":
        return publication_deadline(year, government=False)
    return None


# ---- results -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class ScopeStatus:
    """One agg_status row."""

    scope_type: str
    scope_code: str
    scope_name: str | None
    expected: int
    submitted: int
    expected_submitted: int
    loaded: int
    rejected: int
    missing: int
    unexpected: int
    late: int
    on_time: int
    undated: int
    quarantined: int
    completeness: float | None
    pass_rate: float | None
    #: agencies whose latest submission is a scan held for review (neither loaded nor rejected)
    review: int = 0


@dataclass(frozen=True)
class AgencyStatus:
    """One agg_agency row."""

    agency_id: str
    agency_name: str | None
    level: str | None
    region_code: str
    expected: bool
    status: str
    submissions: int
    latest_submission_key: int | None
    facts_submission_key: int | None
    published: date | None
    deadline: date | None
    late: bool | None
    hard_findings: int
    soft_findings: int


@dataclass
class Aggregation:
    """A year's stored aggregation, ready to print."""

    year: int
    run_id: str | None
    computed_at: datetime
    province_code: str
    #: agencies whose facts were summed
    reports: int
    #: (scope_type, scope_code) → cell → sum (blank as 0)
    cells: dict[Scope, dict[str, Number]] = field(default_factory=dict)
    #: (scope_type, scope_code) → cell → (reports carrying it, of those leaving it blank)
    cell_counts: dict[Scope, dict[str, tuple[int, int]]] = field(default_factory=dict)
    status: dict[Scope, ScopeStatus] = field(default_factory=dict)
    #: agencies with the most hard findings on their latest submission (most first)
    worst: list[AgencyStatus] = field(default_factory=list)
    #: consolidated reports' cells that differ from their members' sum
    consolidation: list[ConsolidationFinding] = field(default_factory=list)
    #: paths of the documents a run wrote from it, and what it could not write (set by the flow)
    documents: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def province(self) -> dict[str, Number]:
        """The province's 汇总: every cell summed over every agency."""
        return self.cells.get(("province", self.province_code), {})

    def reports_in(self, scope: Scope) -> int:
        """Reports summed in a scope (the most any of its cells counted)."""
        return max((n for n, _ in self.cell_counts.get(scope, {}).values()), default=0)

    def totals(self, scope_type: str, scope_code: str) -> dict[str, Number]:
        return self.cells.get((scope_type, scope_code), {})

    def scopes(self, scope_type: str) -> list[ScopeStatus]:
        """The status rows of one scope type, by code."""
        return [s for (kind, _), s in sorted(self.status.items()) if kind == scope_type]

    def summary(self, cells: tuple[str, ...] = ("t3.new.total", "t3.processed_total.total")) -> list[str]:
        """A few printable lines: the province, each city, each level, the worst agencies."""

        def line(s: ScopeStatus) -> str:
            name = s.scope_name or s.scope_code
            figures = ", ".join(f"{c}={self.totals(s.scope_type, s.scope_code).get(c, 0)}" for c in cells)
            return (
                f"{name}: submitted {s.expected_submitted}/{s.expected}{_pct(s.completeness)}, "
                f"loaded {s.loaded}, rejected {s.rejected}{_pct(s.pass_rate, ' pass')}, review {s.review}, missing {s.missing}, "
                f"late {s.late}, unexpected {s.unexpected}; {figures}"
            )

        out = [f"{self.year} {CONSOLIDATED} ({self.reports} reports, computed {self.computed_at:%Y-%m-%d %H:%M})"]
        for kind in ("province", "unassigned", "city", "level"):
            out += [("  " if kind != "province" else "") + line(s) for s in self.scopes(kind)]
        if self.province_code and (p := self.status.get(("province", self.province_code))) and p.quarantined:
            out.append(f"quarantined files (any year): {p.quarantined}")
        if self.consolidation:
            differing = len({f.agency_id for f in self.consolidation})
            out.append(
                f"consolidated reports differing from their members: {differing} "
                f"({len(self.consolidation)} cells)"
            )
        for a in self.worst:
            out.append(
                f"  worst: {a.agency_name or a.agency_id} ({a.agency_id}) {a.hard_findings} hard findings"
            )
        return out


def _pct(value: float | None, label: str = "") -> str:
    return "" if value is None else f" ({value:.1%}{label})"


# ---- computing and reading ----------------------------------------------------------------------


def province_code(conn: Connection) -> str:
    """The province the registry names (its region of level province), or 000000 if none or several."""
    r = DimRegion.__table__
    codes = conn.execute(select(r.c.region_code).where(r.c.level == "province")).scalars().all()
    return codes[0] if len(codes) == 1 else UNASSIGNED_REGION


@contextmanager
def _transaction(target: Engine | Connection) -> Iterator[Connection]:
    if isinstance(target, Engine):
        with target.begin() as conn:
            yield conn
    else:
        yield target


def aggregate(
    target: Engine | Connection, year: int, run_id: str | None = None, *, worst: int = 10
) -> Aggregation:
    """Compute and store the aggregation of `year`, replacing what was stored for it.

    Given an Engine, one transaction of its own; given a Connection, the caller's transaction
    (commit it: `with engine.begin() as conn`).
    """
    with _transaction(target) as conn:
        for model in (AggCell, AggStatus, AggAgency, AggRun, AggFinding):
            table = model.__table__
            conn.execute(delete(table).where(table.c.year == year))
        home = province_code(conn)
        params = {"year": year, "home": home}
        dates = text(AGENCY_SQL).bindparams(
            bindparam("government_deadline", publication_deadline(year, government=True), type_=Date),
            bindparam("department_deadline", publication_deadline(year, government=False), type_=Date),
        )
        _analyze(conn, ("dim_submission", "dim_agency", "fact_finding", *(t.name for t in FACT_TABLES)))
        conn.execute(dates, {"year": year})
        _analyze(conn, ("agg_agency",))
        conn.execute(text(CELL_SQL), params)
        conn.execute(text(STATUS_SQL), params)
        conn.execute(text(RATES_SQL), {"year": year})
        conn.execute(text(LEVEL_RATES_SQL), {"year": year})
        compare_consolidated(conn, year)
        s = AggStatus.__table__
        for level, name in LEVEL_NAMES.items():
            conn.execute(
                s.update()
                .where(s.c.year == year, s.c.scope_type == "level", s.c.scope_code == level)
                .values(scope_name=name)
            )
        conn.execute(
            s.update()
            .where(s.c.year == year, s.c.scope_type == "province", s.c.scope_code == home)
            .values(quarantined=conn.execute(text(UNPLACED_SQL)).scalar_one())
        )
        a, c = AggAgency.__table__, AggCell.__table__
        count = _count(conn, a, year)
        reports = _count(conn, a, year, a.c.facts_submission_key.is_not(None))
        cells = _count(conn, c, year)
        conn.execute(
            insert(AggRun.__table__).values(
                year=year,
                run_id=run_id,
                computed_at=clock.now(),
                province_code=home,
                agencies=count,
                reports=reports,
                cells=cells,
            )
        )
        found = read_aggregation(conn, year, worst=worst)
    assert found is not None
    return found


def aggregate_earlier_years(engine: Engine, year: int, run_id: str | None = None) -> list[int]:
    """Aggregate every year before `year` that has submissions but was never aggregated, so the
    documents' trends cover every loaded year; years already aggregated are left as stored."""
    sub, run = DimSubmission.__table__, AggRun.__table__
    with engine.connect() as conn:
        years = conn.execute(
            select(sub.c.year)
            .distinct()
            .where(sub.c.year < year, sub.c.year.is_not(None), sub.c.year.not_in(select(run.c.year)))
            .order_by(sub.c.year)
        ).scalars().all()
    for earlier in years:
        aggregate(engine, earlier, run_id)
    return list(years)


def _analyze(conn: Connection, tables: tuple[str, ...]) -> None:
    """Fresh planner statistics on PostgreSQL: right after a load (or the agg_agency insert just
    above) it believes the tables hold one row and plans nested loops — 3 s instead of 30 ms for
    6,000 facts. ANALYZE samples a bounded number of rows, so it stays cheap on large tables."""
    if conn.dialect.name == "postgresql":
        conn.exec_driver_sql(f"ANALYZE {', '.join(tables)}")


def _count(conn: Connection, table: Any, year: int, *where: Any) -> int:
    return int(
        conn.execute(select(func.count()).select_from(table).where(table.c.year == year, *where)).scalar_one()
    )


def read_aggregation(conn: Connection, year: int, *, worst: int = 10) -> Aggregation | None:
    """The stored aggregation of `year` (None: never aggregated)."""
    run = conn.execute(select(AggRun.__table__).where(AggRun.__table__.c.year == year)).one_or_none()
    if run is None:
        return None
    out = Aggregation(
        year=year,
        run_id=run.run_id,
        computed_at=run.computed_at,
        province_code=run.province_code,
        reports=run.reports,
    )
    c = AggCell.__table__
    for scope_type, scope_code, cell, value, reports, blanks in conn.execute(
        select(c.c.scope_type, c.c.scope_code, c.c.cell_id, c.c.value, c.c.reports, c.c.blanks).where(
            c.c.year == year
        )
    ):
        out.cells.setdefault((scope_type, scope_code), {})[cell] = as_number(value, cell)  # type: ignore[assignment]
        out.cell_counts.setdefault((scope_type, scope_code), {})[cell] = (reports, blanks)
    s = AggStatus.__table__
    names = [f.name for f in fields(ScopeStatus)]
    for row in conn.execute(select(*(s.c[n] for n in names)).where(s.c.year == year)):
        status = ScopeStatus(*row)
        out.status[(status.scope_type, status.scope_code)] = status
    a = AggAgency.__table__
    agency_names = [f.name for f in fields(AgencyStatus)]
    query = (
        select(*(a.c[n] for n in agency_names))
        .where(a.c.year == year, a.c.hard_findings > 0)
        .order_by(a.c.hard_findings.desc(), a.c.agency_id)
        .limit(worst)
    )
    out.worst = [AgencyStatus(*row) for row in conn.execute(query)]
    out.consolidation = consolidation_findings(conn, year)
    return out


def agency_statuses(conn: Connection, year: int) -> list[AgencyStatus]:
    """Every agency row of the stored aggregation of `year` (expected or submitting), by agency id."""
    a = AggAgency.__table__
    names = [f.name for f in fields(AgencyStatus)]
    rows = conn.execute(select(*(a.c[n] for n in names)).where(a.c.year == year).order_by(a.c.agency_id))
    return [AgencyStatus(*row) for row in rows]
