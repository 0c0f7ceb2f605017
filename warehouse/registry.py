"""The agency registry: CSV → type-2 agency versions, and placing a report's printed name in it.

Registry CSV (UTF-8, header row, the columns of `form.registry_format`):

    agency_id     stable id, kept across renames (synth: region code, `<region>-Dnn`, `<region>-Tnnn`)
    name          the agency's name during this period
    level         province | city | county | township | department
    region_code   6-digit 行政区划 code (a township or department carries its government's)
    parent_id     the government it belongs to ('' for the province)
    email         where its quality reports go
    valid_from    first report year of this period ('' on a single row: since ever, or "as of" a reload)
    valid_to      last report year ('' while current; set when a merge or rename closed it)
    successor_id  on the period a merge closed: the agency that absorbed it

One row per agency and name period: a rename starts a row, a merge ends the last one. A file
that gives periods is the agency's history and replaces what the warehouse holds; a file with a
single undated row per agency is a snapshot, and a changed name, level, region or parent closes
the current version at `as_of - 1` and opens a new one from `as_of` (email, valid_to and successor
are corrected in place).

Matching (decision, tested): a printed name is compared by `form.agency_names` — normalised key,
region prefix optional — against (1) operator aliases (exact key, which always win), (2) the
names registry agencies carry in the report's year, (3) names they carry in other years, for
agencies active that year (soft finding `registry.name_other_year`). Several agencies matching is
AMBIGUOUS: never a guess. Ambiguous and unmatched reports load under a provisional agency
(`unreg-<hash of the name key>`, region 000000 'unassigned', is_registered false) with a soft
finding (`registry.agency_ambiguous` listing the candidates, or `registry.unregistered`), so their
numbers count in province totals but under "unassigned" until `xxgk registry map` ties the name
to an agency, which moves the provisional agency's submissions and facts there.
"""

from __future__ import annotations

import csv
import hashlib
import io
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, fields, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Literal

from sqlalchemy import Connection, Engine, bindparam, delete, func, insert, select, update

from form.agency_names import matching_names, name_key
from form.registry_format import LEVELS, REGISTRY_COLUMNS, REQUIRED_COLUMNS
from warehouse.schema import (
    FACT_TABLES,
    SINCE_EVER,
    UNASSIGNED_REGION,
    Agency,
    AgencyAlias,
    DimAgency,
    DimRegion,
    DimSubmission,
    FactFinding,
)
from warehouse.sql import chunks, upsert
from warehouse.supersession import apply_links, delete_facts_except, held_for, set_fact_flags, settle

GOVERNMENT_LEVELS = ("province", "city", "county")
PROVISIONAL_PREFIX = "unreg-"
#: name, level, region and parent changes make a new version; the rest is corrected in place
TYPE2_FIELDS = ("name", "level", "region_code", "parent_id")

MatchMethod = Literal["exact", "prefix", "other_year", "alias", "unregistered", "ambiguous"]


class RegistryError(ValueError):
    """A registry file (or map request) the warehouse refuses, with every problem listed."""

    def __init__(self, problems: Sequence[str]) -> None:
        self.problems = list(problems)
        super().__init__("; ".join(self.problems[:20]) + (" …" if len(self.problems) > 20 else ""))


# ---- reading the CSV (pure) --------------------------------------------------------------------


@dataclass(frozen=True)
class RegistryRow:
    agency_id: str
    name: str
    level: str
    region_code: str
    parent_id: str | None = None
    email: str | None = None
    valid_from: int | None = None
    valid_to: int | None = None
    successor_id: str | None = None
    line: int = field(default=0, compare=False)


def _year(text: str, column: str, line: int, problems: list[str]) -> int | None:
    if not text:
        return None
    try:
        return int(text)
    except ValueError:
        problems.append(f"line {line}: {column} {text!r} is not a year")
        return None


def parse_registry(text: str) -> tuple[list[RegistryRow], list[str]]:
    """Rows of a registry CSV and warnings; RegistryError listing every problem when it is unusable."""
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    header = [h.strip() for h in reader.fieldnames or []]
    missing = [c for c in REQUIRED_COLUMNS if c not in header]
    if missing:
        raise RegistryError(
            [f"missing column(s) {', '.join(missing)}; expected {','.join(REGISTRY_COLUMNS)}"]
        )
    problems: list[str] = []
    rows: list[RegistryRow] = []
    for line, raw in enumerate(reader, start=2):
        cell = {k.strip(): (v or "").strip() for k, v in raw.items() if k is not None}
        if not any(cell.values()):
            continue
        for column in REQUIRED_COLUMNS:
            if not cell.get(column):
                problems.append(f"line {line}: {column} is empty")
        if cell.get("level") and cell["level"] not in LEVELS:
            problems.append(f"line {line}: level {cell['level']!r} is not one of {', '.join(LEVELS)}")
        region = cell.get("region_code", "")
        if region and not (len(region) == 6 and region.isdigit()):
            problems.append(f"line {line}: region_code {region!r} is not 6 digits")
        if cell.get("agency_id", "").startswith(PROVISIONAL_PREFIX):
            problems.append(
                f"line {line}: agency ids starting {PROVISIONAL_PREFIX!r} are reserved for provisional agencies"
            )
        start = _year(cell.get("valid_from", ""), "valid_from", line, problems)
        end = _year(cell.get("valid_to", ""), "valid_to", line, problems)
        if start is not None and end is not None and end < start:
            problems.append(f"line {line}: valid_to {end} is before valid_from {start}")
        rows.append(
            RegistryRow(
                agency_id=cell.get("agency_id", ""),
                name=cell.get("name", ""),
                level=cell.get("level", ""),
                region_code=region,
                parent_id=cell.get("parent_id") or None,
                email=cell.get("email") or None,
                valid_from=start,
                valid_to=end,
                successor_id=cell.get("successor_id") or None,
                line=line,
            )
        )
    problems += _period_problems(rows)
    if problems:
        raise RegistryError(problems)
    return rows, _reference_warnings(rows)


def _period_problems(rows: list[RegistryRow]) -> list[str]:
    problems = []
    for agency, periods in _by_agency(rows).items():
        undated = [r for r in periods if r.valid_from is None]
        if len(undated) > 1:
            problems.append(
                f"agency {agency}: {len(undated)} rows without valid_from (only the first period may omit it)"
            )
            continue
        ordered = sorted(periods, key=lambda r: r.valid_from if r.valid_from is not None else SINCE_EVER)
        for before, after in zip(ordered, ordered[1:], strict=False):
            start = after.valid_from if after.valid_from is not None else SINCE_EVER
            if before.valid_to is None or before.valid_to >= start:
                problems.append(
                    f"agency {agency}: the period from line {before.line} does not end before line {after.line} starts"
                )
    return problems


def _reference_warnings(rows: list[RegistryRow]) -> list[str]:
    known = {r.agency_id for r in rows}
    warnings = []
    for r in rows:
        if r.parent_id and r.parent_id not in known:
            warnings.append(f"line {r.line}: parent {r.parent_id} of {r.agency_id} is not in the file")
        if r.successor_id and r.successor_id not in known:
            warnings.append(f"line {r.line}: successor {r.successor_id} of {r.agency_id} is not in the file")
        if r.successor_id and r.valid_to is None:
            warnings.append(f"line {r.line}: {r.agency_id} names a successor but its period has no valid_to")
    return warnings


def read_registry(path: str | Path) -> tuple[list[RegistryRow], list[str]]:
    """A registry file (UTF-8, a BOM tolerated: spreadsheets write one)."""
    return parse_registry(Path(path).read_text(encoding="utf-8-sig"))


def _by_agency(rows: Iterable[RegistryRow]) -> dict[str, list[RegistryRow]]:
    out: dict[str, list[RegistryRow]] = defaultdict(list)
    for r in rows:
        out[r.agency_id].append(r)
    return out


# ---- versions (pure) ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Version:
    """The content of one dim_agency row."""

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
    def of(cls, row: RegistryRow, valid_from: int | None = None) -> Version:
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

    def covers(self, year: int) -> bool:
        return self.valid_from <= year and (self.valid_to is None or year <= self.valid_to)


VERSION_FIELDS = tuple(f.name for f in fields(Version))


@dataclass
class VersionPlan:
    inserts: list[Version] = field(default_factory=list)
    #: (agency_key, new content)
    updates: list[tuple[int, Version]] = field(default_factory=list)
    deletes: list[int] = field(default_factory=list)
    unchanged: int = 0


def plan_versions(
    existing: Mapping[str, Sequence[tuple[int, Version]]], rows: Sequence[RegistryRow], as_of: int
) -> VersionPlan:
    """What to insert, update and delete so dim_agency says what the file says (see module doc)."""
    plan = VersionPlan()
    for agency, periods in _by_agency(rows).items():
        have = sorted(existing.get(agency, ()), key=lambda kv: kv[1].valid_from)
        if len(periods) == 1 and periods[0].valid_from is None and have:
            _plan_snapshot(plan, have, periods[0], as_of)
            continue
        wanted = {v.valid_from: v for v in (Version.of(r) for r in periods)}
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
    plan: VersionPlan, have: Sequence[tuple[int, Version]], row: RegistryRow, as_of: int
) -> None:
    key, current = have[-1]
    fresh = Version.of(row, valid_from=current.valid_from)
    if fresh == current:
        plan.unchanged += 1
    elif all(getattr(fresh, f) == getattr(current, f) for f in TYPE2_FIELDS) or current.valid_from >= as_of:
        plan.updates.append((key, fresh))
    else:
        plan.updates.append((key, replace(current, valid_to=as_of - 1, successor_id=None)))
        plan.inserts.append(Version.of(row, valid_from=as_of))


def region_level(code: str) -> str:
    """province (xx0000) · city (xxxx00) · county · unassigned (000000), read from the code itself."""
    if code == UNASSIGNED_REGION:
        return "unassigned"
    if code.endswith("0000"):
        return "province"
    if code.endswith("00"):
        return "city"
    return "county"


def region_parent(code: str) -> str | None:
    level = region_level(code)
    if level == "county":
        return code[:4] + "00"
    if level == "city":
        return code[:2] + "0000"
    return None


def _place_name(agency_name: str) -> str:
    for ending in ("人民政府", "政府"):
        if agency_name.endswith(ending) and len(agency_name) > len(ending):
            return agency_name[: -len(ending)]
    return agency_name


def region_rows(rows: Sequence[RegistryRow]) -> list[dict[str, object]]:
    """dim_region rows for every code the registry uses (and their parents), named after their government."""
    names: dict[str, tuple[int, str]] = {}
    for r in rows:
        if r.level in GOVERNMENT_LEVELS:
            start = r.valid_from if r.valid_from is not None else SINCE_EVER
            if r.region_code not in names or start >= names[r.region_code][0]:
                names[r.region_code] = (start, _place_name(r.name))
    codes: set[str] = set()
    for r in rows:
        code: str | None = r.region_code
        while code and code not in codes:
            codes.add(code)
            code = region_parent(code)
    return [
        {
            "region_code": code,
            "name": names[code][1] if code in names else code,
            "level": region_level(code),
            "parent_code": region_parent(code),
        }
        for code in sorted(codes)
    ]


# ---- matching (pure) ---------------------------------------------------------------------------


def provisional_id(printed_name: str) -> str:
    """The provisional agency a name that matches no single agency loads under (stable per name key)."""
    return PROVISIONAL_PREFIX + hashlib.sha256(name_key(printed_name).encode()).hexdigest()[:12]


@dataclass(frozen=True)
class NameEntry:
    agency_id: str
    name: str
    valid_from: int
    valid_to: int | None

    def covers(self, year: int) -> bool:
        return self.valid_from <= year and (self.valid_to is None or year <= self.valid_to)


@dataclass(frozen=True)
class Match:
    agency_id: str | None
    method: MatchMethod
    #: the agencies an ambiguous name could be
    candidates: tuple[str, ...] = ()


class AgencyMatcher:
    """Places printed names among registry names; built once per chunk, a lookup is a few dict hits.

    `form.agency_names` decides sameness; an index of key suffixes narrows each lookup to the few
    registry names that can be the same agency (one key must end with the other).
    """

    def __init__(self, names: Iterable[NameEntry], aliases: Mapping[str, str] | None = None) -> None:
        self._by_key: dict[str, list[NameEntry]] = defaultdict(list)
        self._spans: dict[str, list[tuple[int, int | None]]] = defaultdict(list)
        for entry in names:
            self._by_key[name_key(entry.name)].append(entry)
            self._spans[entry.agency_id].append((entry.valid_from, entry.valid_to))
        self._suffixes: dict[str, set[str]] = defaultdict(set)
        for key in self._by_key:
            for i in range(1, len(key) - 1):
                self._suffixes[key[i:]].add(key)
        self._aliases = {name_key(k): v for k, v in (aliases or {}).items()}
        self._alias_entries = [
            NameEntry(agency, alias, SINCE_EVER, None) for alias, agency in self._aliases.items()
        ]

    def active(self, agency_id: str, year: int) -> bool:
        return any(
            start <= year and (end is None or year <= end) for start, end in self._spans.get(agency_id, ())
        )

    def _pool(self, key: str) -> list[NameEntry]:
        keys = {key, *self._suffixes.get(key, ())}
        keys.update(key[i:] for i in range(1, len(key) - 1) if key[i:] in self._by_key)
        return [e for k in keys for e in self._by_key.get(k, ())]

    @staticmethod
    def _decide(name: str, entries: list[NameEntry]) -> tuple[list[str], bool]:
        same = set(matching_names(name, [e.name for e in entries]))
        ids = sorted({e.agency_id for e in entries if e.name in same})
        exact = any(name_key(n) == name_key(name) for n in same)
        return ids, exact

    def match(self, printed_name: str, year: int) -> Match:
        """The agency a name printed on a report of `year` is, or why there is none (module doc)."""
        key = name_key(printed_name)
        if not key:
            return Match(None, "unregistered")
        if key in self._aliases:
            return Match(self._aliases[key], "alias")
        pool = self._pool(key)
        steps: tuple[tuple[list[NameEntry], MatchMethod | None], ...] = (
            ([e for e in pool if e.covers(year)], None),
            ([e for e in pool if not e.covers(year) and self.active(e.agency_id, year)], "other_year"),
            (self._alias_entries, "alias"),
        )
        for entries, method in steps:
            if not entries:
                continue
            ids, exact = self._decide(printed_name, entries)
            if len(ids) > 1:
                return Match(None, "ambiguous", tuple(ids))
            if ids:
                return Match(ids[0], method or ("exact" if exact else "prefix"))
        return Match(None, "unregistered")


# ---- database side -----------------------------------------------------------------------------


def _now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


def _existing_versions(conn: Connection, agency_ids: Sequence[str]) -> dict[str, list[tuple[int, Version]]]:
    t = DimAgency.__table__
    out: dict[str, list[tuple[int, Version]]] = defaultdict(list)
    for part in chunks(list(agency_ids)):
        for row in conn.execute(
            select(t.c.agency_key, *(t.c[f] for f in VERSION_FIELDS)).where(t.c.agency_id.in_(part))
        ):
            out[row.agency_id].append((row.agency_key, Version(*(getattr(row, f) for f in VERSION_FIELDS))))
    return out


def _version_row(v: Version, registered: bool = True) -> dict[str, object]:
    row: dict[str, object] = {f: getattr(v, f) for f in VERSION_FIELDS}
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


def load_registry_rows(
    conn: Connection, rows: Sequence[RegistryRow], as_of: int | None = None
) -> RegistryLoad:
    """Merge registry rows into agency, dim_agency and dim_region (type 2); idempotent."""
    as_of = as_of or datetime.now().year
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
    now = _now()
    upsert(
        conn,
        Agency.__table__,
        [{"agency_id": a, "is_registered": True, "mapped_to_id": None, "created_at": now} for a in ids],
        ["agency_id"],
        update=[],
    )
    plan = plan_versions(_existing_versions(conn, ids), rows, as_of)
    t = DimAgency.__table__
    if plan.deletes:
        conn.execute(delete(t).where(t.c.agency_key == bindparam("k")), [{"k": k} for k in plan.deletes])
    if plan.updates:
        values = {f: bindparam(f"new_{f}") for f in (*VERSION_FIELDS, "name_key")}
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
        warnings=_reference_warnings(list(rows)),
        now_matching=[(p.agency_id, p.name, p.suggestion) for p in unregistered(conn) if p.suggestion],
    )


def load_registry(engine: Engine, path: str | Path, as_of: int | None = None) -> RegistryLoad:
    """`xxgk registry load FILE`: read, validate and merge a registry CSV in one transaction."""
    rows, _ = read_registry(path)
    with engine.begin() as conn:
        return load_registry_rows(conn, rows, as_of)


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
        found_now = {matcher.match(r.name, y) for y in ys} or {matcher.match(r.name, datetime.now().year)}
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
        [{"alias_key": key, "alias": name, "agency_id": agency_id, "created_at": _now()}],
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
    now = _now()
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
