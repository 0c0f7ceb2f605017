"""Repairing OCR misreads with the template's own arithmetic.

A misread digit almost always breaks an identity (a row total, a column's processed total, the
balance, a table 四 total), and usually exactly one reading of the doubtful cells makes them all
hold again. Only cells read with low confidence may change, so a report whose printed arithmetic
is wrong is never repaired into a passing one; a doubtful cell that no identity pins down to one
value is named uncertain, never guessed, and so are the cells of an identity still broken after
the repair (printed wrong or misread with high confidence: only a person can tell).

The identities are the hard rules `t3.row_total`, `t3.processed_total`, `t3.balance` and
`t4.total` (expectations.authoring writes the same ones as GX suites), over the cells a report
has; a blank cell counts as 0, as the checks count it.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from form import catalogue as cat
from form.record import Report
from form.values import Number

_HEAD_ROWS = ("new", "carried_in", "processed_total", "carried_out")
#: Table 三's rows and columns (either layout), its outcome rows (三（一）–（六）), table 四's rows.
_T3_ROWS = tuple(r.id for r in cat.T3_ROWS_ACCEPTED)
_T3_COLUMNS = tuple(c.id for c in cat.t3_columns(with_entities=True))
_T3_OUTCOMES = tuple(r for r in _T3_ROWS if r not in _HEAD_ROWS)
_T4_ROWS = tuple(r.id for r in cat.T4_ROWS)

#: What stands for a value cell with print in which no number was read (always with confidence 0).
UNREAD = "?"
#: Below this the recogniser's confidence makes a cell doubtful: it may be repaired.
LOW_CONFIDENCE = 0.95
#: Digits the recogniser confuses with each other (PP-OCR on scans: 1/7, 3/8, 0/8/6, 5/6).
CONFUSIONS: dict[str, str] = {"1": "7", "7": "1", "3": "8", "8": "360", "0": "869", "6": "058", "5": "6", "9": "0"}
#: The most doubtful cells one repair may change together; more is a page too damaged to trust.
MAX_CHANGED = 3
#: How far the search looks before it gives up (and names the cells uncertain).
MAX_STEPS = 300_000


@dataclass(frozen=True)
class Identity:
    """Σ left = Σ right, and the rule it is."""

    rule: str
    left: tuple[str, ...]
    right: tuple[str, ...]

    @property
    def cells(self) -> tuple[str, ...]:
        return self.left + self.right


@dataclass(frozen=True)
class CellRead:
    """What OCR read in one cell: the text and the recogniser's confidence."""

    text: str
    conf: float


@dataclass(frozen=True)
class Change:
    """One cell the repair decided (`value`) or could not (`value` None, `uncertain`)."""

    cell: str
    text: str
    conf: float
    value: Number | None
    uncertain: bool = False


@dataclass
class Repair:
    values: dict[str, Number | None]
    corrected: list[Change] = field(default_factory=list)
    uncertain: list[Change] = field(default_factory=list)


def identities(cells: Iterable[str]) -> list[Identity]:
    """The template's arithmetic over the cells a report has (a row or column not printed drops out)."""
    have = set(cells)
    t3 = lambda r, c: cat.cell_id(3, r, c)  # noqa: E731
    out: list[Identity] = []
    applicants = [c.id for c in cat.T3_COLUMNS if c.id != "total"]
    for r in _T3_ROWS:
        parts = tuple(t3(r, c) for c in applicants if t3(r, c) in have)
        if t3(r, "total") in have and parts:
            out.append(Identity("t3.row_total", (t3(r, "total"),), parts))
        orgs = tuple(t3(r, c) for c in cat.T3_ORGANISATION_COLUMNS if t3(r, c) in have)
        if t3(r, "entities") in have and orgs:
            out.append(Identity("t3.row_total", (t3(r, "entities"),), orgs))
    for c in _T3_COLUMNS:
        outcomes = tuple(t3(r, c) for r in _T3_OUTCOMES if t3(r, c) in have)
        if t3("processed_total", c) in have and outcomes:
            out.append(Identity("t3.processed_total", (t3("processed_total", c),), outcomes))
        head = [t3(r, c) for r in _HEAD_ROWS]
        if all(h in have for h in head):
            out.append(Identity("t3.balance", tuple(head[:2]), tuple(head[2:])))
    t4_results = [c.id for c in cat.T4_COLUMNS if c.id != "total"]
    for r in _T4_ROWS:
        parts = tuple(cat.cell_id(4, r, c) for c in t4_results if cat.cell_id(4, r, c) in have)
        if cat.cell_id(4, r, "total") in have and parts:
            out.append(Identity("t4.total", (cat.cell_id(4, r, "total"),), parts))
    return out


def alternatives(text: str) -> list[int]:
    """The whole numbers a misread of `text` may have been: one confused digit, or a digit the
    recogniser dropped (any digit put back) or doubled (one taken out); the reading itself first."""
    if not text.isdigit():
        return []
    seen: dict[int, None] = {int(text): None}
    for i, ch in enumerate(text):
        for other in CONFUSIONS.get(ch, ""):
            seen.setdefault(int(text[:i] + other + text[i + 1 :]), None)
        if len(text) > 1:
            seen.setdefault(int(text[:i] + text[i + 1 :]), None)
    for i in range(len(text) + 1):
        for d in "0123456789":
            if i or d != "0" or not text:
                seen.setdefault(int(text[:i] + d + text[i:]), None)
    return list(seen)


def _holds(identity: Identity, values: Mapping[str, Number | None]) -> bool:
    left = sum(values.get(c) or 0 for c in identity.left)
    right = sum(values.get(c) or 0 for c in identity.right)
    return abs(left - right) < 1e-6


def repair(values: Mapping[str, Number | None], reads: Mapping[str, CellRead]) -> Repair:
    """The values with misreads repaired where the identities allow exactly one repair; every
    doubtful cell they cannot decide is uncertain (its read value is kept, never a guess)."""
    out = Repair(dict(values))
    rules = identities(values)
    covered = {c for i in rules for c in i.cells}
    doubtful = {c for c, r in reads.items() if r.conf < LOW_CONFIDENCE and c in values}
    broken = [i for i in rules if not _holds(i, values)]
    # a cell read as no number is decided even where the identities hold without it (as 0)
    unreadable = {c for c in doubtful & covered if not reads[c].text.isdigit()}
    suspects = sorted({c for i in broken for c in i.cells if c in doubtful} | unreadable)
    # a doubtful cell no identity checks cannot be confirmed: uncertain
    for c in sorted(doubtful - covered):
        out.uncertain.append(Change(c, reads[c].text, reads[c].conf, values.get(c), uncertain=True))
    if not broken and not unreadable:
        return out
    solutions = _solve(values, reads, rules, suspects)
    if len(solutions) == 1:
        for c, v in sorted(solutions[0].items()):
            if v == 0 and not reads[c].text.isdigit() and _zero_is_blank(c, values):
                v = None  # an unreadable cell worth 0 in a row that prints 0 as blank: blank
            out.values[c] = v
            out.corrected.append(Change(c, reads[c].text, reads[c].conf, v))
    else:
        # none or several: every suspect is named (the printed arithmetic may simply be wrong)
        for c in suspects:
            out.uncertain.append(Change(c, reads[c].text, reads[c].conf, values.get(c), uncertain=True))
    _hold_broken(out, rules, reads)
    return out


#: Columns that hold a row's sums: printed as numbers even where the row's parts are blank.
SUM_COLUMNS = ("total", "entities")


def _zero_is_blank(cell: str, values: Mapping[str, Number | None]) -> bool:
    """Whether the cell's row prints nothing for zero: some of its other parts blank, none 0.
    Blank and 0 count alike in every identity; this keeps the cell as the row prints it."""
    if cat.column_of(cell) in SUM_COLUMNS:
        return False  # a row's sum is printed, 0 included, however its parts print
    row = cat.row_of(cell) + "."
    parts = [v for c, v in values.items() if c.startswith(row) and c != cell and cat.column_of(c) not in SUM_COLUMNS]
    return any(v is None for v in parts) and not any(v == 0 for v in parts)


def _hold_broken(out: Repair, rules: list[Identity], reads: Mapping[str, CellRead]) -> None:
    """An identity still broken after the repair was either printed wrong or misread with high
    confidence; on a scan no one can tell which without looking, so its cells are uncertain too
    (never changed: the values read are kept, and a person decides)."""
    named = {c.cell for c in out.uncertain}
    for identity in rules:
        if _holds(identity, out.values):
            continue
        for c in identity.cells:
            if c not in named:
                read = reads.get(c)
                named.add(c)
                text, conf = (read.text, read.conf) if read else ("", 1.0)
                out.uncertain.append(Change(c, text, conf, out.values.get(c), uncertain=True))


def _solve(
    values: Mapping[str, Number | None],
    reads: Mapping[str, CellRead],
    rules: list[Identity],
    suspects: list[str],
) -> list[dict[str, int]]:
    """The smallest sets of changes to suspect cells that make every identity hold (at most two
    are looked for: two already means the cells are not decided). A cell read as no number at all
    is always in the set and takes the value the identities leave for it; when they leave it open,
    that counts as several solutions."""
    relevant = [i for i in rules if any(c in suspects for c in i.cells)]
    wild = [c for c in suspects if not reads[c].text.isdigit()]
    tame = [c for c in suspects if c not in wild]
    if len(wild) > MAX_CHANGED:
        return []
    options = {c: alternatives(reads[c].text)[1:] for c in tame}
    steps = 0
    for size in range(0, min(MAX_CHANGED - len(wild), len(tame)) + 1):
        found: list[dict[str, int]] = []
        for group in itertools.combinations(tame, size):
            for choice in itertools.product(*(options[c] for c in group)):
                steps += 1
                if steps > MAX_STEPS:
                    return [*found, {}, {}]
                trial = dict(values)
                trial.update(zip(group, choice, strict=True))
                filled = _fill(wild, trial, relevant)
                if filled is None:
                    continue
                if not filled:
                    return [{}, {}]  # the identities leave an unreadable cell open
                if all(_holds(i, trial) for i in relevant):
                    found.append({c: trial[c] for c in (*group, *wild)})  # type: ignore[misc]
                    if len(found) > 1:
                        return found
        if found:
            return found
    return []


def _fill(wild: list[str], trial: dict[str, Number | None], rules: list[Identity]) -> bool | None:
    """Give each unreadable cell the value an identity leaves for it, once the identity's other
    cells are known: True when all got one, False when the identities leave one open, None when
    a value left is no whole number ≥ 0 (this trial is no solution)."""
    todo = set(wild)
    while todo:
        progress = False
        for i in rules:
            open_cells = [c for c in i.cells if c in todo]
            if len(open_cells) != 1:
                continue
            cell = open_cells[0]
            left = sum(trial.get(c) or 0 for c in i.left if c != cell)
            right = sum(trial.get(c) or 0 for c in i.right if c != cell)
            value = right - left if cell in i.left else left - right
            if value < 0 or not float(value).is_integer():
                return None
            trial[cell] = int(value)
            todo.discard(cell)
            progress = True
        if not progress:
            return False
    return True


def carried_in_pins(values: Mapping[str, Number | None], previous: Mapping[str, Number | None]) -> dict[str, Number]:
    """This year's carried-in cells as last year's report carried them out (rule
    `carryover.requests`), for the columns both reports print; a blank counts as 0."""
    pins: dict[str, Number] = {}
    for c in _T3_COLUMNS:
        here, there = cat.cell_id(3, "carried_in", c), cat.cell_id(3, "carried_out", c)
        if here in values and there in previous:
            pins[here] = previous[there] or 0
    return pins


def settle_by_carryover(
    values: Mapping[str, Number | None], uncertain: Mapping[str, CellRead], pins: Mapping[str, Number]
) -> dict[str, Number | None] | None:
    """The uncertain cells decided with last year's carryover, or None.

    An uncertain carried-in cell takes the value last year carried out when its own read could
    have been that number (or was no number); the other doubtful cells then take the values the
    identities leave them (a misread only among its `alternatives`), and cells read with
    confidence keep their reads, as in `repair`. None unless every identity then holds: printed
    arithmetic that is wrong stays wrong, and the carryover, which may differ from the print on a
    real report, only chooses among what the page could say."""
    trial: dict[str, Number | None] = dict(values)
    wild = []
    pinned = False
    for cell, read in uncertain.items():
        pin = pins.get(cell)
        if pin is not None and (not read.text.isdigit() or pin in alternatives(read.text)):
            trial[cell] = pin
            pinned = True
        elif read.conf < LOW_CONFIDENCE or not read.text.isdigit():
            wild.append(cell)
    if not pinned:
        return None  # no carried-in cell among them: last year says nothing new
    rules = identities(values)
    if _fill(wild, trial, rules) is not True or not all(_holds(i, trial) for i in rules):
        return None
    if any(uncertain[c].text.isdigit() and trial[c] not in alternatives(uncertain[c].text) for c in wild):
        return None
    return {c: trial[c] for c in uncertain}


#: Table 二's rows whose documents in force carry over: in force = last year's + issued − repealed
_T2_IN_FORCE_ROWS = ("rules", "normative")


def confirmed_by_last_year(
    values: Mapping[str, Number | None], uncertain: Mapping[str, CellRead], previous: Mapping[str, Number | None]
) -> set[str]:
    """Doubtful table 二 reads (no identity of the page checks them) that last year's report
    confirms: the row's documents in force are last year's plus those issued less those repealed,
    with the values as read. Only ever confirms: a report may print otherwise (documents lapse),
    so a read that does not fit stays uncertain, and one read as no number is not guessed."""
    out: set[str] = set()
    for row in _T2_IN_FORCE_ROWS:
        cells = [cat.cell_id(2, row, c) for c in ("in_force", "issued", "repealed")]
        before = cat.cell_id(2, row, "in_force")
        doubtful = [c for c in cells if c in uncertain]
        if not doubtful or before not in previous or any(c not in values for c in cells):
            continue
        if not all(uncertain[c].text.isdigit() for c in doubtful):
            continue
        in_force, issued, repealed = (values[c] or 0 for c in cells)
        if in_force == (previous[before] or 0) + issued - repealed:
            out.update(doubtful)
    return out


def with_carryover(report: Report, previous: Report | None) -> Report:
    """A scan held for review, its uncertain cells settled with last year's loaded report where
    every one of them is decided (`confirmed_by_last_year`, `settle_by_carryover`): they become
    `ocr.corrected`, marked as decided by the carryover; otherwise the report unchanged."""
    if previous is None or previous.needs_review or not report.needs_review:
        return report
    if any(n.layout for n in report.ocr if n.uncertain):
        return report  # cells that may stand in the wrong place: no arithmetic settles those
    uncertain = {n.cell: CellRead(n.text, n.conf) for n in report.ocr if n.uncertain}
    confirmed = confirmed_by_last_year(report.cells, uncertain, previous.cells)
    rest = {c: r for c, r in uncertain.items() if c not in confirmed}
    settled = settle_by_carryover(report.cells, rest, carried_in_pins(report.cells, previous.cells)) if rest else {}
    if settled is None:
        return report
    settled = {**{c: report.cells[c] for c in confirmed}, **settled}
    values = dict(report.cells)
    for cell, value in settled.items():
        read = uncertain[cell]
        values[cell] = None if value == 0 and not read.text.isdigit() and _zero_is_blank(cell, values) else value
    notes = [
        n if not n.uncertain else n.model_copy(update={"value": values[n.cell], "uncertain": False, "carryover": True})
        for n in report.ocr
    ]
    problems = [p for p in report.problems if p.cell not in settled]
    return report.model_copy(update={"cells": values, "ocr": notes, "problems": problems})
