"""The validation frame's column names: what the suites compare and the findings read back.

`expectations.frame` builds columns under these names, `expectations.authoring` writes suites
that compare them, and `expectations.findings` reads failing rows by them; each only needs the
names, so they live apart from the building. A cell's column is its cell id (CELLS); a derived
column's name says what it holds (sum.t3.new.applicants, prev.t3.carried_out.total, …).
"""

from __future__ import annotations

from form import catalogue as cat

KEY = "report_key"
SOURCE = "source"
AGENCY = "agency"
YEAR = "year"
VERSION = "version"
PUBLISHED = "published"
DEADLINE = "deadline"
VERSION_EXPECTED = "version.expected"
OTHER_LAYOUT = "t3.other_layout"
OTHER_LAYOUT_EXPECTED = "t3.other_layout.expected"
RULES_SUM = "sum.t2.rules"
RULES_LIMIT = "limit.t2.rules"
BLANK_TOTALS = "blank.totals"
STRUCTURE_MISSING = "structure.missing"
DOMAIN_UNREADABLE = "domain.unreadable"
YEAR_IMPLAUSIBLE = "year.implausible"
YEAR_SOURCE = "year.source"
PREV_SOURCE = "prev.source"
PREV_STATUS = "prev.status"
PREV_CANDIDATES = "prev.candidates"
NORMATIVE_STATUS = "prev.normative.status"
NORMATIVE_EXPECTED = "calc.t2.normative.in_force"

#: Every cell id either version or layout can carry, table by table in catalogue order.
CELLS: tuple[str, ...] = tuple(sorted(cat.all_cells(), key=lambda c: cat.cell_spec(c).table))
T3_COLUMN_IDS: tuple[str, ...] = tuple(c.id for c in cat.t3_columns(with_entities=True))
_HEAD_ROWS = ("new", "carried_in", "processed_total", "carried_out")
#: Table 3's outcome rows (三（一）–（六）), items and the single （六） row alike.
T3_OUTCOME_ROWS: tuple[str, ...] = tuple(r.id for r in cat.T3_ROWS_ACCEPTED if r.id not in _HEAD_ROWS)
T3_ROW_IDS: tuple[str, ...] = tuple(r.id for r in cat.T3_ROWS_ACCEPTED)
T4_ROW_IDS: tuple[str, ...] = tuple(r.id for r in cat.T4_ROWS)
#: Cells that hold a sum (blank.totals), in CELLS order: every table 3/4 `total`, 小计 (`entities`), `processed_total`.
TOTAL_CELLS: tuple[str, ...] = tuple(
    c
    for c in CELLS
    if c.startswith(("t3.", "t4."))
    and (c.endswith((".total", ".entities")) or c.startswith("t3.processed_total."))
)
RULES_CELLS: tuple[str, ...] = tuple(c for c in CELLS if c.startswith("t2.rules."))
COUNT_CELLS: tuple[str, ...] = tuple(c for c, s in cat.all_cells().items() if s.kind == "count")
AMOUNT_CELLS: tuple[str, ...] = tuple(c for c, s in cat.all_cells().items() if s.kind == "amount")
CHANGE_CELLS: tuple[str, ...] = tuple(c for c, s in cat.all_cells().items() if s.kind == "change")


# ---- derived columns, by what they hold -------------------------------------------------------


def applicants_sum(row: str) -> str:
    """natural + commercial + research + social + legal + other of a table 3 row."""
    return f"sum.t3.{row}.applicants"


def organisations_sum(row: str) -> str:
    """commercial + research + social + legal + other of a table 3 row (its 小计)."""
    return f"sum.t3.{row}.organisations"


def outcomes_sum(column: str) -> str:
    """Σ of table 3's outcome rows (三（一）–（六）) in one column."""
    return f"sum.t3.outcomes.{column}"


def intake_sum(column: str) -> str:
    """new + carried_in in one column."""
    return f"sum.t3.intake.{column}"


def disposal_sum(column: str) -> str:
    """processed_total + carried_out in one column."""
    return f"sum.t3.disposal.{column}"


def results_sum(row: str) -> str:
    """upheld + corrected + other + pending of a table 4 row."""
    return f"sum.t4.{row}.results"


def last_year(cell: str) -> str:
    """The previous-year report's value of a cell."""
    return f"prev.{cell}"


def stated(measure: str) -> str:
    """The number the narrative states for a measure (narrative.measures)."""
    return f"narrative.{measure}"


def tabled(measure: str) -> str:
    """The table total a narrative measure must equal."""
    return f"narrative.{measure}.table"
