"""Writes the suite files in `expectations/suites/` from the form catalogue (a development tool).

The suites are the rules: GX expectation suites in GX's own JSON, one file per rule family,
reviewed like code. They list every identity cell by cell (52 row totals, 8 columns …), so they
are written from the catalogue rather than by hand, and `tests/expectations/test_suites.py`
fails when a file differs from what this module writes. Change a rule here, run

    .venv/bin/python -m expectations.authoring

and review the diff of the JSON. Every expectation's `meta` carries the rule id, the severity
(hard → critical, soft → warning), the Chinese message template and the cells it names;
`outcome: not_checkable` marks the expectations whose failures mean "could not be checked".
"""

from __future__ import annotations

import json
from typing import Any

from expectations import columns as col
from expectations.narrative import measures
from expectations.suite_files import SUITE_PREFIX, SUITES_DIR
from form import catalogue as cat
from form import messages as msg
from form.rules import RULES_BY_ID
from form.values import AMOUNT_PRECISION, MAX_AMOUNT, MAX_WHOLE

_GX_SEVERITY = {"hard": "critical", "soft": "warning"}
#: Template words the English notes name, as the form prints them.
_SUBTOTAL = cat.T3_ENTITIES.label
_RULES = cat.T2_ROWS["2021"][0].label
_OTHER_ALL = next(r.label for r in cat.T3_ROWS_ACCEPTED if r.id == cat.T3_OTHER_ALL_ROW)


def _expectation(
    type_: str,
    kwargs: dict[str, Any],
    rule: str,
    message_zh: str,
    *,
    notes: str,
    not_checkable: bool = False,
    **meta: Any,
) -> dict[str, Any]:
    severity = _GX_SEVERITY[RULES_BY_ID[rule].severity]
    out_meta: dict[str, Any] = {"rule": rule, "severity": severity}
    if not_checkable:
        out_meta["outcome"] = "not_checkable"
    out_meta["message_zh"] = message_zh
    out_meta.update(meta)
    return {
        "type": type_,
        "kwargs": kwargs,
        "meta": out_meta,
        "notes": notes,
        "severity": "info" if not_checkable else severity,
    }


def _t3(row: str, col: str) -> str:
    return cat.cell_id(3, row, col)


def _totals() -> list[dict[str, Any]]:
    applicants = [c.id for c in cat.T3_COLUMNS if c.id != "total"]
    rows = col.T3_ROW_IDS
    cols = col.T3_COLUMN_IDS
    t4_results = [c.id for c in cat.T4_COLUMNS if c.id != "total"]
    return [
        _expectation(
            "expect_column_pairs_to_be_equal",
            {"pairs": [[_t3(r, "total"), col.applicants_sum(r)] for r in rows]},
            "t3.row_total",
            msg.SUM_MISMATCH,
            notes="Every table 3 row: total = natural + commercial + research + social + legal + other.",
            cells=[[_t3(r, "total"), *(_t3(r, c) for c in applicants)] for r in rows],
        ),
        _expectation(
            "expect_column_pairs_to_be_equal",
            {"pairs": [[_t3(r, "entities"), col.organisations_sum(r)] for r in rows]},
            "t3.row_total",
            msg.SUM_MISMATCH,
            notes=f"Where the {_SUBTOTAL} column is printed: entities = commercial + research + social + legal + other.",
            cells=[[_t3(r, "entities"), *(_t3(r, c) for c in cat.T3_ORGANISATION_COLUMNS)] for r in rows],
        ),
        _expectation(
            "expect_column_pairs_to_be_equal",
            {"pairs": [[_t3("processed_total", c), col.outcomes_sum(c)] for c in cols]},
            "t3.processed_total",
            msg.PROCESSED_MISMATCH,
            notes="Every column: processed_total = Σ outcome rows (granted … other, or other_all).",
            cells=[[_t3("processed_total", c), *(_t3(r, c) for r in col.T3_OUTCOME_ROWS)] for c in cols],
        ),
        _expectation(
            "expect_column_pairs_to_be_equal",
            {"pairs": [[col.intake_sum(c), col.disposal_sum(c)] for c in cols]},
            "t3.balance",
            msg.BALANCE_MISMATCH,
            notes="Every column: new + carried_in = processed_total + carried_out.",
            cells=[
                [_t3(r, c) for r in ("new", "carried_in", "processed_total", "carried_out")] for c in cols
            ],
        ),
        _expectation(
            "expect_column_pairs_to_be_equal",
            {"pairs": [[cat.cell_id(4, r, "total"), col.results_sum(r)] for r in col.T4_ROW_IDS]},
            "t4.total",
            msg.SUM_MISMATCH,
            notes="Each proceeding: total = upheld + corrected + other + pending.",
            cells=[[cat.cell_id(4, r, c) for c in ("total", *t4_results)] for r in col.T4_ROW_IDS],
        ),
    ]


def _carryover() -> list[dict[str, Any]]:
    cols = col.T3_COLUMN_IDS
    reasons = dict(msg.NO_PREVIOUS_REASONS)
    return [
        _expectation(
            "expect_column_pairs_to_be_equal",
            {"pairs": [[_t3("carried_in", c), col.last_year(_t3("carried_out", c))] for c in cols]},
            "carryover.requests",
            msg.CARRYOVER_MISMATCH,
            notes="Every column: this year's carried_in = the previous year's carried_out.",
            cells=[[_t3("carried_in", c)] for c in cols],
        ),
        _expectation(
            "expect_column_values_to_be_in_set",
            {"column": col.PREV_STATUS, "value_set": ["paired"]},
            "carryover.requests",
            msg.CARRYOVER_NOT_CHECKABLE,
            notes="Without the previous year's report the carryover is not checkable (never a pass).",
            not_checkable=True,
            cells=[_t3("carried_in", "total")],
            reasons_zh=reasons,
        ),
        _expectation(
            "expect_column_pairs_to_be_equal",
            {"pairs": [["t2.normative.in_force", col.NORMATIVE_EXPECTED]]},
            "carryover.normative_in_force",
            msg.NORMATIVE_MISMATCH,
            notes="normative in_force = previous in_force + issued − repealed (a warning: documents lapse).",
            cells=[["t2.normative.in_force", "t2.normative.issued", "t2.normative.repealed"]],
        ),
        _expectation(
            "expect_column_values_to_be_in_set",
            {"column": col.NORMATIVE_STATUS, "value_set": ["paired", "not_applicable"]},
            "carryover.normative_in_force",
            msg.NORMATIVE_NOT_CHECKABLE,
            notes="Without a previous 2021-version report the in-force count is not checkable.",
            not_checkable=True,
            cells=["t2.normative.in_force"],
            reasons_zh={
                **reasons,
                "previous_without_in_force": msg.PREVIOUS_WITHOUT_IN_FORCE,
            },
        ),
    ]


def _structure() -> list[dict[str, Any]]:
    return [
        _expectation(
            "expect_column_values_to_be_null",
            {"column": col.STRUCTURE_MISSING},
            "structure.sections",
            msg.MISSING_CELLS,
            notes="Every table, section and cell of the detected version is present (the frame lists what is not).",
            messages_zh={
                "table": msg.MISSING_TABLE,
                "section": msg.MISSING_SECTION,
            },
        ),
        _expectation(
            "expect_column_pair_values_to_be_equal",
            {
                "column_A": col.VERSION,
                "column_B": col.VERSION_EXPECTED,
                "ignore_row_if": "either_value_is_missing",
            },
            "version.matches_year",
            msg.VERSION_MISMATCH,
            notes="2021 tables for years ≥ 2021, 2019 tables for 2019–2020.",
            cells=[],
        ),
        _expectation(
            "expect_column_pair_values_to_be_equal",
            {
                "column_A": col.OTHER_LAYOUT,
                "column_B": col.OTHER_LAYOUT_EXPECTED,
                "ignore_row_if": "either_value_is_missing",
            },
            "structure.other_single_row",
            msg.OTHER_SINGLE_ROW,
            notes=f"A 2021 table prints {_OTHER_ALL} as its three items.",
            cells=[_t3(cat.T3_OTHER_ALL_ROW, c.id) for c in cat.t3_columns(with_entities=True)],
        ),
    ]


def _values() -> list[dict[str, Any]]:
    return [
        _expectation(
            "expect_column_list_values_to_be_between",
            {"columns": list(col.COUNT_CELLS), "min_value": 0, "whole_numbers": True},
            "values.domain",
            msg.COUNT_DOMAIN,
            notes="Counts are non-negative whole numbers.",
            expected_zh=msg.COUNT_EXPECTED,
        ),
        _expectation(
            "expect_column_list_values_to_be_between",
            {"columns": list(col.AMOUNT_CELLS), "min_value": 0},
            "values.domain",
            msg.AMOUNT_DOMAIN,
            notes=f"Amounts ({cat.UNIT_WAN_YUAN}) are not negative.",
            expected_zh=msg.AMOUNT_EXPECTED,
        ),
        _expectation(
            "expect_column_list_values_to_be_between",
            {"columns": [*col.COUNT_CELLS, *col.CHANGE_CELLS], "min_value": -MAX_WHOLE, "max_value": MAX_WHOLE},
            "values.domain",
            msg.TOO_LARGE,
            notes="Counts and changes fit the warehouse's BIGINT.",
            expected_zh=msg.too_large_expected(MAX_WHOLE),
        ),
        _expectation(
            "expect_column_list_values_to_be_between",
            {"columns": list(col.AMOUNT_CELLS), "max_value": MAX_AMOUNT},
            "values.domain",
            msg.TOO_LARGE,
            notes=f"Amounts fit the warehouse's NUMERIC{AMOUNT_PRECISION}.",
            expected_zh=msg.too_large_expected(MAX_AMOUNT),
        ),
        _expectation(
            "expect_column_values_to_be_null",
            {"column": col.YEAR_IMPLAUSIBLE},
            "year.plausible",
            msg.YEAR_IMPLAUSIBLE,
            notes="The report year lies between 2008 (the regulations took effect) and the year after the current one.",
            cells=[],
        ),
        _expectation(
            "expect_column_values_to_be_null",
            {"column": col.YEAR_SOURCE},
            "year.in_title",
            msg.YEAR_NOT_IN_TITLE,
            notes="The title names the report year; a year read elsewhere (statistics period, the year before "
            "the publication date, the text) is said to the agency.",
            cells=[],
        ),
        _expectation(
            "expect_column_values_to_be_null",
            {"column": col.DOMAIN_UNREADABLE},
            "values.domain",
            msg.NOT_A_NUMBER,
            notes="No number cell holds text that is not a number (the frame lists cell and raw text).",
            expected_zh=msg.NUMBER_EXPECTED,
        ),
        _expectation(
            "expect_column_values_to_be_null",
            {"column": col.BLANK_TOTALS},
            "blank.totals",
            msg.BLANK_TOTAL,
            notes="No total or processed_total cell is left blank (the frame lists the blank ones).",
        ),
    ]


def _narrative() -> list[dict[str, Any]]:
    ms = measures()
    return [
        _expectation(
            "expect_column_pairs_to_be_equal",
            {"pairs": [[col.stated(m.name), col.tabled(m.name)] for m in ms]},
            "narrative.totals",
            msg.NARRATIVE_MISMATCH,
            notes="Numbers the narrative states (where found) equal the table totals.",
            cells=[list(m.cells) for m in ms],
        )
    ]


def _semantic() -> list[dict[str, Any]]:
    return [
        _expectation(
            "expect_column_pair_values_a_to_be_greater_than_b",
            {
                "column_A": col.RULES_LIMIT,
                "column_B": col.RULES_SUM,
                "or_equal": True,
                "ignore_row_if": "either_value_is_missing",
            },
            "semantic.rules_power",
            msg.RULES_WITHOUT_POWER,
            notes=f"Agencies without rule-making power (limit 0, judged from the name) report no {_RULES}.",
        )
    ]


def _timeliness() -> list[dict[str, Any]]:
    return [
        _expectation(
            "expect_column_pair_values_a_to_be_greater_than_b",
            {
                "column_A": col.DEADLINE,
                "column_B": col.PUBLISHED,
                "or_equal": True,
                "ignore_row_if": "either_value_is_missing",
            },
            "timeliness.published",
            msg.PUBLISHED_LATE,
            notes="Published by 31 January (departments) or 31 March (a government's own report).",
            cells=[],
            deadline_kinds_zh=dict(msg.DEADLINE_KINDS),
        ),
        _expectation(
            "expect_column_values_to_not_be_null",
            {"column": col.PUBLISHED},
            "timeliness.published",
            msg.UNDATED,
            notes="Without a publication date timeliness is not checkable.",
            not_checkable=True,
            cells=[],
        ),
    ]


FAMILIES: dict[str, tuple[str, Any]] = {
    "totals": (
        "Table 3 and 4 identities: row totals, processed totals, the balance, table 4 totals.",
        _totals,
    ),
    "carryover": ("Cross-year rules against the same agency's previous-year report.", _carryover),
    "structure": (
        f"Sections, tables and cells present; template version; {cat.T3_OTHER_GROUP_NUMBER} as three items.",
        _structure,
    ),
    "values": ("Values in their domain; totals not left blank.", _values),
    "narrative": ("Totals the narrative states equal the tables.", _narrative),
    "semantic": (f"Only governments with rule-making power report {_RULES}.", _semantic),
    "timeliness": ("Published by the deadline for the agency's level.", _timeliness),
}


def suites() -> dict[str, dict[str, Any]]:
    """Family name → the suite as GX stores it (name, meta, expectations)."""
    out = {}
    for family, (about, build) in FAMILIES.items():
        expectations = build()
        rules = list(dict.fromkeys(e["meta"]["rule"] for e in expectations))
        out[family] = {
            "name": SUITE_PREFIX + family,
            "meta": {"about": about, "rules": rules},
            "expectations": expectations,
        }
    return out


def _dump(value: Any, indent: int) -> str:
    """JSON with lists of plain values on one line, so a pair or a cell list reads as one line."""
    pad, inner = " " * indent, " " * (indent + 2)
    if isinstance(value, dict) and value:
        items = [
            f"{inner}{json.dumps(k, ensure_ascii=False)}: {_dump(v, indent + 2)}" for k, v in value.items()
        ]
        return "{\n" + ",\n".join(items) + f"\n{pad}}}"
    if isinstance(value, list) and any(isinstance(v, dict | list) for v in value):
        return "[\n" + ",\n".join(f"{inner}{_dump(v, indent + 2)}" for v in value) + f"\n{pad}]"
    return json.dumps(value, ensure_ascii=False)


def render(suite: dict[str, Any]) -> str:
    """The suite file's text."""
    return _dump(suite, 0) + "\n"


def main() -> None:
    SUITES_DIR.mkdir(exist_ok=True)
    for family, suite in suites().items():
        path = SUITES_DIR / f"{family}.json"
        path.write_text(render(suite), encoding="utf-8")
        print(f"{path}: {len(suite['expectations'])} expectations")


if __name__ == "__main__":
    main()
