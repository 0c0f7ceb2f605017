"""The aggregation's statements: plain SQL both databases run, in the style of migration 0002's views.

`AGENCY_SQL` fills agg_agency (one row per expected or submitting agency, its status, deadline
and lateness; the deadlines are bound parameters from `form.deadlines`), `CELL_SQL` and
`STATUS_SQL` sum cells and statuses over every scope an agency counts in, `RATES_SQL` and
`LEVEL_RATES_SQL` derive the rates and scope names, `CONSOLIDATED_SQL` compares consolidated
reports with their members. `warehouse.aggregation` runs them in order.

A consolidated report (the registry's `agency.consolidated`: a government reporting its whole
region) is left out of every sum, which its members' reports already make, and compared instead:
its members are the other loaded, not consolidated agencies whose region code shares its
government's prefix (province 2 digits, city 4, county 6). Each cell it prints (blank as 0) that
differs from its members' sum is an agg_finding row. The 小计 column (`entities`) is not compared:
few agencies print it, and its five parts are compared.
"""

from __future__ import annotations

from form.registry_format import CONSOLIDATING_PREFIX, GOVERNMENT_LEVELS, LEVELS
from warehouse.schema import UNASSIGNED_REGION

_LEVELS = ", ".join(f"'{level}'" for level in LEVELS)
_GOVERNMENTS = ", ".join(f"'{level}'" for level in GOVERNMENT_LEVELS)

AGENCY_SQL = f"""
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
        CASE WHEN p.level IN ({_GOVERNMENTS}) THEN :government_deadline WHEN p.level = 'department' THEN :department_deadline END AS deadline
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
    SELECT 'level', level, {columns} FROM {source} WHERE level IN ({_LEVELS})
    UNION ALL
    SELECT 'unassigned', region_code, {columns} FROM {source} WHERE region_code = '{UNASSIGNED_REGION}'"""


def _facts(table: str, table_no: int, row: str, column: str) -> str:
    return f"""
    SELECT f.agency_id, 't{table_no}.' || f.{row} || '.' || f.{column} AS cell_id, f.value
    FROM {table} f JOIN dim_submission s ON s.submission_key = f.submission_key
    WHERE f.year = :year AND s.has_facts = TRUE AND s.state = 'loaded'"""


CELL_SQL = f"""
WITH f AS ({_facts("fact_disclosure", 2, "item_id", "measure_id")}
    UNION ALL{_facts("fact_application", 3, "outcome_id", "applicant_type_id")}
    UNION ALL{_facts("fact_review_litigation", 4, "proceeding_id", "result_id")}
),
p AS (
    SELECT f.cell_id, f.value, a.region_code, a.level
    FROM f JOIN agg_agency a ON a.year = :year AND a.agency_id = f.agency_id
    JOIN agency g ON g.agency_id = f.agency_id
    WHERE g.consolidated = FALSE
),
scoped AS ({_scoped("p", "cell_id, value")}
)
INSERT INTO agg_cell (year, scope_type, scope_code, cell_id, value, reports, blanks)
SELECT :year, scope_type, scope_code, cell_id,
    SUM(COALESCE(value, 0)), COUNT(*), SUM(CASE WHEN value IS NULL THEN 1 ELSE 0 END)
FROM scoped
GROUP BY scope_type, scope_code, cell_id
"""

STATUS_SQL = f"""
WITH a AS (SELECT * FROM agg_agency WHERE year = :year),
scoped AS ({_scoped("a", "expected, submissions, status, late")}
)
INSERT INTO agg_status (year, scope_type, scope_code, scope_name, expected, submitted, expected_submitted,
    loaded, rejected, review, missing, unexpected, late, on_time, undated, quarantined, completeness, pass_rate)
SELECT :year, scope_type, scope_code, NULL,
    SUM(CASE WHEN expected THEN 1 ELSE 0 END),
    SUM(CASE WHEN submissions > 0 THEN 1 ELSE 0 END),
    SUM(CASE WHEN expected AND submissions > 0 THEN 1 ELSE 0 END),
    SUM(CASE WHEN status = 'loaded' THEN 1 ELSE 0 END),
    SUM(CASE WHEN status = 'rejected' THEN 1 ELSE 0 END),
    SUM(CASE WHEN status = 'review' THEN 1 ELSE 0 END),
    SUM(CASE WHEN expected AND submissions = 0 THEN 1 ELSE 0 END),
    SUM(CASE WHEN NOT expected AND submissions > 0 THEN 1 ELSE 0 END),
    SUM(CASE WHEN submissions > 0 AND late THEN 1 ELSE 0 END),
    SUM(CASE WHEN submissions > 0 AND NOT late THEN 1 ELSE 0 END),
    SUM(CASE WHEN submissions > 0 AND late IS NULL THEN 1 ELSE 0 END),
    0, NULL, NULL
FROM scoped
GROUP BY scope_type, scope_code
"""

RATES_SQL = """
UPDATE agg_status SET
    completeness = CASE WHEN expected > 0 THEN CAST(expected_submitted AS FLOAT) / expected END,
    pass_rate = CASE WHEN submitted > 0 THEN CAST(loaded AS FLOAT) / submitted END,
    scope_name = (SELECT r.name FROM dim_region r WHERE r.region_code = agg_status.scope_code)
WHERE year = :year AND scope_type <> 'level'
"""
LEVEL_RATES_SQL = """
UPDATE agg_status SET
    completeness = CASE WHEN expected > 0 THEN CAST(expected_submitted AS FLOAT) / expected END,
    pass_rate = CASE WHEN submitted > 0 THEN CAST(loaded AS FLOAT) / submitted END
WHERE year = :year AND scope_type = 'level'
"""
_PREFIX = " ".join(f"WHEN '{level}' THEN {n}" for level, n in CONSOLIDATING_PREFIX.items())
_CONSOLIDATING = ", ".join(f"'{level}'" for level in CONSOLIDATING_PREFIX)

CONSOLIDATED_SQL = f"""
WITH cons AS (
    SELECT a.agency_id, a.region_code, a.facts_submission_key AS submission_key,
        CASE a.level {_PREFIX} END AS prefix
    FROM agg_agency a JOIN agency g ON g.agency_id = a.agency_id
    WHERE a.year = :year AND g.consolidated = TRUE AND a.facts_submission_key IS NOT NULL
        AND a.level IN ({_CONSOLIDATING})
),
members AS (
    SELECT c.agency_id AS consolidator, m.agency_id AS member
    FROM cons c
    JOIN agg_agency m ON m.year = :year AND m.agency_id <> c.agency_id AND m.facts_submission_key IS NOT NULL
        AND SUBSTR(m.region_code, 1, c.prefix) = SUBSTR(c.region_code, 1, c.prefix)
    JOIN agency g ON g.agency_id = m.agency_id AND g.consolidated = FALSE
),
f AS ({_facts("fact_disclosure", 2, "item_id", "measure_id")}
    UNION ALL{_facts("fact_application", 3, "outcome_id", "applicant_type_id")}
    UNION ALL{_facts("fact_review_litigation", 4, "proceeding_id", "result_id")}
),
own AS (
    SELECT c.agency_id, c.submission_key, f.cell_id, COALESCE(f.value, 0) AS value
    FROM cons c JOIN f ON f.agency_id = c.agency_id
    WHERE f.cell_id NOT LIKE 't3.%.entities'
),
summed AS (
    SELECT m.consolidator, f.cell_id, SUM(COALESCE(f.value, 0)) AS value
    FROM members m JOIN f ON f.agency_id = m.member
    GROUP BY m.consolidator, f.cell_id
),
counted AS (
    SELECT consolidator, COUNT(*) AS n FROM members GROUP BY consolidator
)
INSERT INTO agg_finding (year, agency_id, rule_id, cell_id, submission_key, printed, expected, members)
SELECT :year, o.agency_id, :rule, o.cell_id, o.submission_key, o.value, COALESCE(s.value, 0), COALESCE(n.n, 0)
FROM own o
LEFT JOIN summed s ON s.consolidator = o.agency_id AND s.cell_id = o.cell_id
LEFT JOIN counted n ON n.consolidator = o.agency_id
WHERE ABS(o.value - COALESCE(s.value, 0)) > 0.0000005
"""

UNPLACED_SQL = "SELECT COUNT(*) FROM dim_submission WHERE agency_id IS NULL OR year IS NULL"
