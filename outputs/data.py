"""Everything the office's documents show for one region and year, read from the warehouse once.

The documents are pure functions of an `OfficeData`: the stored aggregation of the year (and of
earlier years, for trends), every agency's status, the consolidated-vs-members findings and each
agency's finding counts.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import Connection, Engine, select

from warehouse.aggregation import AgencyStatus, Aggregation, ScopeStatus, agency_statuses, read_aggregation
from warehouse.quality import AgencyQuality, agency_quality
from warehouse.queries import region_prefix
from warehouse.regions import region_level
from warehouse.schema import AggRun, DimRegion

Scope = tuple[str, str]


@dataclass
class OfficeData:
    year: int
    scope: Scope
    agg: Aggregation
    #: earlier aggregated years and this one, by year
    history: dict[int, Aggregation]
    #: the agencies of the region (expected or submitting), by id
    agencies: list[AgencyStatus]
    quality: dict[str, AgencyQuality] = field(default_factory=dict)

    @property
    def status(self) -> ScopeStatus:
        return self.agg.status[self.scope]

    @property
    def name(self) -> str:
        return self.status.scope_name or self.scope[1]

    def cells(self) -> dict:
        return self.agg.totals(*self.scope)

    def subscopes(self, scope_type: str) -> list[ScopeStatus]:
        """The scopes of a type inside the region (every level for 'level')."""
        prefix = self._prefix()
        return [s for s in self.agg.scopes(scope_type) if scope_type == "level" or s.scope_code.startswith(prefix)]

    def _prefix(self) -> str:
        return "" if self.scope[0] == "province" else region_prefix(self.scope[1])


def scope_of(agg: Aggregation, region: str | None) -> Scope:
    """The aggregation scope of a region code (the province when None)."""
    if region is None or region == agg.province_code:
        return ("province", agg.province_code)
    level = region_level(region)
    scope = (level, region)
    if scope not in agg.status:
        raise KeyError(f"region {region} has no agencies in the {agg.year} aggregation")
    return scope


def load_office_data(conn: Connection, year: int, region: str | None = None) -> OfficeData:
    """The year's aggregation for `region` (default the province); KeyError if never aggregated."""
    agg = read_aggregation(conn, year)
    if agg is None:
        raise KeyError(f"{year} has not been aggregated")
    scope = scope_of(agg, region)
    years = conn.execute(select(AggRun.__table__.c.year).where(AggRun.__table__.c.year <= year)).scalars().all()
    history = {y: a for y in sorted(years) if (a := read_aggregation(conn, y)) is not None}
    prefix = "" if scope[0] == "province" else region_prefix(scope[1])
    agencies = [a for a in agency_statuses(conn, year) if a.region_code.startswith(prefix)]
    return OfficeData(year, scope, agg, history, agencies, agency_quality(conn, year))


def region_known(engine: Engine, code: str) -> bool:
    """Whether the registry names a province, city or county with this code (for `--region`)."""
    r = DimRegion.__table__
    with engine.connect() as conn:
        level = conn.execute(select(r.c.level).where(r.c.region_code == code)).scalar_one_or_none()
    return level in ("province", "city", "county")
