"""Type-2 agency versions: what dim_agency must hold so it says what a registry file says.

A file that gives periods is the agency's history and replaces what the warehouse holds; a file
with a single undated row per agency is a snapshot, and a changed name, level, region or parent
closes the current version at `as_of - 1` and opens a new one from `as_of` (email, valid_to and
successor are corrected in place). Pure: the database side is `warehouse.registry`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, fields, replace

from warehouse.registry_file import RegistryRow, rows_by_agency
from warehouse.schema import SINCE_EVER

#: name, level, region and parent changes make a new version; the rest is corrected in place
TYPE2_FIELDS = ("name", "level", "region_code", "parent_id")


@dataclass(frozen=True)
class AgencyVersion:
    """The content of one dim_agency row: an agency during one name period."""

    agency_id: str
    valid_from: int
    valid_to: int | None
    name: str
    level: str
    region_code: str
    parent_id: str | None
    email: str | None
    successor_id: str | None

    @classmethod
    def of(cls, row: RegistryRow, valid_from: int | None = None) -> AgencyVersion:
        start = valid_from if valid_from is not None else row.valid_from
        return cls(
            agency_id=row.agency_id,
            valid_from=start if start is not None else SINCE_EVER,
            valid_to=row.valid_to,
            name=row.name,
            level=row.level,
            region_code=row.region_code,
            parent_id=row.parent_id,
            email=row.email,
            successor_id=row.successor_id,
        )


AGENCY_VERSION_FIELDS = tuple(f.name for f in fields(AgencyVersion))


@dataclass
class VersionPlan:
    """The inserts, updates (by agency_key) and deletes that bring dim_agency to a file's rows."""

    inserts: list[AgencyVersion] = field(default_factory=list)
    #: (agency_key, new content)
    updates: list[tuple[int, AgencyVersion]] = field(default_factory=list)
    deletes: list[int] = field(default_factory=list)
    unchanged: int = 0


def plan_versions(
    existing: Mapping[str, Sequence[tuple[int, AgencyVersion]]], rows: Sequence[RegistryRow], as_of: int
) -> VersionPlan:
    """What to insert, update and delete so dim_agency says what the file says (see module doc)."""
    plan = VersionPlan()
    for agency, periods in rows_by_agency(rows).items():
        have = sorted(existing.get(agency, ()), key=lambda kv: kv[1].valid_from)
        if len(periods) == 1 and periods[0].valid_from is None and have:
            _plan_snapshot(plan, have, periods[0], as_of)
            continue
        wanted = {v.valid_from: v for v in (AgencyVersion.of(r) for r in periods)}
        by_start = {v.valid_from: (k, v) for k, v in have}
        for start, version in wanted.items():
            if start not in by_start:
                plan.inserts.append(version)
            elif by_start[start][1] != version:
                plan.updates.append((by_start[start][0], version))
            else:
                plan.unchanged += 1
        plan.deletes += [k for start, (k, _) in by_start.items() if start not in wanted]
    return plan


def _plan_snapshot(
    plan: VersionPlan, have: Sequence[tuple[int, AgencyVersion]], row: RegistryRow, as_of: int
) -> None:
    key, current = have[-1]
    fresh = AgencyVersion.of(row, valid_from=current.valid_from)
    if fresh == current:
        plan.unchanged += 1
    elif all(getattr(fresh, f) == getattr(current, f) for f in TYPE2_FIELDS) or current.valid_from >= as_of:
        plan.updates.append((key, fresh))
    else:
        plan.updates.append((key, replace(current, valid_to=as_of - 1, successor_id=None)))
        plan.inserts.append(AgencyVersion.of(row, valid_from=as_of))

