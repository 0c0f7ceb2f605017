"""Analyst views: applications, refusal grounds, litigation outcomes, submission status.

Plain SQL both PostgreSQL and SQLite run unchanged. Facts carry the durable agency id and the
year; `v_agency_year` resolves each (agency, year) to the registry version valid that year (the
name and region the agency had then), falling back to the agency's current version, and to the
'unassigned' region (000000) for provisional agencies. Sums are of the PRINTED values: a blank
cell is NULL and adds nothing. `v_refusal_grounds` reads the printed 总计 column.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-27
"""

from __future__ import annotations

from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

_PLACE = """
    ay.region_code,
    r.name AS region_name,
    SUBSTR(ay.region_code, 1, 4) || '00' AS city_code,
    SUBSTR(ay.region_code, 1, 2) || '0000' AS province_code,
    ay.agency_level"""
_PLACE_GROUP = "ay.region_code, r.name, ay.agency_level"

VIEWS: tuple[tuple[str, str], ...] = (
    (
        "v_agency_year",
        """
SELECT p.agency_id, p.year,
    COALESCE(v.name, c.name) AS agency_name,
    COALESCE(v.level, c.level) AS agency_level,
    COALESCE(v.region_code, c.region_code, '000000') AS region_code,
    a.is_registered,
    CASE WHEN v.agency_key IS NULL THEN FALSE ELSE TRUE END AS in_registry_period
FROM (
    SELECT DISTINCT agency_id, year FROM dim_submission
    WHERE agency_id IS NOT NULL AND year IS NOT NULL
) p
JOIN agency a ON a.agency_id = p.agency_id
LEFT JOIN dim_agency v ON v.agency_id = p.agency_id
    AND v.valid_from <= p.year AND (v.valid_to IS NULL OR v.valid_to >= p.year)
LEFT JOIN dim_agency c ON c.agency_id = p.agency_id AND c.is_current = TRUE
""",
    ),
    (
        "v_applications",
        f"""
SELECT f.year,{_PLACE},
    f.applicant_type_id AS applicant_type, t.label AS applicant_type_label,
    f.outcome_id AS outcome, o.label AS outcome_label, o.stage, o.result_group,
    COUNT(DISTINCT f.agency_id) AS agencies,
    SUM(f.value) AS requests
FROM fact_application f
JOIN v_agency_year ay ON ay.agency_id = f.agency_id AND ay.year = f.year
JOIN dim_region r ON r.region_code = ay.region_code
JOIN dim_applicant_type t ON t.applicant_type_id = f.applicant_type_id
JOIN dim_outcome o ON o.outcome_id = f.outcome_id
GROUP BY f.year, {_PLACE_GROUP}, f.applicant_type_id, t.label, f.outcome_id, o.label, o.stage, o.result_group
""",
    ),
    (
        "v_refusal_grounds",
        f"""
SELECT f.year,{_PLACE},
    o.result_group AS ground_group, o.group_label, f.outcome_id AS ground, o.label AS ground_label,
    COUNT(DISTINCT f.agency_id) AS agencies,
    SUM(f.value) AS requests
FROM fact_application f
JOIN v_agency_year ay ON ay.agency_id = f.agency_id AND ay.year = f.year
JOIN dim_region r ON r.region_code = ay.region_code
JOIN dim_outcome o ON o.outcome_id = f.outcome_id
WHERE f.applicant_type_id = 'total' AND o.result_group IN ('denied', 'unable', 'rejected', 'other')
GROUP BY f.year, {_PLACE_GROUP}, o.result_group, o.group_label, f.outcome_id, o.label
""",
    ),
    (
        "v_litigation_outcomes",
        f"""
SELECT f.year,{_PLACE},
    f.proceeding_id AS proceeding, p.label AS proceeding_label, p.kind AS proceeding_kind,
    f.result_id AS result, res.label AS result_label,
    COUNT(DISTINCT f.agency_id) AS agencies,
    SUM(f.value) AS cases
FROM fact_review_litigation f
JOIN v_agency_year ay ON ay.agency_id = f.agency_id AND ay.year = f.year
JOIN dim_region r ON r.region_code = ay.region_code
JOIN dim_proceeding p ON p.proceeding_id = f.proceeding_id
JOIN dim_result res ON res.result_id = f.result_id
GROUP BY f.year, {_PLACE_GROUP}, f.proceeding_id, p.label, p.kind, f.result_id, res.label
""",
    ),
    (
        "v_submission_status",
        """
SELECT e.agency_id, e.year, e.agency_name, e.agency_level, e.region_code, e.is_registered,
    COALESCE(cur.state, 'missing') AS status,
    cur.submission_key AS latest_submission_key,
    cur.reason AS latest_reason,
    cur.received_at AS latest_received_at,
    cur.published AS latest_published,
    src.submission_key AS facts_submission_key,
    (SELECT COUNT(*) FROM dim_submission s WHERE s.agency_id = e.agency_id AND s.year = e.year) AS submissions
FROM (
    SELECT v.agency_id, y.year, v.name AS agency_name, v.level AS agency_level, v.region_code, v.is_registered
    FROM dim_agency v
    JOIN dim_year y ON v.valid_from <= y.year AND (v.valid_to IS NULL OR v.valid_to >= y.year)
    WHERE v.is_registered = TRUE
    UNION
    SELECT agency_id, year, agency_name, agency_level, region_code, is_registered FROM v_agency_year
) e
LEFT JOIN dim_submission cur ON cur.agency_id = e.agency_id AND cur.year = e.year AND cur.superseded_by IS NULL
LEFT JOIN dim_submission src ON src.agency_id = e.agency_id AND src.year = e.year AND src.has_facts = TRUE
""",
    ),
)


def upgrade() -> None:
    for name, body in VIEWS:
        op.execute(f"CREATE VIEW {name} AS {body.strip()}")


def downgrade() -> None:
    for name, _body in reversed(VIEWS):
        op.execute(f"DROP VIEW {name}")
