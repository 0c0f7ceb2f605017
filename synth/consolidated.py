"""Consolidated reports: a county government reporting its whole county, and what the aggregation must find.

Some county governments are marked `consolidated` in the registry (FORMAT.md,
`aggregate.consolidated_matches_members`): their report prints the county's figures, the sum of
the true figures of every other agency of the county (its departments and townships). Only
counties whose members stay the same over the years are marked, so the sums chain from year to
year and pass every rule of the template.

The aggregation compares such a report with the sum of its members' *loaded* reports, so it
also finds the gaps a member leaves (no report, a rejected one, a soft fault that changed a
printed figure). The generator knows which reports load (the last file of an agency-year loads
unless it trips a hard rule), so it records every difference the aggregation must report in
`consolidated.csv`: the cells its own injected faults change (`injected`: the government's
figures differ from its members' in a way no rule of a single report can see) and the rest
(`members`).
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field, replace
from decimal import Decimal

from form import catalogue as cat
from form.rules import AGGREGATION_RULES
from synth.faults import HARD_RULES
from synth.printed import Number, PrintedReport, set_printed
from synth.registry import Agency
from synth.values import APPLICANTS, Value, YearFigures

RULE = AGGREGATION_RULES[0].id
HEADER = ("file", "agency_id", "year", "cell", "printed", "members", "cause")
#: Faults whose file may load or not depending on the checker's pairing (not checkable): kept
#: away from consolidated governments and their members.
UNFORESEEABLE = frozenset({"carryover.requests"})
#: Share of a consolidated government's otherwise clean reports given a difference from its members.
FAULT_RATE = 0.5


def members_of(county: Agency, agencies: tuple[Agency, ...]) -> list[Agency]:
    """The agencies a county's consolidated report sums: every other agency of its region code."""
    return [a for a in agencies if a.region == county.region and a.id != county.id]


def _steady(a: Agency, years: range) -> bool:
    return a.valid_from <= years.start and a.valid_to is None


def mark(agencies: tuple[Agency, ...], years: range, count: int, rng: random.Random) -> tuple[Agency, ...]:
    """`count` county governments (fewer if not enough qualify) marked consolidated: those whose
    members all report every year (no merge, no later start), so their sums chain across years."""
    eligible = [
        a
        for a in agencies
        if a.level == "county"
        and _steady(a, years)
        and (members := members_of(a, agencies))
        and all(_steady(m, years) for m in members)
    ]
    chosen = {a.id for a in rng.sample(eligible, min(count, len(eligible)))}
    return tuple(replace(a, consolidated=True) if a.id in chosen else a for a in agencies)


def sum_figures(parts: list[YearFigures], year: int) -> YearFigures:
    """The figures of a region: every member's true figures of `year` added up, cell by cell."""
    t2: dict[str, Value] = {}
    t3: dict[str, dict[str, int]] = {}
    t4: dict[str, dict[str, int]] = {}
    for fig in parts:
        for cid, v in fig.t2.items():
            t2[cid] = t2.get(cid, 0) + v
        for table, out in ((fig.t3, t3), (fig.t4, t4)):
            for row, cols in table.items():
                acc = out.setdefault(row, {})
                for col, n in cols.items():
                    acc[col] = acc.get(col, 0) + n
    return YearFigures(year, t2, t3, t4)


def _number(value: Number | None) -> Decimal:
    return Decimal(str(value)) if value is not None else Decimal(0)


@dataclass
class Region:
    """What one consolidated government's region adds up to, as its members' reports arrive."""

    agency: Agency
    members: frozenset[str]
    #: year → the members' true figures
    figures: dict[int, list[YearFigures]] = field(default_factory=dict)
    #: year → cell → the sum of the members' loaded reports (blank as 0)
    loaded: dict[int, dict[str, Decimal]] = field(default_factory=dict)

    def add_member(self, figures: dict[int, YearFigures], finals: dict[int, PrintedReport]) -> None:
        """A member's true figures and, per year, its last file (summed when it loads)."""
        for year, fig in figures.items():
            self.figures.setdefault(year, []).append(fig)
        for year, report in finals.items():
            if loads(report):
                sums = self.loaded.setdefault(year, {})
                for cid, v in report.cells.items():
                    sums[cid] = sums.get(cid, Decimal(0)) + _number(v)

    def year_figures(self) -> dict[int, YearFigures]:
        return {year: sum_figures(parts, year) for year, parts in sorted(self.figures.items())}

    def differences(self, report: PrintedReport, injected: set[str]) -> list[tuple[str, ...]]:
        """consolidated.csv rows: every compared cell of a loading report that its members' sum misses."""
        if not loads(report):
            return []
        sums = self.loaded.get(report.year, {})
        rows = []
        for cid, v in report.cells.items():
            if cat.cell_spec(cid).column == cat.T3_ENTITIES.id:
                continue
            printed, members = _number(v), sums.get(cid, Decimal(0))
            if printed != members:
                cause = "injected" if cid in injected else "members"
                rows.append(
                    (report.file, report.agency_id, str(report.year), cid, _text(printed), _text(members), cause)
                )
        return rows


def _text(value: Decimal) -> str:
    return format(value.normalize(), "f") if value != value.to_integral_value() else str(int(value))


def loads(report: PrintedReport) -> bool:
    """Whether the warehouse keeps this file's figures: it trips no hard rule."""
    return not any(f.rule in HARD_RULES for f in report.faults)


def inject(report: PrintedReport, rng: random.Random) -> set[str]:
    """A difference from the members that every rule of the single report still passes: requests
    received and granted raised together, a table 二 count raised, or a review upheld and its total."""
    kind = rng.choice(("requests", "disclosure", "review"))
    d = rng.choice((1, 2, 3, 5, 10))
    changed: list[str] = []

    def shift(cid: str) -> None:
        set_printed(report, cid, int(report.cells.get(cid) or 0) + d)
        changed.append(cid)

    if kind == "requests":
        col = rng.choice(APPLICANTS)
        for row in ("new", "granted", "processed_total"):
            shift(f"t3.{row}.{col}")
            if col in cat.T3_ORGANISATION_COLUMNS and f"t3.{row}.entities" in report.cells:
                shift(f"t3.{row}.entities")
            shift(f"t3.{row}.total")
    elif kind == "disclosure":
        shift(rng.choice(("t2.licensing.decisions", "t2.penalty.decisions", "t2.coercion.decisions")))
    else:
        shift("t4.review.upheld")
        shift("t4.review.total")
    return set(changed)
