"""An agency's true figures year by year: plausible in size and chained across years.

Each year's 上年结转 is the previous year's 结转 column by column; 现行有效件数 moves by what was
issued and repealed; the 2019 table's 上一年项目数量 moves by the year's 本年增/减. Both template
versions are views of one underlying state, so a report printed on the wrong version still
carries consistent numbers. Sizes follow the agency's level and kind: townships mostly zero,
city governments in the hundreds of requests, 行政许可 in the thousands.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass
from decimal import Decimal
from functools import cache

from form import catalogue as cat
from form.catalogue import Version
from synth.names import DEPARTMENTS
from synth.registry import Agency

Value = int | Decimal

APPLICANTS = tuple(c.id for c in cat.T3_COLUMNS if c.id != "total")
ORGANISATIONS = cat.T3_ORGANISATION_COLUMNS
_APPLICANT_WEIGHTS = (0.86, 0.08, 0.004, 0.01, 0.03, 0.016)
#: Outcome rows of table 3 as the underlying state keeps them (（六） always as three items).
OUTCOMES = tuple(
    r.id for r in cat.T3_ROWS["2021"] if r.id not in ("new", "carried_in", "processed_total", "carried_out")
)
_OUTCOME_WEIGHTS = {
    "granted": 0.42,
    "partial": 0.12,
    "denied_secret": 0.005,
    "denied_law": 0.01,
    "denied_safety": 0.003,
    "denied_third_party": 0.01,
    "denied_internal": 0.01,
    "denied_process": 0.015,
    "denied_enforcement": 0.005,
    "denied_query": 0.02,
    "unable_not_held": 0.2,
    "unable_create": 0.03,
    "unable_unclear": 0.02,
    "rejected_petition": 0.03,
    "rejected_duplicate": 0.03,
    "rejected_publication": 0.005,
    "rejected_excessive": 0.005,
    "rejected_confirm": 0.01,
    "other_no_correction": 0.015,
    "other_no_fee": 0.002,
    "other_other": 0.02,
}
T4_PARTS = tuple(c.id for c in cat.T4_COLUMNS if c.id != "total")
_T4_WEIGHTS = (0.55, 0.1, 0.2, 0.15)

#: Yearly means for a government of each level (size 1): requests, licensing, penalty,
#: coercion, fees (万元), normative documents issued, rules issued, reviews, suits.
_GOVERNMENT = {
    "province": (250, 3000, 200, 40, 5000, 40, 10, 12, 6),
    "city": (120, 1500, 300, 60, 2000, 25, 3, 8, 4),
    "county": (40, 600, 150, 30, 500, 12, 0, 3, 1.5),
    "township": (0.6, 20, 5, 1, 0, 0.5, 0, 0.05, 0.02),
}
#: Department means by the level of its government, before the kind's weights.
_DEPARTMENT = {
    "province": (40, 3000, 800, 150, 2000, 8, 0, 6, 3),
    "city": (15, 1500, 500, 100, 600, 4, 0, 2, 1),
    "county": (4, 400, 150, 30, 150, 1.5, 0, 0.4, 0.2),
}
_KINDS = {k.key: k for k in DEPARTMENTS}


@dataclass(frozen=True)
class Means:
    requests: float
    licensing: float
    penalty: float
    coercion: float
    fees: float
    normative: float
    rules: float
    reviews: float
    suits: float


@dataclass(frozen=True)
class YearFigures:
    """The true figures of one agency-year, independent of the template that prints them."""

    year: int
    t2: dict[str, Value]
    #: table 3: row id → column id → count, with the three （六） items and the total column
    t3: dict[str, dict[str, int]]
    t4: dict[str, dict[str, int]]


def means_for(agency: Agency) -> Means:
    """The agency's yearly means: its level's profile, its kind's weights, its size."""
    if agency.level == "department":
        base = _DEPARTMENT[agency.seat]
        k = _KINDS[agency.dept_key]
        w = (k.requests, k.licensing, k.penalty, k.coercion, k.fees, 1.0, 0.0, k.requests, k.requests)
        vals = [b * x for b, x in zip(base, w, strict=True)]
    else:
        vals = list(_GOVERNMENT[agency.level])
    s = agency.size
    return Means(*(v * s for v in vals))


def poisson(rng: random.Random, lam: float) -> int:
    """A Poisson draw (Knuth below 30, a rounded normal above)."""
    if lam <= 0:
        return 0
    if lam < 30:
        limit, k, p = math.exp(-lam), 0, 1.0
        while True:
            p *= rng.random()
            if p <= limit:
                return k
            k += 1
    return max(0, round(rng.gauss(lam, math.sqrt(lam))))


def binomial(rng: random.Random, n: int, p: float) -> int:
    if n <= 200:
        return sum(1 for _ in range(n) if rng.random() < p)
    return min(n, max(0, round(rng.gauss(n * p, math.sqrt(n * p * (1 - p))))))


def split(rng: random.Random, n: int, weights: tuple[float, ...]) -> list[int]:
    """n units spread over len(weights) parts by a multinomial draw."""
    counts = [0] * len(weights)
    if n > 0:
        for i in rng.choices(range(len(weights)), weights, k=n):
            counts[i] += 1
    return counts


def _amount(rng: random.Random, mean: float, places: int) -> Decimal:
    if mean <= 0 or rng.random() < 0.15:
        return Decimal(0)
    value = mean * rng.lognormvariate(0, 0.5)
    return Decimal(str(round(value, places))).quantize(Decimal(1).scaleb(-places))


def _with_total(row: dict[str, int]) -> dict[str, int]:
    return {**row, "total": sum(row.values())}


def _table3(rng: random.Random, m: Means, drift: float, carried_in: dict[str, int]) -> dict[str, dict[str, int]]:
    new = dict(zip(APPLICANTS, split(rng, poisson(rng, m.requests * drift), _APPLICANT_WEIGHTS), strict=True))
    t3: dict[str, dict[str, int]] = {o: dict.fromkeys(APPLICANTS, 0) for o in OUTCOMES}
    carried_out: dict[str, int] = {}
    weights = tuple(_OUTCOME_WEIGHTS[o] for o in OUTCOMES)
    for col in APPLICANTS:
        available = new[col] + carried_in[col]
        carried_out[col] = binomial(rng, available, 0.05)
        for o, n in zip(OUTCOMES, split(rng, available - carried_out[col], weights), strict=True):
            t3[o][col] = n
    out = {"new": _with_total(new), "carried_in": _with_total(carried_in)}
    out.update((o, _with_total(t3[o])) for o in OUTCOMES)
    out["processed_total"] = _with_total({c: sum(t3[o][c] for o in OUTCOMES) for c in APPLICANTS})
    out["carried_out"] = _with_total(carried_out)
    return out


def _table4(rng: random.Random, m: Means, drift: float) -> dict[str, dict[str, int]]:
    out = {}
    for row, lam in (
        ("review", m.reviews),
        ("suit_direct", m.suits * 0.6),
        ("suit_after_review", m.suits * 0.4),
    ):
        parts = split(rng, poisson(rng, lam * drift), _T4_WEIGHTS)
        out[row] = _with_total(dict(zip(T4_PARTS, parts, strict=True)))
    return out


@dataclass
class _Stock:
    """What carries from year to year besides requests."""

    rules_in_force: int
    normative_in_force: int
    items: dict[str, int]


def series(agency: Agency, years: range, rng: random.Random) -> dict[int, YearFigures]:
    """The agency's figures for every year in `years` it exists (until a merge ends it)."""
    m = means_for(agency)
    places = rng.choice((2, 2, 2, 2, 4, 6))
    stock = _Stock(
        rules_in_force=poisson(rng, m.rules * 15) if agency.has_rule_power else 0,
        normative_in_force=poisson(rng, max(m.normative, 0.3) * 6),
        items={
            "licensing": poisson(rng, 40 + m.licensing / 20) if m.licensing >= 1 else 0,
            "other_services": poisson(rng, 5 + m.licensing / 200) if m.licensing >= 1 else 0,
            "penalty": poisson(rng, 30 + m.penalty / 2) if m.penalty >= 1 else 0,
            "coercion": poisson(rng, 5 + m.coercion / 5) if m.coercion >= 1 else 0,
            "fees": poisson(rng, 3 + m.fees / 200) if m.fees > 0 else 0,
        },
    )
    drift = 1.0
    # the year before the first: only its carried-out requests matter
    carried = dict(zip(APPLICANTS, split(rng, binomial(rng, poisson(rng, m.requests), 0.05), _APPLICANT_WEIGHTS), strict=True))
    out: dict[int, YearFigures] = {}
    for year in years:
        if not agency.active(year):
            continue
        drift *= rng.uniform(0.9, 1.2)
        t3 = _table3(rng, m, drift, carried)
        carried = {c: t3["carried_out"][c] for c in APPLICANTS}
        t4 = _table4(rng, m, drift)
        t2 = _table2(rng, agency, m, drift, stock, places)
        out[year] = YearFigures(year, t2, t3, t4)
    return out


def _table2(rng: random.Random, agency: Agency, m: Means, drift: float, stock: _Stock, places: int) -> dict[str, Value]:
    """Both versions' table 2 cells (ids shared where the versions share them), and the stock moved on."""
    t2: dict[str, Value] = {}
    rules_issued = poisson(rng, m.rules) if agency.has_rule_power else 0
    rules_repealed = min(stock.rules_in_force + rules_issued, poisson(rng, m.rules * 0.5)) if agency.has_rule_power else 0
    stock.rules_in_force += rules_issued - rules_repealed
    norm_issued = poisson(rng, m.normative * drift)
    norm_repealed = min(stock.normative_in_force + norm_issued, poisson(rng, m.normative * 0.6))
    stock.normative_in_force += norm_issued - norm_repealed
    for row, issued, repealed, in_force in (
        ("rules", rules_issued, rules_repealed, stock.rules_in_force),
        ("normative", norm_issued, norm_repealed, stock.normative_in_force),
    ):
        t2[f"t2.{row}.issued"] = issued
        t2[f"t2.{row}.repealed"] = repealed
        t2[f"t2.{row}.in_force"] = in_force
        t2[f"t2.{row}.made"] = issued
        t2[f"t2.{row}.published"] = issued if rng.random() < 0.85 else binomial(rng, issued, 0.8)
        t2[f"t2.{row}.total_public"] = in_force
    decisions = {
        "licensing": poisson(rng, m.licensing * drift),
        "other_services": poisson(rng, m.licensing * 0.1 * drift),
        "penalty": poisson(rng, m.penalty * drift),
        "coercion": poisson(rng, m.coercion * drift),
    }
    for row, n in decisions.items():
        t2[f"t2.{row}.decisions"] = n
    for row in ("licensing", "other_services", "penalty", "coercion", "fees"):
        items = stock.items[row]
        change = 0 if items == 0 or rng.random() < 0.5 else rng.randint(-min(5, items), 5)
        t2[f"t2.{row}.prev_items"] = items
        t2[f"t2.{row}.change"] = change
        stock.items[row] = items + change
    t2["t2.fees.amount"] = _amount(rng, m.fees * drift, places)
    projects = poisson(rng, (m.licensing / 30 + 2) * drift) if agency.level != "township" else poisson(rng, 2)
    t2["t2.procurement.projects"] = projects
    t2["t2.procurement.amount"] = _amount(rng, projects * 45.0, 2) if projects else Decimal(0)
    return t2


@cache
def _plan(version: Version, single: bool, with_entities: bool) -> tuple[tuple[str, int, str, str], ...]:
    """(cell id, table, row, column) of every printed cell, computed once per layout."""
    ids = cat.expected_cells(version, other_single_row=single, with_entities=with_entities)
    return tuple((c, *(lambda s: (s.table, s.row, s.column))(cat.cell_spec(c))) for c in ids)


def view(
    fig: YearFigures, version: Version, *, other_single_row: bool = False, with_entities: bool = False
) -> dict[str, Value]:
    """The cells a report of this version and layout prints, in printed order."""
    single = other_single_row or version == "2019"
    other_all: dict[str, int] = {}
    out: dict[str, Value] = {}
    for cid, table, row, column in _plan(version, single, with_entities):
        if table == 2:
            out[cid] = fig.t2[cid]
            continue
        if table == 4:
            out[cid] = fig.t4[row][column]
            continue
        if row == cat.T3_OTHER_ALL_ROW:
            if not other_all:
                other_all = {
                    c: sum(fig.t3[r][c] for r in cat.T3_OTHER_ITEM_ROWS) for c in (*APPLICANTS, "total")
                }
            cells = other_all
        else:
            cells = fig.t3[row]
        if column == cat.T3_ENTITIES.id:
            out[cid] = sum(cells[c] for c in ORGANISATIONS)
        else:
            out[cid] = cells[column]
    return out
