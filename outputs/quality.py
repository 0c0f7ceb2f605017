"""Data quality per region: how much of a region's figures can be trusted, as counts.

Per region (the chosen one and each city or county inside it): the status counts of the
aggregation (completeness, pass rate, missing, late, quarantined files) and, summed over its
agencies' latest submissions, hard findings, carryovers that could not be checked and totals left
blank (`warehouse.quality`).
"""

from __future__ import annotations

from dataclasses import dataclass

from outputs.data import OfficeData
from warehouse.aggregation import ScopeStatus
from warehouse.queries import region_prefix


@dataclass(frozen=True)
class RegionQuality:
    status: ScopeStatus
    name: str
    hard: int
    not_checkable: int
    blank_totals: int


def region_quality(data: OfficeData) -> list[RegionQuality]:
    """The region itself first, then its cities, then its counties."""
    scopes = [data.status, *data.subscopes("city"), *data.subscopes("county")]
    out = []
    for s in scopes:
        prefix = "" if s.scope_type == "province" else region_prefix(s.scope_code)
        inside = [a.agency_id for a in data.agencies if a.region_code.startswith(prefix)]
        counts = [data.quality[a] for a in inside if a in data.quality]
        out.append(
            RegionQuality(
                s,
                s.scope_name or s.scope_code,
                sum(q.hard for q in counts),
                sum(q.not_checkable for q in counts),
                sum(q.blank_totals for q in counts),
            )
        )
    return out
