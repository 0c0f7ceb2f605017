"""The agency registry in the warehouse: loading a registry file, provisional agencies, alias mapping.

`load_registry` merges a registry CSV (`warehouse.registry_file`) into agency, dim_agency (type 2,
planned by `warehouse.agency_versions`) and dim_region (`warehouse.regions`), idempotently.

Matching (decision, tested in `form.agency_matching`): a printed name is placed among the
registry's names and aliases by `warehouse.registry_matcher`. Ambiguous and unmatched reports
load under a provisional agency with a soft finding (`registry.agency_ambiguous` listing the
candidates, or `registry.unregistered`), so their numbers count in province totals but under
"unassigned" until `xxgk registry map` ties the name to an agency (`map_alias`), which moves the
provisional agency's submissions and facts there. `unregistered` lists those still waiting.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Connection, Engine, bindparam, delete, func, insert, select, update

from form.agency_names import name_key
from warehouse import clock
from warehouse.agency_versions import AGENCY_VERSION_FIELDS, AgencyVersion, plan_versions
from warehouse.regions import region_rows
from warehouse.registry_file import (
    PROVISIONAL_PREFIX,
    RegistryError,
    RegistryRow,
    read_registry,
    reference_warnings,
)
from warehouse.registry_matcher import load_matcher, provisional_id
from warehouse.schema import (
    FACT_TABLES,
    Agency,
    AgencyAlias,
    DimAgency,
    DimRegion,
    DimSubmission,
    FactFinding,
)
from warehouse.sql import chunks, upsert
from warehouse.supersession import apply_links, delete_facts_except, held_for, set_fact_flags, settle


def _existing_versions(conn: Connection, agency_ids: Sequence[str]) -> dict[str, list[tuple[int, AgencyVersion]]]:
    t = DimAgency.__table__
    out: dict[str, list[tuple[int, AgencyVersion]]] = defaultdict(list)
    for part in chunks(list(agency_ids)):
        for row in conn.execute(
            select(t.c.agency_key, *(t.c[f] for f in AGENCY_VERSION_FIELDS)).where(t.c.agency_id.in_(part))
        ):
            out[row.agency_id].append((row.agency_key, AgencyVersion(*(getattr(row, f) for f in AGENCY_VERSION_FIELDS))))
    return out


def _version_row(v: AgencyVersion, registered: bool = True) -> dict[str, object]:
    row: dict[str, object] = {f: getattr(v, f) for f in AGENCY_VERSION_FIELDS}
    row.update(name_key=name_key(v.name), is_current=False, is_registered=registered)
    return row


def refresh_current(conn: Connection, agency_ids: Iterable[str]) -> None:
    """is_current on the latest version of each agency, and only there."""
    t = DimAgency.__table__
    ids = sorted(set(agency_ids))
    latest: list[int] = []
    for part in chunks(ids):
        conn.execute(
            update(t).where(t.c.agency_id.in_(part), t.c.is_current.is_(True)).values(is_current=False)
        )
        newest = (
            select(t.c.agency_id, func.max(t.c.valid_from).label("vf"))
            .where(t.c.agency_id.in_(part))
            .group_by(t.c.agency_id)
        ).subquery()
        latest += conn.execute(
            select(t.c.agency_key).join(
                newest, (t.c.agency_id == newest.c.agency_id) & (t.c.valid_from == newest.c.vf)
            )
        ).scalars()
    if latest:
        conn.execute(
            update(t).where(t.c.agency_key == bindparam("k")).values(is_current=True),
            [{"k": k} for k in latest],
        )


@dataclass(frozen=True)
class RegistryLoad:
    agencies: int
    inserted: int
    updated: int
    deleted: int
    unchanged: int
    regions: int
    warnings: list[str]
    #: provisional agencies whose printed name now matches one registry agency: (id, name, agency)
    now_matching: list[tuple[str, str, str]]


def _mark_consolidated(conn: Connection, ids: Sequence[str], marked: set[str]) -> None:
    """agency.consolidated as the file says, for the agencies the file holds (others keep theirs)."""
    a = Agency.__table__
    now = set(conn.execute(select(a.c.agency_id).where(a.c.consolidated)).scalars())
    listed = set(ids)
    changes = [(i, True) for i in sorted(marked - now)] + [(i, False) for i in sorted((now & listed) - marked)]
    if changes:
        conn.execute(
            update(a).where(a.c.agency_id == bindparam("aid")).values(consolidated=bindparam("flag")),
            [{"aid": i, "flag": flag} for i, flag in changes],
        )


def load_registry_rows(
    conn: Connection, rows: Sequence[RegistryRow], as_of: int | None = None
) -> RegistryLoad:
    """Merge registry rows into agency, dim_agency and dim_region (type 2); idempotent."""
    as_of = as_of or clock.now().year
    ids = sorted({r.agency_id for r in rows})
    regions = region_rows(rows)
    named = [r for r in regions if r["name"] != r["region_code"]]
    upsert(conn, DimRegion.__table__, named, ["region_code"])
    upsert(
        conn,
        DimRegion.__table__,
        [r for r in regions if r["name"] == r["region_code"]],
        ["region_code"],
        update=[],
    )
    now = clock.now()
    upsert(
        conn,
        Agency.__table__,
        [{"agency_id": a, "is_registered": True, "mapped_to_id": None, "created_at": now} for a in ids],
        ["agency_id"],
        update=[],
    )
    _mark_consolidated(conn, ids, {r.agency_id for r in rows if r.consolidated})
    plan = plan_versions(_existing_versions(conn, ids), rows, as_of)
    t = DimAgency.__table__
    if plan.deletes:
        conn.execute(delete(t).where(t.c.agency_key == bindparam("k")), [{"k": k} for k in plan.deletes])
    if plan.updates:
        values = {f: bindparam(f"new_{f}") for f in (*AGENCY_VERSION_FIELDS, "name_key")}
        conn.execute(
            update(t).where(t.c.agency_key == bindparam("k")).values(values),
            [
                {"k": k, **{f"new_{f}": v for f, v in _version_row(ver).items() if f in values}}
                for k, ver in plan.updates
            ],
        )
    if plan.inserts:
        conn.execute(insert(t), [_version_row(v) for v in plan.inserts])
    refresh_current(conn, ids)
    return RegistryLoad(
        agencies=len(ids),
        inserted=len(plan.inserts),
        updated=len(plan.updates),
        deleted=len(plan.deletes),
        unchanged=plan.unchanged,
        regions=len(regions),
        warnings=reference_warnings(list(rows)),
        now_matching=[(p.agency_id, p.name, p.suggestion) for p in unregistered(conn) if p.suggestion],
    )


def load_registry(engine: Engine, path: str | Path, as_of: int | None = None) -> RegistryLoad:
    """`xxgk registry load FILE`: read, validate and merge a registry CSV in one transaction."""
    rows, _ = read_registry(path)
    with engine.begin() as conn:
        return load_registry_rows(conn, rows, as_of)


@dataclass(frozen=True)
class Provisional:
    agency_id: str
    name: str
    submissions: int
    years: tuple[int, ...]
    #: ambiguous: the agencies the name could be (from its finding)
    candidates: tuple[str, ...]
    #: the one registry agency the name matches today ('' if none or several)
    suggestion: str


def unregistered(conn: Connection) -> list[Provisional]:
    """Provisional agencies not yet mapped, with what the registry suggests for each today."""
    ag, v, s = Agency.__table__, DimAgency.__table__, DimSubmission.__table__
    rows = conn.execute(
        select(ag.c.agency_id, v.c.name)
        .join(v, v.c.agency_id == ag.c.agency_id)
        .where(ag.c.is_registered.is_(False), ag.c.mapped_to_id.is_(None), v.c.is_current.is_(True))
        .order_by(ag.c.agency_id)
    ).all()
    if not rows:
        return []
    ids = [r.agency_id for r in rows]
    years: dict[str, list[int]] = defaultdict(list)
    for part in chunks(ids):
        for agency, year in conn.execute(select(s.c.agency_id, s.c.year).where(s.c.agency_id.in_(part))):
            years[agency].append(year)
    f = FactFinding.__table__
    candidates: dict[str, set[str]] = defaultdict(set)
    for part in chunks(ids):
        found = conn.execute(
            select(s.c.agency_id, f.c.expected)
            .join(f, f.c.submission_key == s.c.submission_key)
            .where(s.c.agency_id.in_(part), f.c.rule_id == "registry.agency_ambiguous")
        )
        for agency, expected in found:
            candidates[agency].update(c for c in (expected or "").split(",") if c)
    matcher = load_matcher(conn)
    out = []
    for r in rows:
        ys = sorted(set(years[r.agency_id]))
        found_now = {matcher.match(r.name, y) for y in ys} or {matcher.match(r.name, clock.now().year)}
        ids_now = {m.agency_id for m in found_now if m.agency_id}
        out.append(
            Provisional(
                agency_id=r.agency_id,
                name=r.name,
                submissions=len(years[r.agency_id]),
                years=tuple(ys),
                candidates=tuple(sorted(candidates[r.agency_id])),
                suggestion=next(iter(ids_now)) if len(ids_now) == 1 else "",
            )
        )
    return out


def list_unregistered(engine: Engine) -> list[Provisional]:
    """`xxgk registry list-unregistered`."""
    with engine.connect() as conn:
        return unregistered(conn)


@dataclass(frozen=True)
class AliasMapped:
    alias: str
    agency_id: str
    provisional_id: str | None
    submissions_moved: int
    facts_deleted: int


def map_alias_conn(conn: Connection, alias: str, agency_id: str) -> AliasMapped:
    """Tie a printed name (or a provisional agency id) to a registered agency; move what loaded under it."""
    ag, v = Agency.__table__, DimAgency.__table__
    target = conn.execute(select(ag.c.is_registered).where(ag.c.agency_id == agency_id)).scalar()
    if not target:
        raise RegistryError([f"{agency_id} is not a registered agency"])
    name = alias
    if alias.startswith(PROVISIONAL_PREFIX):
        found = conn.execute(select(v.c.name).where(v.c.agency_id == alias)).scalar()
        if found is None:
            raise RegistryError([f"no provisional agency {alias}"])
        name = found
    key = name_key(name)
    if not key:
        raise RegistryError([f"{alias!r} has no letters to match on"])
    upsert(
        conn,
        AgencyAlias.__table__,
        [{"alias_key": key, "alias": name, "agency_id": agency_id, "created_at": clock.now()}],
        ["alias_key"],
    )
    source = provisional_id(name)
    exists = conn.execute(
        select(ag.c.agency_id).where(ag.c.agency_id == source, ag.c.is_registered.is_(False))
    ).scalar()
    if exists is None:
        return AliasMapped(name, agency_id, None, 0, 0)
    moved, deleted = _rehome(conn, source, agency_id)
    conn.execute(update(ag).where(ag.c.agency_id == source).values(mapped_to_id=agency_id))
    return AliasMapped(name, agency_id, source, moved, deleted)


def map_alias(engine: Engine, alias: str, agency_id: str) -> AliasMapped:
    """`xxgk registry map ALIAS --agency ID`, in one transaction."""
    with engine.begin() as conn:
        return map_alias_conn(conn, alias, agency_id)


def _rehome(conn: Connection, source: str, target: str) -> tuple[int, int]:
    """Move a provisional agency's submissions and facts to `target`, settling each year again."""
    s = DimSubmission.__table__
    years = sorted(set(conn.execute(select(s.c.year).where(s.c.agency_id == source)).scalars()))
    moved = deleted = 0
    now = clock.now()
    for year in years:
        held = held_for(conn, [(source, year), (target, year)])
        both = held[(source, year)] + held[(target, year)]
        verdict = settle(both)
        if verdict.fact_source is not None and verdict.fact_source not in verdict.holders:
            raise RuntimeError(f"{target} {year}: the latest loaded submission has no facts to keep")
        if verdict.fact_source is not None:
            keep = [(a, year, verdict.fact_source) for a in (source, target)]
            deleted += delete_facts_except(conn, keep)
        for table in FACT_TABLES:
            conn.execute(
                update(table)
                .where(table.c.agency_id == source, table.c.year == year)
                .values(agency_id=target)
            )
        result = conn.execute(
            update(s)
            .where(s.c.agency_id == source, s.c.year == year)
            .values(agency_id=target, match_method="mapped")
        )
        moved += max(result.rowcount, 0)
        apply_links(conn, verdict.links, now)
        on = [verdict.fact_source] if verdict.fact_source is not None else []
        set_fact_flags(conn, on, verdict.holders - set(on))
    return moved, deleted
