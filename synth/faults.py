"""Fault injection: a clean printed report in, the same report with one known defect out.

Each fault is named by the FORMAT.md rule it must trip and lists every rule it trips, so
`faults.csv` is the exact set of findings a correct checker reports for the file. Faults never
change the value of 结转下年度 or 现行有效件数 (a zero may be left blank, which reads as zero),
the cells next year's report is checked against, so a fault in one year cannot make the next
year's clean report fail.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass

from form import catalogue as cat
from form.catalogue import Version
from form.layout import NARRATIVE_TOTALS
from form.printing import TEXT_IN_NUMBER_CELLS
from form.rules import RULES as FORM_RULES
from synth import deadlines
from synth.grid import t3_rows
from synth.printed import FaultRow, PrintedReport, print_cells, set_printed
from synth.registry import Agency
from synth.values import APPLICANTS, YearFigures, view

_HEAD_ROWS = ("new", "carried_in", "processed_total", "carried_out")


@dataclass(frozen=True)
class Context:
    agency: Agency
    figures: YearFigures
    #: the agency's previous-year report as finally submitted (a correction if there was one)
    previous: PrintedReport | None


class _Edit:
    """Cells changed by one fault, with their printed and correct values, for faults.csv."""

    def __init__(self, report: PrintedReport) -> None:
        self.report = report
        self.cells: list[str] = []
        self.printed: list[str] = []
        self.expected: list[str] = []

    def set(self, cid: str, value: int) -> None:
        text, before = set_printed(self.report, cid, value)
        self.cells.append(cid)
        self.printed.append(text)
        self.expected.append(before)

    def shift(self, cid: str, d: int) -> None:
        self.set(cid, int(self.report.cells.get(cid) or 0) + d)

    def shift_applicant(self, row: str, col: str, d: int) -> None:
        """Shift one applicant cell and the row's sums with it (a consistent row)."""
        self.shift(f"t3.{row}.{col}", d)
        if col in cat.T3_ORGANISATION_COLUMNS and f"t3.{row}.entities" in self.report.cells:
            self.shift(f"t3.{row}.entities", d)
        self.shift(f"t3.{row}.total", d)

    def rows(self, *rules: str) -> list[FaultRow]:
        return [
            FaultRow(self.report.file, rule, tuple(self.cells), tuple(self.printed), tuple(self.expected))
            for rule in rules
        ]


def _delta(rng: random.Random) -> int:
    return rng.choice((1, 1, 2, 3, 5, 10))


def _column(rng: random.Random) -> str:
    return "natural" if rng.random() < 0.6 else rng.choice(APPLICANTS[1:])


def _outcome_rows(report: PrintedReport) -> list[str]:
    return [s.id for s in t3_rows(report) if s.id not in _HEAD_ROWS]


def _reprint(report: PrintedReport, figures: YearFigures, version: Version, single: bool) -> None:
    report.version = version
    report.other_single_row = single and version == "2021"
    report.cells.clear()
    report.texts.clear()
    values = view(figures, version, other_single_row=report.other_single_row, with_entities=report.layout.entities)
    print_cells(report, values)


def _zero_totals(report: PrintedReport) -> list[str]:
    return [
        cid
        for cid, v in report.cells.items()
        if v == 0
        and cid.startswith(("t3.", "t4."))
        and (cid.endswith(".total") or cid.startswith("t3.processed_total."))
    ]


def _row_total(report: PrintedReport, ctx: Context, rng: random.Random) -> list[FaultRow]:
    """One outcome row's 总计 off by a few: the row no longer adds up, nor does （七）总计."""
    edit = _Edit(report)
    cid = f"t3.{rng.choice(_outcome_rows(report))}.total"
    d = _delta(rng)
    edit.shift(cid, -d if (report.cells.get(cid) or 0) >= d and rng.random() < 0.4 else d)
    return edit.rows("t3.row_total", "t3.processed_total")


def _processed_total(report: PrintedReport, ctx: Context, rng: random.Random) -> list[FaultRow]:
    """（七）总计 raised in one column (its row still adds up), which also breaks the balance."""
    edit = _Edit(report)
    edit.shift_applicant("processed_total", _column(rng), _delta(rng))
    return edit.rows("t3.processed_total", "t3.balance")


def _balance(report: PrintedReport, ctx: Context, rng: random.Random) -> list[FaultRow]:
    """More new requests in one column than were handled or carried out."""
    edit = _Edit(report)
    edit.shift_applicant("new", _column(rng), _delta(rng))
    return edit.rows("t3.balance")


def _t4_total(report: PrintedReport, ctx: Context, rng: random.Random) -> list[FaultRow]:
    edit = _Edit(report)
    edit.shift(f"t4.{rng.choice([s.id for s in cat.T4_ROWS])}.total", _delta(rng))
    return edit.rows("t4.total")


def _carryover_requests(report: PrintedReport, ctx: Context, rng: random.Random) -> list[FaultRow]:
    """上年结转 differs from last year's 结转, with the outcome and totals moved to match."""
    edit = _Edit(report)
    col, d = _column(rng), rng.choice((1, 1, 2, 3))
    for row in ("carried_in", "granted", "processed_total"):
        edit.shift_applicant(row, col, d)
    return edit.rows("carryover.requests")


def _narrative_totals(report: PrintedReport, ctx: Context, rng: random.Random) -> list[FaultRow]:
    """One total the narrative states is the wrong number; the narrative is written later."""
    present = [cells for cells, _, _ in NARRATIVE_TOTALS if all(c in report.cells for c in cells)]
    cells = rng.choice(present)
    true = sum(int(report.cells[c] or 0) for c in cells)
    wrong = true + _delta(rng) if true < 2 or rng.random() < 0.6 else true - 1
    report.narrative_error = (cells, wrong)
    return [FaultRow(report.file, "narrative.totals", cells, (str(wrong),), (str(true),))]


def _version_matches_year(report: PrintedReport, ctx: Context, rng: random.Random) -> list[FaultRow]:
    """The same figures printed on the other template version."""
    right = report.version
    _reprint(report, ctx.figures, "2019" if right == "2021" else "2021", False)
    return [FaultRow(report.file, "version.matches_year", (), (report.version,), (right,))]


def _year_plausible(report: PrintedReport, ctx: Context, rng: random.Random) -> list[FaultRow]:
    """The title's year mistyped a decade back, before the regulations (2001 for 2021); the report
    is then also late for the year it claims."""
    report.title_year = report.year - 20
    deadline = deadlines.deadline(ctx.agency, report.title_year)
    return [
        FaultRow(report.file, "year.plausible", (), (str(report.title_year),), (str(report.year),)),
        FaultRow(report.file, "timeliness.published", (), (report.published.isoformat(),), (deadline.isoformat(),)),
    ]


def _year_in_title(report: PrintedReport, ctx: Context, rng: random.Random) -> list[FaultRow]:
    """The title prints no year: the report's year is read as the year before its publication."""
    report.title_undated = True
    return [FaultRow(report.file, "year.in_title", (), ("",), (str(report.year),))]


def _timeliness(report: PrintedReport, ctx: Context, rng: random.Random) -> list[FaultRow]:
    right = report.published
    report.published = deadlines.late(rng, ctx.agency, report.year)
    printed, expected = report.published.isoformat(), right.isoformat()
    return [FaultRow(report.file, "timeliness.published", (), (printed,), (expected,))]


def _structure_sections(report: PrintedReport, ctx: Context, rng: random.Random) -> list[FaultRow]:
    """Table 二 or 四 left out of the file (its cells kept aside for the narrative)."""
    table = rng.choice((2, 4))
    report.missing_tables = frozenset({table})
    prefix = f"t{table}."
    report.dropped = {c: v for c, v in report.cells.items() if c.startswith(prefix)}
    for c in report.dropped:
        del report.cells[c]
        del report.texts[c]
    return [FaultRow(report.file, "structure.sections", (f"t{table}",), ("",), (cat.TABLE_TITLES[table],))]


def _rules_power(report: PrintedReport, ctx: Context, rng: random.Random) -> list[FaultRow]:
    """规章 reported by a township, which has no rule-making power."""
    edit = _Edit(report)
    k = rng.randint(1, 3)
    for spec in cat.rows(report.version, 2)[0].columns:
        if spec.id != "repealed":
            edit.set(f"t2.rules.{spec.id}", k)
    return edit.rows("semantic.rules_power")


def _normative_in_force(report: PrintedReport, ctx: Context, rng: random.Random) -> list[FaultRow]:
    edit = _Edit(report)
    edit.shift("t2.normative.issued", rng.randint(1, 5))
    return edit.rows("carryover.normative_in_force")


def _blank_totals(report: PrintedReport, ctx: Context, rng: random.Random) -> list[FaultRow]:
    """A zero total printed blank or as a dash."""
    cid = rng.choice(_zero_totals(report))
    report.texts[cid] = rng.choice(("", "", "—", "-", "/"))
    report.cells[cid] = None
    return [FaultRow(report.file, "blank.totals", (cid,), (report.texts[cid],), ("0",))]


def _other_single_row(report: PrintedReport, ctx: Context, rng: random.Random) -> list[FaultRow]:
    """A 2021 table 三 printing （六）其他处理 as one row, as the 2019 template did."""
    _reprint(report, ctx.figures, report.version, True)
    cells = tuple(c for c in report.cells if c.startswith(f"t3.{cat.T3_OTHER_ALL_ROW}."))
    expected = ";".join(cat.T3_OTHER_ITEM_ROWS)
    return [FaultRow(report.file, "structure.other_single_row", cells, (cat.T3_OTHER_ALL_ROW,), (expected,))]


def _values_domain(report: PrintedReport, ctx: Context, rng: random.Random) -> list[FaultRow]:
    """A value outside its domain in a table 二 cell that no identity reads: text, or a negative count."""
    candidates = [
        c.id
        for c in cat.cells(report.version, 2)
        if c.row not in ("rules", "normative") and c.column != "change"
    ]
    cid = rng.choice(candidates)
    true = report.cells[cid]
    expected = str(true if true is not None else 0)
    kind = cat.cell_spec(cid).kind
    if kind == "count" and rng.random() < 0.3:
        value = -rng.randint(1, 20)
        text, _ = set_printed(report, cid, value)
        return [FaultRow(report.file, "values.domain", (cid,), (text,), (expected,))]
    text = rng.choice(TEXT_IN_NUMBER_CELLS).format(n=max(1, int(true or 0)))
    report.texts[cid] = text
    report.cells[cid] = None
    return [FaultRow(report.file, "values.domain", (cid,), (text,), (expected,))]


FaultMaker = Callable[[PrintedReport, Context, random.Random], list[FaultRow]]

#: One maker per rule: it changes the report in place and returns the rows of every rule tripped.
_MAKERS: dict[str, FaultMaker] = {
    "t3.row_total": _row_total,
    "t3.processed_total": _processed_total,
    "t3.balance": _balance,
    "t4.total": _t4_total,
    "carryover.requests": _carryover_requests,
    "structure.sections": _structure_sections,
    "version.matches_year": _version_matches_year,
    "values.domain": _values_domain,
    "year.plausible": _year_plausible,
    "year.in_title": _year_in_title,
    "carryover.normative_in_force": _normative_in_force,
    "narrative.totals": _narrative_totals,
    "semantic.rules_power": _rules_power,
    "timeliness.published": _timeliness,
    "blank.totals": _blank_totals,
    "structure.other_single_row": _other_single_row,
}
#: Every rule a fault can trip, hard rules first: the order faults are spread in.
MADE: tuple[str, ...] = tuple(_MAKERS)
#: Faults made only when asked for (`inject`), never spread over a province: a mistyped year moves
#: the report to another agency-year (and its correction does not supersede it), which every
#: province-level count of the generator's record would then have to follow; an undated title
#: with a late publication date would do the same.
ON_REQUEST: frozenset[str] = frozenset({"year.plausible", "year.in_title"})
#: The faults spread over a province, hard rules first.
RULES: tuple[str, ...] = tuple(r for r in MADE if r not in ON_REQUEST)
HARD_RULES = frozenset(r.id for r in FORM_RULES if r.severity == "hard")


def applicable(rule: str, report: PrintedReport, ctx: Context) -> bool:
    """Whether the fault can be injected into this report so that it trips `rule` for sure."""
    prev = ctx.previous
    if rule == "carryover.requests":
        return prev is not None and "t3.carried_out.total" in prev.cells
    if rule == "carryover.normative_in_force":
        return (
            report.version == "2021"
            and prev is not None
            and prev.version == "2021"
            and "t2.normative.in_force" in prev.cells
        )
    if rule == "semantic.rules_power":
        return ctx.agency.level == "township"
    if rule == "structure.other_single_row":
        return report.version == "2021" and not report.other_single_row
    if rule == "year.plausible":  # a 2019 table on a year before 2019 would trip no version rule
        return report.version == "2021"
    if rule == "blank.totals":
        return bool(_zero_totals(report))
    return rule in MADE


def inject(rule: str, clean: PrintedReport, ctx: Context, rng: random.Random) -> PrintedReport:
    """A copy of `clean` with one fault that trips `rule`; its fault rows name every rule tripped."""
    make = _MAKERS.get(rule)
    if make is None:
        raise ValueError(f"no fault for rule {rule!r}")
    report = clean.copy()
    report.faults.extend(make(report, ctx, rng))
    return report
