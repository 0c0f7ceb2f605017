"""The agencies a province expects reports from: a government tree with departments and townships.

One province government, about one city per 170 agencies and one county per 19, each government
with its departments, each county with its townships. Some agencies are renamed between years
(the 2018–2023 institutional reforms, 撤乡设镇, 撤镇设街道) and some are merged into a sibling,
after which only the absorbing agency reports. Ids are stable across renames: the government's
6-digit region code, `<region>-Dnn` for its departments and `<region>-Tnnn` for its townships.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, replace
from typing import NamedTuple

from form.registry_format import Level
from synth import names


@dataclass(frozen=True)
class Agency:
    id: str
    level: Level
    region: str
    parent_id: str
    #: (first year, name) in ascending order: a rename adds an entry
    names: tuple[tuple[int, str], ...]
    valid_from: int
    valid_to: int | None = None
    successor_id: str = ""
    #: the department kind (names.DepartmentKind.key); "" for a government
    dept_key: str = ""
    #: level of the government the agency belongs to (its own level for a government)
    seat: Level = "province"
    #: workload multiplier, persistent across years
    size: float = 1.0
    #: a government whose report is its whole region's (synth.consolidated)
    consolidated: bool = False

    @property
    def email(self) -> str:
        return f"gk.{self.id.lower()}@{self.region}.gov.example"

    def name_in(self, year: int) -> str:
        current = self.names[0][1]
        for first, name in self.names:
            if year >= first:
                current = name
        return current

    def active(self, year: int) -> bool:
        return self.valid_from <= year and (self.valid_to is None or year <= self.valid_to)

    @property
    def has_rule_power(self) -> bool:
        """Provinces and cities with districts make 规章 (FORMAT.md, semantic.rules_power)."""
        return self.level in ("province", "city")

    @property
    def is_own_government_report(self) -> bool:
        """A county-level-or-above government's 本级 report, due by 31 March rather than 31 January."""
        return self.level in ("province", "city", "county")


def _weighted(rng: random.Random, pairs: tuple[tuple[str, float], ...]) -> str:
    return rng.choices([p for p, _ in pairs], [w for _, w in pairs])[0]


class _PlaceNames:
    """Unique two-character place names for the whole province."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.used: set[str] = set()
        self.long = False

    def take(self) -> str:
        # two characters while they last (about 3,000), then three: a province of 40,000 reports
        for length in (2, 3) if not self.long else (3,):
            for _ in range(10000):
                name = self.rng.choice(names.PLACE_FIRST) + "".join(
                    self.rng.choice(names.PLACE_SECOND) for _ in range(length - 1)
                )
                if name not in self.used and len(set(name)) == length:
                    self.used.add(name)
                    return name
            self.long = True
        raise RuntimeError("place names exhausted")  # pragma: no cover


def _spread(total: int, parts: int) -> list[int]:
    base, extra = divmod(total, parts)
    return [base + (1 if i < extra else 0) for i in range(parts)]


class _Plan(NamedTuple):
    """How many agencies of each kind a province of n agencies has (the province itself aside)."""

    cities: int
    counties: int
    province_departments: int
    city_departments: int
    county_departments: int
    townships: int


def _plan(n: int) -> _Plan:
    """Counts of each kind summing to n - 1: a city per ~170 agencies, a county per ~19."""
    if n < 3:
        raise ValueError("a province needs at least 3 agencies (province, a city, a county)")
    cities = max(1, min(99, round(n / 170)))
    counties = max(1, round(n * 90 / 1700))
    counties = min(counties, n - 1 - cities, cities * 98)
    rest = n - 1 - cities - counties
    prov = min(len(names.DEPARTMENTS), max(min(rest, 1), round(rest * 0.03)))
    city_d = min(cities * len(names.DEPARTMENTS), round(rest * 0.13))
    county_d = min(counties * len(names.DEPARTMENTS), round(rest * 0.42))
    towns = rest - prov - city_d - county_d
    return _Plan(cities, counties, prov, city_d, county_d, towns)


def _government(level: Level, region: str, parent_id: str, name: str, first_year: int, size: float) -> Agency:
    return Agency(
        id=region,
        level=level,
        region=region,
        parent_id=parent_id,
        names=((first_year, name),),
        valid_from=first_year,
        seat=level,
        size=size,
    )


def _departments(
    rng: random.Random, gov: Agency, count: int, prefix: str, first_year: int
) -> list[Agency]:
    """The government's office and `count - 1` other departments, named below its place."""
    kinds = list(names.DEPARTMENTS)
    office, others = kinds[0], kinds[1:]
    rng.shuffle(others)
    chosen = ([office, *others])[:count]
    out = []
    for kind in sorted(chosen, key=lambda k: names.DEPARTMENTS.index(k)):
        idx = names.DEPARTMENTS.index(kind)
        local = kind.province_name if gov.level == "province" else kind.local_name
        out.append(
            Agency(
                id=f"{gov.region}-D{idx:02d}",
                level="department",
                region=gov.region,
                parent_id=gov.id,
                names=((first_year, prefix + local),),
                valid_from=first_year,
                dept_key=kind.key,
                seat=gov.level,
                size=rng.lognormvariate(0, 0.6),
            )
        )
    return out


def _province(rng: random.Random, first_year: int) -> tuple[Agency, str]:
    """The province government and the place name its departments print before their own."""
    code = rng.choice(("36", "43", "45", "52", "61", "62"))
    place = rng.choice(names.PROVINCE_NAMES) + names.PROVINCE_UNIT
    gov = _government(
        "province", f"{code}0000", "", place + names.GOVERNMENT, first_year, rng.lognormvariate(0, 0.3)
    )
    return gov, place


def _cities(
    rng: random.Random, places: _PlaceNames, province: Agency, count: int, first_year: int
) -> list[tuple[Agency, str]]:
    """City governments, numbered within the province, each with its place name."""
    out = []
    for i in range(count):
        place = places.take() + names.CITY_UNIT
        region = f"{province.region[:2]}{i + 1:02d}00"
        size = rng.lognormvariate(0, 0.5)
        out.append((_government("city", region, province.id, place + names.GOVERNMENT, first_year, size), place))
    return out


def _counties(
    rng: random.Random, places: _PlaceNames, cities: list[tuple[Agency, str]], count: int, first_year: int
) -> list[tuple[Agency, str]]:
    """County governments (县, 区 or county-level 市) spread evenly over the cities."""
    out = []
    for (city, _), k in zip(cities, _spread(count, len(cities)), strict=True):
        for j in range(k):
            place = places.take() + _weighted(rng, names.COUNTY_KINDS)
            region = f"{city.region[:4]}{j + 2:02d}"
            size = rng.lognormvariate(0, 0.6)
            out.append((_government("county", region, city.id, place + names.GOVERNMENT, first_year, size), place))
    return out


def _townships(
    rng: random.Random, places: _PlaceNames, county: Agency, count: int, first_year: int
) -> list[Agency]:
    """The county's townships (镇, 乡, 街道), numbered within it."""
    out = []
    for j in range(count):
        ending = _weighted(rng, names.TOWNSHIP_KINDS)
        out.append(
            Agency(
                id=f"{county.region}-T{j + 1:03d}",
                level="township",
                region=county.region,
                parent_id=county.id,
                names=((first_year, places.take() + ending),),
                valid_from=first_year,
                seat="township",
                size=rng.lognormvariate(0, 0.7),
            )
        )
    return out


def _renames(rng: random.Random, by_id: dict[str, Agency], years: range) -> None:
    """Reform renames of county and city departments, 撤乡设镇 and 撤镇设街道 of townships."""
    first, last = years.start, years.stop - 1
    renames = {k: (before, after, y) for k, before, after, y in names.DEPARTMENT_RENAMES}
    for a in list(by_id.values()):
        if a.level == "department" and a.seat != "province" and a.dept_key in renames:
            before, after, year = renames[a.dept_key]
            name = a.names[0][1]
            ending = next((w for w in (before, after) if name.endswith(w)), None)
            if ending and first < year <= last and rng.random() < 0.5:
                prefix = name[: -len(ending)]
                by_id[a.id] = replace(a, names=((first, prefix + before), (year, prefix + after)))
        elif a.level == "township" and rng.random() < 0.06 and last > first:
            year = rng.randint(first + 1, last)
            name = a.names[0][1]
            ending = next((e for e in names.TOWNSHIP_RENAMES if name.endswith(e)), None)
            if ending is not None:
                renamed = name.replace(ending, names.TOWNSHIP_RENAMES[ending])
                by_id[a.id] = replace(a, names=((first, name), (year, renamed)))


def _merged(a: Agency, year: int, successor: str) -> Agency:
    """The agency merged into `successor` from `year` on: a rename it would have had from that year
    never happens (a registry period may not start after the agency's end)."""
    kept = tuple(n for n in a.names if n[0] < year) or a.names[:1]
    return replace(a, names=kept, valid_to=year - 1, successor_id=successor)


def _department_merges(rng: random.Random, by_id: dict[str, Agency], years: range) -> None:
    """A department absorbed by a sibling of its government (统计 into 发改, 林业 into 自然资源)."""
    first, last = years.start, years.stop - 1
    siblings: dict[str, dict[str, Agency]] = {}
    for a in by_id.values():
        if a.level == "department":
            siblings.setdefault(a.parent_id, {})[a.dept_key] = a
    for parent in sorted(siblings):
        kinds = siblings[parent]
        for absorbed, absorbing, year in names.DEPARTMENT_MERGES:
            if absorbed in kinds and absorbing in kinds and first < year <= last and rng.random() < 0.4:
                a = kinds[absorbed]
                by_id[a.id] = _merged(by_id[a.id], year, kinds[absorbing].id)


def _township_merges(rng: random.Random, by_id: dict[str, Agency], years: range) -> None:
    """A township merged into its neighbour in the same county."""
    first, last = years.start, years.stop - 1
    towns: dict[str, list[Agency]] = {}
    for a in by_id.values():
        if a.level == "township":
            towns.setdefault(a.parent_id, []).append(a)
    for parent in sorted(towns):
        group = sorted(towns[parent], key=lambda a: a.id)
        for i, a in enumerate(group):
            if len(group) > 2 and rng.random() < 0.04 and last > first:
                into = group[(i + 1) % len(group)]
                if by_id[into.id].valid_to is None and by_id[a.id].valid_to is None:
                    year = rng.randint(first + 1, last)
                    by_id[a.id] = _merged(by_id[a.id], year, into.id)


def _renames_and_merges(rng: random.Random, agencies: list[Agency], years: range) -> list[Agency]:
    by_id = {a.id: a for a in agencies}
    _renames(rng, by_id, years)
    _department_merges(rng, by_id, years)
    _township_merges(rng, by_id, years)
    return [by_id[a.id] for a in agencies]


def build_registry(n: int, years: range, rng: random.Random) -> tuple[Agency, ...]:
    """Exactly n agencies (n ≥ 3), sorted by id, active over `years` unless merged."""
    first = years.start
    places = _PlaceNames(rng)
    plan = _plan(n)
    province, province_place = _province(rng, first)
    out = [province, *_departments(rng, province, plan.province_departments, province_place, first)]
    cities = _cities(rng, places, province, plan.cities, first)
    counties = _counties(rng, places, cities, plan.counties, first)
    for (city, place), m in zip(cities, _spread(plan.city_departments, plan.cities), strict=True):
        out += [city, *_departments(rng, city, m, place, first)]
    per_county = zip(
        counties,
        _spread(plan.county_departments, plan.counties),
        _spread(plan.townships, plan.counties),
        strict=True,
    )
    for (county, place), m, t in per_county:
        overflow = max(0, m - len(names.DEPARTMENTS))
        out += [
            county,
            *_departments(rng, county, m - overflow, place, first),
            *_townships(rng, places, county, t + overflow, first),
        ]
    out = _renames_and_merges(rng, out, years)
    return tuple(sorted(out, key=lambda a: a.id))


def registry_rows(agencies: tuple[Agency, ...], years: range) -> list[tuple[str, ...]]:
    """One row per agency and name period (a rename starts a new row; a merge ends the last)."""
    last = years.stop - 1
    rows = []
    for a in agencies:
        for i, (first, name) in enumerate(a.names):
            until = a.names[i + 1][0] - 1 if i + 1 < len(a.names) else a.valid_to
            final = i + 1 == len(a.names)
            rows.append(
                (
                    a.id,
                    name,
                    a.level,
                    a.region,
                    a.parent_id,
                    a.email,
                    str(max(first, a.valid_from)),
                    "" if until is None or (until >= last and final and a.valid_to is None) else str(until),
                    a.successor_id if final else "",
                    "1" if a.consolidated else "",
                )
            )
    return rows
