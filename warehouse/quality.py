"""How far a year's figures can be trusted, per agency: the findings on each agency's latest submission.

Read from the stored aggregation (agg_agency names each agency's latest submission) and the
findings, counted by what they say about the data: hard findings (the report was refused),
carryovers that could not be checked (no previous report to compare with), totals left blank,
other soft findings. Summed per region by the outputs; quarantined files are agg_status's.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Connection, text

_SQL = """
SELECT a.agency_id,
    COUNT(DISTINCT CASE WHEN f.severity = 'hard' THEN f.finding_no END),
    COUNT(DISTINCT CASE WHEN f.severity = 'soft' THEN f.finding_no END),
    COUNT(DISTINCT CASE WHEN f.severity = 'not_checkable' AND f.rule_id LIKE 'carryover.%' THEN f.finding_no END),
    COUNT(DISTINCT CASE WHEN f.rule_id = 'blank.totals' THEN f.finding_no || ':' || f.cell END)
FROM agg_agency a JOIN fact_finding f ON f.submission_key = a.latest_submission_key
WHERE a.year = :year
GROUP BY a.agency_id
"""


@dataclass(frozen=True)
class AgencyQuality:
    hard: int = 0
    soft: int = 0
    #: carryover rules that could not be checked (never a pass)
    not_checkable: int = 0
    #: total cells left blank
    blank_totals: int = 0


def agency_quality(conn: Connection, year: int) -> dict[str, AgencyQuality]:
    """agency id → its latest submission's finding counts (agencies without findings left out)."""
    return {row[0]: AgencyQuality(*(int(n) for n in row[1:])) for row in conn.execute(text(_SQL), {"year": year})}
