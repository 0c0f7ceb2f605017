"""The agency matcher over the registry, and the provisional agency of a name it cannot place.

`form.agency_matching` decides (the same matcher `xxgk check --previous` pairs with); this module
feeds it the registry's names — every registered version with its years, and the operators'
aliases — and names the provisional agency (`unreg-<hash of the name key>`, region 000000
'unassigned', is_registered false) that an unmatched or ambiguous name loads under, so its
numbers count in province totals until `xxgk registry map` ties the name to an agency.
"""

from __future__ import annotations

import hashlib
from datetime import datetime

from sqlalchemy import Connection, select

from form.agency_matching import AgencyMatcher, NameEntry
from form.agency_names import name_key
from warehouse.registry_file import PROVISIONAL_PREFIX
from warehouse.schema import SINCE_EVER, UNASSIGNED_REGION, AgencyAlias, DimAgency


def provisional_id(printed_name: str) -> str:
    """The provisional agency a name that matches no single agency loads under (stable per name key)."""
    return PROVISIONAL_PREFIX + hashlib.sha256(name_key(printed_name).encode()).hexdigest()[:12]


def registry_names(conn: Connection) -> tuple[tuple[NameEntry, ...], dict[str, str]]:
    """Every registered version's name and period, and every operator alias (key → agency)."""
    t, a = DimAgency.__table__, AgencyAlias.__table__
    names = tuple(
        NameEntry(r.agency_id, r.name, r.valid_from, r.valid_to)
        for r in conn.execute(
            select(t.c.agency_id, t.c.name, t.c.valid_from, t.c.valid_to)
            .where(t.c.is_registered.is_(True))
            .order_by(t.c.agency_key)
        )
    )
    aliases = {r.alias_key: r.agency_id for r in conn.execute(select(a.c.alias_key, a.c.agency_id))}
    return names, aliases


def load_matcher(conn: Connection) -> AgencyMatcher:
    """The matcher over every registered version and every operator alias."""
    names, aliases = registry_names(conn)
    return AgencyMatcher(names, aliases)


def provisional_rows(
    agency_id: str, printed_name: str, now: datetime
) -> tuple[dict[str, object], dict[str, object]]:
    """The agency and dim_agency rows of a provisional agency (region 'unassigned', always valid)."""
    agency = {"agency_id": agency_id, "is_registered": False, "mapped_to_id": None, "created_at": now}
    version = {
        "agency_id": agency_id,
        "valid_from": SINCE_EVER,
        "valid_to": None,
        "is_current": True,
        "name": printed_name,
        "name_key": name_key(printed_name),
        "level": "unassigned",
        "region_code": UNASSIGNED_REGION,
        "parent_id": None,
        "email": None,
        "successor_id": None,
        "is_registered": False,
    }
    return agency, version
