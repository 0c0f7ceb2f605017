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

from form.registry_format import REGISTRY_COLUMNS, Level
from synth import names

GOVERNMENT_LEVELS: tuple[Level, ...] = ("province", "city", "county", "township")
REGISTRY_HEADER = REGISTRY_COLUMNS


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
    def is_government(self) -> bool:
        return self.level in GOVERNMENT_LEVELS

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

    def take(self) -> str:
        for _ in range(10000):
            name = self.rng.choice(names.PLACE_FIRST) + self.rng.choice(names.PLACE_SECOND)
            if name not in self.used and name[0] != name[1]:
                self.used.add(name)
                return name
        raise RuntimeError("place names exhausted")  # pragma: no cover - 3,000 names available


def _spread(total: int, parts: int) -> list[int]:
    base, extra = divmod(total, parts)
    return [base + (1 if i < extra else 0) for i in range(parts)]


def _plan(n: int) -> tuple[int, int, int, int, int, int]:
    """(cities, counties, province depts, city depts, county depts, townships) summing to n - 1."""
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
    return cities, counties, prov, city_d, county_d, towns


def _departments(
    rng: random.Random, gov: Agency, count: int, prefix: str, first_year: int
) -> list[Agency]:
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


def _renames_and_merges(rng: random.Random, agencies: list[Agency], years: range) -> list[Agency]:
    first, last = years.start, years.stop - 1
    by_id = {a.id: a for a in agencies}
    renames = {k: (before, after, y) for k, before, after, y in names.DEPARTMENT_RENAMES}
    for a in agencies:
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
            if name.endswith("乡人民政府"):
                before = name
                after = name.replace("乡人民政府", "镇人民政府")
            elif name.endswith("镇人民政府"):
                before, after = name, name.replace("镇人民政府", "街道办事处")
            else:
                continue
            by_id[a.id] = replace(a, names=((first, before), (year, after)))
    # merges: a department into a sibling kind, a township into a neighbour
    siblings: dict[str, dict[str, Agency]] = {}
    for a in by_id.values():
        if a.level == "department":
            siblings.setdefault(a.parent_id, {})[a.dept_key] = a
    for parent in sorted(siblings):
        kinds = siblings[parent]
        for absorbed, absorbing, year in names.DEPARTMENT_MERGES:
            if absorbed in kinds and absorbing in kinds and first < year <= last and rng.random() < 0.4:
                a = kinds[absorbed]
                by_id[a.id] = replace(by_id[a.id], valid_to=year - 1, successor_id=kinds[absorbing].id)
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
                    by_id[a.id] = replace(by_id[a.id], valid_to=year - 1, successor_id=into.id)
    return [by_id[a.id] for a in agencies]


def build_registry(n: int, years: range, rng: random.Random) -> tuple[Agency, ...]:
    """Exactly n agencies (n ≥ 3), sorted by id, active over `years` unless merged."""
    first = years.start
    places = _PlaceNames(rng)
    cities, counties, prov_d, city_d, county_d, towns = _plan(n)
    province_code = rng.choice(("36", "43", "45", "52", "61", "62"))
    pname = rng.choice(names.PROVINCE_NAMES)
    province = Agency(
        id=f"{province_code}0000",
        level="province",
        region=f"{province_code}0000",
        parent_id="",
        names=((first, f"{pname}省人民政府"),),
        valid_from=first,
        seat="province",
        size=rng.lognormvariate(0, 0.3),
    )
    out: list[Agency] = [province]
    out += _departments(rng, province, prov_d, pname + "省", first)
    city_govs = []
    for i in range(cities):
        place = places.take()
        region = f"{province_code}{i + 1:02d}00"
        gov = Agency(
            id=region,
            level="city",
            region=region,
            parent_id=province.id,
            names=((first, f"{place}市人民政府"),),
            valid_from=first,
            seat="city",
            size=rng.lognormvariate(0, 0.5),
        )
        city_govs.append((gov, place))
    county_govs = []
    per_city = _spread(counties, cities)
    for (city, _), k in zip(city_govs, per_city, strict=True):
        for j in range(k):
            place = places.take()
            ending = _weighted(rng, names.COUNTY_KINDS)
            region = f"{city.region[:4]}{j + 2:02d}"
            county_govs.append(
                (
                    Agency(
                        id=region,
                        level="county",
                        region=region,
                        parent_id=city.id,
                        names=((first, f"{place}{ending}人民政府"),),
                        valid_from=first,
                        seat="county",
                        size=rng.lognormvariate(0, 0.6),
                    ),
                    place + ending,
                )
            )
    for (city, place), m in zip(city_govs, _spread(city_d, cities), strict=True):
        out.append(city)
        out += _departments(rng, city, m, place + "市", first)
    for (county, place), m, t in zip(
        county_govs, _spread(county_d, counties), _spread(towns, counties), strict=True
    ):
        out.append(county)
        overflow = max(0, m - len(names.DEPARTMENTS))
        out += _departments(rng, county, m - overflow, place, first)
        for j in range(t + overflow):
            ending = _weighted(rng, names.TOWNSHIP_KINDS)
            out.append(
                Agency(
                    id=f"{county.region}-T{j + 1:03d}",
                    level="township",
                    region=county.region,
                    parent_id=county.id,
                    names=((first, places.take() + ending),),
                    valid_from=first,
                    seat="township",
                    size=rng.lognormvariate(0, 0.7),
                )
            )
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
                )
            )
    return rows
