"""The provincial aggregation (汇总) of a year: cells summed by scope, completeness, lateness, pass rates.

`aggregate(engine_or_conn, year)` computes everything in the database (INSERT … SELECT … GROUP BY,
no Python loop over facts) and replaces the year's rows of agg_agency, agg_cell, agg_status and
agg_run in one transaction, so running it twice stores the same rows. It returns an
`Aggregation` the flows can print; `read_aggregation` gives the stored one back.

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
  *loaded*/*rejected* = the state of its latest submission (the agency's last word, as
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
- **Quarantined**: unreadable or unplaceable files have no year either; the province scope
  counts every such file still stored (any year) — what a parser fix or a resubmission would
  recover.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, fields
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import Connection, Date, Engine, bindparam, delete, func, insert, select, text

from form.deadlines import publication_deadline
from form.values import Number
from warehouse.queries import as_number
from warehouse.schema import FACT_TABLES, UNASSIGNED_REGION, AggAgency, AggCell, AggRun, AggStatus, DimRegion

SCOPE_TYPES = ("province", "city", "county", "level", "unassigned")
#: levels the registry gives governments: their own report is due 31 March
GOVERNMENT_DEADLINE_LEVELS = ("province", "city", "county", "township")
LEVEL_NAMES = {
    "province": "省级",
    "city": "市级",
    "county": "县级",
    "township": "乡镇（街道）",
    "department": "部门",
}
Scope = tuple[str, str]


def deadline(level: str | None, year: int) -> date | None:
    """The last on-time publication day of a report on `year` by an agency of `level` (None: unknown)."""
    if level in GOVERNMENT_DEADLINE_LEVELS:
        return publication_deadline(year, government=True)
    if level == "department":
        return publication_deadline(year, government=False)
    return None


# ---- SQL (plain SQL both databases run; the views of migration 0002 are in the same style) --------

_LEVELS_SQL = ", ".join(f"'{level}'" for level in LEVEL_NAMES)
_GOV_SQL = ", ".join(f"'{level}'" for level in GOVERNMENT_DEADLINE_LEVELS)

_AGENCY_SQL = f"""
WITH expected AS (
    SELECT v.agency_id, v.name, v.level, v.region_code
    FROM dim_agency v
    WHERE v.is_registered = TRUE AND v.valid_from <= :year AND (v.valid_to IS NULL OR v.valid_to >= :year)
),
subs AS (
    SELECT agency_id, COUNT(*) AS submissions, MIN(published) AS published
    FROM dim_submission WHERE year = :year AND agency_id IS NOT NULL
    GROUP BY agency_id
),
latest AS (
    SELECT agency_id, submission_key, state FROM dim_submission
    WHERE year = :year AND agency_id IS NOT NULL AND superseded_by IS NULL
),
holder AS (
    SELECT agency_id, submission_key FROM dim_submission
    WHERE year = :year AND agency_id IS NOT NULL AND has_facts = TRUE AND state = 'loaded'
),
found AS (
    SELECT f.submission_key,
        COUNT(DISTINCT CASE WHEN f.severity = 'hard' THEN f.finding_no END) AS hard,
        COUNT(DISTINCT CASE WHEN f.severity = 'soft' THEN f.finding_no END) AS soft
    FROM fact_finding f JOIN latest l ON l.submission_key = f.submission_key
    GROUP BY f.submission_key
),
agencies AS (
    SELECT agency_id FROM expected UNION SELECT agency_id FROM subs
),
placed AS (
    SELECT a.agency_id,
        COALESCE(e.name, ay.agency_name) AS agency_name,
        COALESCE(e.level, ay.agency_level) AS level,
        COALESCE(e.region_code, ay.region_code, '{UNASSIGNED_REGION}') AS region_code,
        CASE WHEN e.agency_id IS NULL THEN FALSE ELSE TRUE END AS expected,
        COALESCE(l.state, 'missing') AS status,
        COALESCE(s.submissions, 0) AS submissions,
        l.submission_key AS latest_submission_key,
        h.submission_key AS facts_submission_key,
        s.published,
        COALESCE(fd.hard, 0) AS hard_findings,
        COALESCE(fd.soft, 0) AS soft_findings
    FROM agencies a
    LEFT JOIN expected e ON e.agency_id = a.agency_id
    LEFT JOIN v_agency_year ay ON ay.agency_id = a.agency_id AND ay.year = :year
    LEFT JOIN subs s ON s.agency_id = a.agency_id
    LEFT JOIN latest l ON l.agency_id = a.agency_id
    LEFT JOIN holder h ON h.agency_id = a.agency_id
    LEFT JOIN found fd ON fd.submission_key = l.submission_key
),
dated AS (
    SELECT p.*,
        CASE WHEN p.level IN ({_GOV_SQL}) THEN :march WHEN p.level = 'department' THEN :january END AS deadline
    FROM placed p
)
INSERT INTO agg_agency (year, agency_id, agency_name, level, region_code, expected, status, submissions,
    latest_submission_key, facts_submission_key, published, deadline, late, hard_findings, soft_findings)
SELECT :year, agency_id, agency_name, level, region_code, expected, status, submissions,
    latest_submission_key, facts_submission_key, published, deadline,
    CASE WHEN published IS NULL OR deadline IS NULL THEN NULL WHEN published > deadline THEN TRUE ELSE FALSE END,
    hard_findings, soft_findings
FROM dated
"""


def _scoped(source: str, columns: str) -> str:
    """UNION ALL of `source` rows tagged with each scope they count in (see the module doc)."""
    province = f"CASE WHEN region_code = '{UNASSIGNED_REGION}' THEN :home ELSE SUBSTR(region_code, 1, 2) || '0000' END"
    return f"""
    SELECT 'province' AS scope_type, {province} AS scope_code, {columns} FROM {source}
    UNION ALL
    SELECT 'city', SUBSTR(region_code, 1, 4) || '00', {columns} FROM {source}
    WHERE region_code <> '{UNASSIGNED_REGION}' AND SUBSTR(region_code, 3, 2) <> '00'
    UNION ALL
    SELECT 'county', region_code, {columns} FROM {source} WHERE SUBSTR(region_code, 5, 2) <> '00'
    UNION ALL
    SELECT 'level', level, {columns} FROM {source} WHERE level IN ({_LEVELS_SQL})
    UNION ALL
    SELECT 'unassigned', region_code, {columns} FROM {source} WHERE region_code = '{UNASSIGNED_REGION}'"""


def _facts(table: str, table_no: int, row: str, column: str) -> str:
    return f"""
    SELECT f.agency_id, 't{table_no}.' || f.{row} || '.' || f.{column} AS cell_id, f.value
    FROM {table} f JOIN dim_submission s ON s.submission_key = f.submission_key
    WHERE f.year = :year AND s.has_facts = TRUE AND s.state = 'loaded'"""


_CELL_SQL = f"""
WITH f AS ({_facts("fact_disclosure", 2, "item_id", "measure_id")}
    UNION ALL{_facts("fact_application", 3, "outcome_id", "applicant_type_id")}
    UNION ALL{_facts("fact_review_litigation", 4, "proceeding_id", "result_id")}
),
p AS (
    SELECT f.cell_id, f.value, a.region_code, a.level
    FROM f JOIN agg_agency a ON a.year = :year AND a.agency_id = f.agency_id
),
scoped AS ({_scoped("p", "cell_id, value")}
)
INSERT INTO agg_cell (year, scope_type, scope_code, cell_id, value, reports, blanks)
SELECT :year, scope_type, scope_code, cell_id,
    SUM(COALESCE(value, 0)), COUNT(*), SUM(CASE WHEN value IS NULL THEN 1 ELSE 0 END)
FROM scoped
GROUP BY scope_type, scope_code, cell_id
"""

_STATUS_SQL = f"""
WITH a AS (SELECT * FROM agg_agency WHERE year = :year),
scoped AS ({_scoped("a", "expected, submissions, status, late")}
)
INSERT INTO agg_status (year, scope_type, scope_code, scope_name, expected, submitted, expected_submitted,
    loaded, rejected, missing, unexpected, late, on_time, undated, quarantined, completeness, pass_rate)
SELECT :year, scope_type, scope_code, NULL,
    SUM(CASE WHEN expected THEN 1 ELSE 0 END),
    SUM(CASE WHEN submissions > 0 THEN 1 ELSE 0 END),
    SUM(CASE WHEN expected AND submissions > 0 THEN 1 ELSE 0 END),
    SUM(CASE WHEN status = 'loaded' THEN 1 ELSE 0 END),
    SUM(CASE WHEN status = 'rejected' THEN 1 ELSE 0 END),
    SUM(CASE WHEN expected AND submissions = 0 THEN 1 ELSE 0 END),
    SUM(CASE WHEN NOT expected AND submissions > 0 THEN 1 ELSE 0 END),
    SUM(CASE WHEN submissions > 0 AND late THEN 1 ELSE 0 END),
    SUM(CASE WHEN submissions > 0 AND NOT late THEN 1 ELSE 0 END),
    SUM(CASE WHEN submissions > 0 AND late IS NULL THEN 1 ELSE 0 END),
    0, NULL, NULL
FROM scoped
GROUP BY scope_type, scope_code
"""

_RATES_SQL = """
UPDATE agg_status SET
    completeness = CASE WHEN expected > 0 THEN CAST(expected_submitted AS FLOAT) / expected END,
    pass_rate = CASE WHEN submitted > 0 THEN CAST(loaded AS FLOAT) / submitted END,
    scope_name = (SELECT r.name FROM dim_region r WHERE r.region_code = agg_status.scope_code)
WHERE year = :year AND scope_type <> 'level'
"""
_LEVEL_RATES_SQL = """
UPDATE agg_status SET
    completeness = CASE WHEN expected > 0 THEN CAST(expected_submitted AS FLOAT) / expected END,
    pass_rate = CASE WHEN submitted > 0 THEN CAST(loaded AS FLOAT) / submitted END
WHERE year = :year AND scope_type = 'level'
"""
_UNPLACED_SQL = "SELECT COUNT(*) FROM dim_submission WHERE agency_id IS NULL OR year IS NULL"


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
    status: dict[Scope, ScopeStatus] = field(default_factory=dict)
    #: agencies with the most hard findings on their latest submission (most first)
    worst: list[AgencyStatus] = field(default_factory=list)

    @property
    def province(self) -> dict[str, Number]:
        """The province's 汇总: every cell summed over every agency."""
        return self.cells.get(("province", self.province_code), {})

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
                f"loaded {s.loaded}, rejected {s.rejected}{_pct(s.pass_rate, ' pass')}, missing {s.missing}, "
                f"late {s.late}, unexpected {s.unexpected}; {figures}"
            )

        out = [f"{self.year} 汇总 ({self.reports} reports, computed {self.computed_at:%Y-%m-%d %H:%M})"]
        for kind in ("province", "unassigned", "city", "level"):
            out += [("  " if kind != "province" else "") + line(s) for s in self.scopes(kind)]
        if self.province_code and (p := self.status.get(("province", self.province_code))) and p.quarantined:
            out.append(f"quarantined files (any year): {p.quarantined}")
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
        for model in (AggCell, AggStatus, AggAgency, AggRun):
            table = model.__table__
            conn.execute(delete(table).where(table.c.year == year))
        home = province_code(conn)
        params = {"year": year, "home": home}
        dates = text(_AGENCY_SQL).bindparams(
            bindparam("march", deadline("county", year), type_=Date),
            bindparam("january", deadline("department", year), type_=Date),
        )
        _analyze(conn, ("dim_submission", "dim_agency", "fact_finding", *(t.name for t in FACT_TABLES)))
        conn.execute(dates, {"year": year})
        _analyze(conn, ("agg_agency",))
        conn.execute(text(_CELL_SQL), params)
        conn.execute(text(_STATUS_SQL), params)
        conn.execute(text(_RATES_SQL), {"year": year})
        conn.execute(text(_LEVEL_RATES_SQL), {"year": year})
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
            .values(quarantined=conn.execute(text(_UNPLACED_SQL)).scalar_one())
        )
        a, c = AggAgency.__table__, AggCell.__table__
        count = _count(conn, a, year)
        reports = _count(conn, a, year, a.c.facts_submission_key.is_not(None))
        cells = _count(conn, c, year)
        conn.execute(
            insert(AggRun.__table__).values(
                year=year,
                run_id=run_id,
                computed_at=datetime.now(UTC).replace(tzinfo=None),
                province_code=home,
                agencies=count,
                reports=reports,
                cells=cells,
            )
        )
        found = read_aggregation(conn, year, worst=worst)
    assert found is not None
    return found


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
    for scope_type, scope_code, cell, value in conn.execute(
        select(c.c.scope_type, c.c.scope_code, c.c.cell_id, c.c.value).where(c.c.year == year)
    ):
        out.cells.setdefault((scope_type, scope_code), {})[cell] = as_number(value, cell)  # type: ignore[assignment]
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
    return out


def agency_statuses(conn: Connection, year: int) -> list[AgencyStatus]:
    """Every agency row of the stored aggregation of `year` (expected or submitting), by agency id."""
    a = AggAgency.__table__
    names = [f.name for f in fields(AgencyStatus)]
    rows = conn.execute(select(*(a.c[n] for n in names)).where(a.c.year == year).order_by(a.c.agency_id))
    return [AgencyStatus(*row) for row in rows]
