"""FORMAT.md's hard and soft rules in plain Python, written from the spec, used only by tests.

Deliberately independent of the project's catalogue: cell ids are spelled here from FORMAT.md's
tables, so a mistake in the catalogue or the generator cannot hide itself. `check` returns the
set of rule ids a report fails; a rule that cannot be checked (no previous year, a table left
out) is not a failure.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date

from form.layout import NARRATIVE_TOTALS

APPLICANTS = ("natural", "commercial", "research", "social", "legal", "other")
ORGS = ("commercial", "research", "social", "legal", "other")
T3_HEAD = ("new", "carried_in")
T3_OUTCOMES_2021 = (
    "granted",
    "partial",
    "denied_secret",
    "denied_law",
    "denied_safety",
    "denied_third_party",
    "denied_internal",
    "denied_process",
    "denied_enforcement",
    "denied_query",
    "unable_not_held",
    "unable_create",
    "unable_unclear",
    "rejected_petition",
    "rejected_duplicate",
    "rejected_publication",
    "rejected_excessive",
    "rejected_confirm",
)
OTHER_ITEMS = ("other_no_correction", "other_no_fee", "other_other")
T4_ROWS = ("review", "suit_direct", "suit_after_review")
T4_PARTS = ("upheld", "corrected", "other", "pending")
T2_CELLS = {
    "2021": tuple(f"t2.{r}.{c}" for r in ("rules", "normative") for c in ("issued", "repealed", "in_force"))
    + ("t2.licensing.decisions", "t2.penalty.decisions", "t2.coercion.decisions", "t2.fees.amount"),
    "2019": tuple(f"t2.{r}.{c}" for r in ("rules", "normative") for c in ("made", "published", "total_public"))
    + tuple(
        f"t2.{r}.{c}"
        for r in ("licensing", "other_services", "penalty", "coercion")
        for c in ("prev_items", "change", "decisions")
    )
    + ("t2.fees.prev_items", "t2.fees.change", "t2.procurement.projects", "t2.procurement.amount"),
}
AMOUNTS = ("t2.fees.amount", "t2.procurement.amount")
BLANK_MARKS = {"", "-", "—", "－", "/", "无", "--", "——"}
SECTIONS = ("一", "二", "三", "四", "五", "六")


@dataclass
class Submission:
    """What the rules read: the printed cells, their raw text, the narrative and who reported."""

    year: int
    version: str
    published: date
    level: str
    cells: dict[str, int | float | None]
    raw: dict[str, str] = field(default_factory=dict)
    narrative_one: str = ""
    sections: tuple[str, ...] = SECTIONS
    #: the title prints the year (else it is read from the date: year.in_title)
    year_in_title: bool = True


def _v(cells: dict, cid: str) -> float:
    value = cells.get(cid)
    return value if isinstance(value, int | float) else 0


def _t3_rows(cells: dict) -> list[str]:
    rows = {c.split(".")[1] for c in cells if c.startswith("t3.")}
    order = (*T3_HEAD, *T3_OUTCOMES_2021, *OTHER_ITEMS, "other_all", "processed_total", "carried_out")
    return [r for r in order if r in rows]


def _t3_columns(cells: dict) -> list[str]:
    cols = [*APPLICANTS, "total"]
    if any(c.endswith(".entities") for c in cells):
        cols.append("entities")
    return cols


def _row_total(cells: dict) -> bool:
    for row in _t3_rows(cells):
        if _v(cells, f"t3.{row}.total") != sum(_v(cells, f"t3.{row}.{c}") for c in APPLICANTS):
            return False
        if f"t3.{row}.entities" in cells and _v(cells, f"t3.{row}.entities") != sum(
            _v(cells, f"t3.{row}.{c}") for c in ORGS
        ):
            return False
    return True


def _outcomes(cells: dict) -> list[str]:
    rows = _t3_rows(cells)
    return [r for r in rows if r in T3_OUTCOMES_2021 or r in OTHER_ITEMS or r == "other_all"]


def _processed_total(cells: dict) -> bool:
    outcomes = _outcomes(cells)
    return all(
        _v(cells, f"t3.processed_total.{c}") == sum(_v(cells, f"t3.{r}.{c}") for r in outcomes)
        for c in _t3_columns(cells)
    )


def _balance(cells: dict) -> bool:
    return all(
        _v(cells, f"t3.new.{c}") + _v(cells, f"t3.carried_in.{c}")
        == _v(cells, f"t3.processed_total.{c}") + _v(cells, f"t3.carried_out.{c}")
        for c in _t3_columns(cells)
    )


def _t4_total(cells: dict) -> bool:
    return all(
        _v(cells, f"t4.{r}.total") == sum(_v(cells, f"t4.{r}.{p}") for p in T4_PARTS)
        for r in T4_ROWS
        if f"t4.{r}.total" in cells
    )


def _carryover(cells: dict, previous: dict | None) -> bool:
    if previous is None:
        return True
    return all(
        _v(cells, f"t3.carried_in.{c}") == _v(previous, f"t3.carried_out.{c}")
        for c in _t3_columns(cells)
        if f"t3.carried_in.{c}" in cells and f"t3.carried_out.{c}" in previous
    )


def expected_cells(version: str, cells: dict) -> set[str]:
    out = set(T2_CELLS[version])
    rows = [*T3_HEAD, *T3_OUTCOMES_2021]
    if version == "2019" or any(c.startswith("t3.other_all.") for c in cells):
        rows.append("other_all")
    else:
        rows.extend(OTHER_ITEMS)
    rows += ["processed_total", "carried_out"]
    out |= {f"t3.{r}.{c}" for r in rows for c in _t3_columns(cells)}
    out |= {f"t4.{r}.{p}" for r in T4_ROWS for p in (*T4_PARTS, "total")}
    return out


def _domain(s: Submission) -> bool:
    for cid, value in s.cells.items():
        raw = s.raw.get(cid)
        if value is None:
            if raw is not None and raw.strip() not in BLANK_MARKS:
                return False  # something printed that is neither blank nor a number
            continue
        if ".change" in cid:
            if value != int(value):
                return False
        elif cid in AMOUNTS:
            if value < 0:
                return False
        elif value < 0 or value != int(value):
            return False
    return True


def _normative(s: Submission, previous: Submission | None) -> bool:
    if previous is None or s.version != "2021" or previous.version != "2021":
        return True
    if "t2.normative.in_force" not in s.cells or "t2.normative.in_force" not in previous.cells:
        return True
    return _v(s.cells, "t2.normative.in_force") == _v(previous.cells, "t2.normative.in_force") + _v(
        s.cells, "t2.normative.issued"
    ) - _v(s.cells, "t2.normative.repealed")


def _narrative(s: Submission) -> bool:
    text = unicodedata.normalize("NFKC", s.narrative_one)
    for cells, phrases, unit in NARRATIVE_TOTALS:
        if not all(c in s.cells for c in cells):
            continue
        table = sum(_v(s.cells, c) for c in cells)
        for phrase in phrases:
            for m in re.finditer(re.escape(phrase) + r"(\d+)" + re.escape(unit), text):
                if int(m.group(1)) != table:
                    return False
    return True


def _deadline(level: str, year: int) -> date:
    return date(year + 1, 3, 31) if level in ("province", "city", "county") else date(year + 1, 1, 31)


def check(s: Submission, previous: Submission | None = None) -> set[str]:
    """The rule ids the submission fails (previous: the same agency's report for year - 1)."""
    c = s.cells
    failed: set[str] = set()
    if not _row_total(c):
        failed.add("t3.row_total")
    if not _processed_total(c):
        failed.add("t3.processed_total")
    if not _balance(c):
        failed.add("t3.balance")
    if not _t4_total(c):
        failed.add("t4.total")
    if not _carryover(c, previous.cells if previous else None):
        failed.add("carryover.requests")
    if not expected_cells(s.version, c) <= set(c) or set(SECTIONS) - set(s.sections):
        failed.add("structure.sections")
    expected_version = "2021" if s.year >= 2021 else "2019" if s.year >= 2019 else None
    if expected_version and s.version != expected_version:
        failed.add("version.matches_year")
    if not 2008 <= s.year <= date.today().year + 1:
        failed.add("year.plausible")
    if not s.year_in_title:
        failed.add("year.in_title")
    if not _domain(s):
        failed.add("values.domain")
    if not _normative(s, previous):
        failed.add("carryover.normative_in_force")
    if not _narrative(s):
        failed.add("narrative.totals")
    if s.level not in ("province", "city") and any(_v(c, k) > 0 for k in c if k.startswith("t2.rules.")):
        failed.add("semantic.rules_power")
    if s.published > _deadline(s.level, s.year):
        failed.add("timeliness.published")
    if any(
        v is None
        and (k.endswith(".total") or k.endswith(".entities") or k.startswith("t3.processed_total."))
        for k, v in c.items()
        if k.startswith(("t3.", "t4."))
    ):
        failed.add("blank.totals")
    if s.version == "2021" and any(k.startswith("t3.other_all.") for k in c):
        failed.add("structure.other_single_row")
    return failed
