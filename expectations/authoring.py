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

from expectations import frame as f
from expectations.narrative import measures
from expectations.suite_files import SUITE_PREFIX, SUITES_DIR
from form import catalogue as cat
from form.rules import RULES_BY_ID

_GX_SEVERITY = {"hard": "critical", "soft": "warning"}


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
    rows = f.T3_ROW_IDS
    cols = f.T3_COLUMN_IDS
    t4_results = [c.id for c in cat.T4_COLUMNS if c.id != "total"]
    return [
        _expectation(
            "expect_column_pairs_to_be_equal",
            {"pairs": [[_t3(r, "total"), f.applicants_sum(r)] for r in rows]},
            "t3.row_total",
            "{cell}填报为{printed}，但{parts}＝{expected}，两者应相等。",
            notes="Every table 3 row: total = natural + commercial + research + social + legal + other.",
            cells=[[_t3(r, "total"), *(_t3(r, c) for c in applicants)] for r in rows],
        ),
        _expectation(
            "expect_column_pairs_to_be_equal",
            {"pairs": [[_t3(r, "entities"), f.organisations_sum(r)] for r in rows]},
            "t3.row_total",
            "{cell}填报为{printed}，但{parts}＝{expected}，两者应相等。",
            notes="Where the 小计 column is printed: entities = commercial + research + social + legal + other.",
            cells=[[_t3(r, "entities"), *(_t3(r, c) for c in cat.T3_ORGANISATION_COLUMNS)] for r in rows],
        ),
        _expectation(
            "expect_column_pairs_to_be_equal",
            {"pairs": [[_t3("processed_total", c), f.outcomes_sum(c)] for c in cols]},
            "t3.processed_total",
            "{cell}填报为{printed}，但本列（一）至（六）各项办理结果之和为{expected}，两者应相等。",
            notes="Every column: processed_total = Σ outcome rows (granted … other, or other_all).",
            cells=[[_t3("processed_total", c), *(_t3(r, c) for r in f.T3_OUTCOME_ROWS)] for c in cols],
        ),
        _expectation(
            "expect_column_pairs_to_be_equal",
            {"pairs": [[f.intake_sum(c), f.disposal_sum(c)] for c in cols]},
            "t3.balance",
            "表三「{column}」列：「{t3[new]}」＋「{t3[carried_in]}」＝{printed}，但"
            "「{t3[processed_total]}」＋「{t3[carried_out]}」＝{expected}，两者应相等（勾稽关系）。",
            notes="Every column: new + carried_in = processed_total + carried_out.",
            cells=[
                [_t3(r, c) for r in ("new", "carried_in", "processed_total", "carried_out")] for c in cols
            ],
        ),
        _expectation(
            "expect_column_pairs_to_be_equal",
            {"pairs": [[cat.cell_id(4, r, "total"), f.results_sum(r)] for r in f.T4_ROW_IDS]},
            "t4.total",
            "{cell}填报为{printed}，但{parts}＝{expected}，两者应相等。",
            notes="Each proceeding: total = upheld + corrected + other + pending.",
            cells=[[cat.cell_id(4, r, c) for c in ("total", *t4_results)] for r in f.T4_ROW_IDS],
        ),
    ]


def _carryover() -> list[dict[str, Any]]:
    cols = f.T3_COLUMN_IDS
    reasons = {
        "missing": "未提供同一机关{prev_year}年度的年报",
        "ambiguous": "同一机关{prev_year}年度的年报有多份（{candidates}），无法确定以哪一份为准",
        "unknown": "年报的机关名称或年度不明，无法查找上一年度年报",
    }
    return [
        _expectation(
            "expect_column_pairs_to_be_equal",
            {"pairs": [[_t3("carried_in", c), f.last_year(_t3("carried_out", c))] for c in cols]},
            "carryover.requests",
            "{cell}填报为{printed}，但上一年度年报（{previous}）「{t3[carried_out]}」同列为{expected}，两者应相等。",
            notes="Every column: this year's carried_in = the previous year's carried_out.",
            cells=[[_t3("carried_in", c)] for c in cols],
        ),
        _expectation(
            "expect_column_values_to_be_in_set",
            {"column": f.PREV_STATUS, "value_set": ["paired"]},
            "carryover.requests",
            "表三「{t3[carried_in]}」无法与上一年度年报核对：{reason}。",
            notes="Without the previous year's report the carryover is not checkable (never a pass).",
            not_checkable=True,
            cells=[_t3("carried_in", "total")],
            reasons_zh=reasons,
        ),
        _expectation(
            "expect_column_pairs_to_be_equal",
            {"pairs": [["t2.normative.in_force", f.NORMATIVE_EXPECTED]]},
            "carryover.normative_in_force",
            "{cell}填报为{printed}，但按上一年度年报（{previous}）的现行有效件数加本年制发、减本年废止应为{expected}"
            "（文件也会失效，请核实）。",
            notes="normative in_force = previous in_force + issued − repealed (a warning: documents lapse).",
            cells=[["t2.normative.in_force", "t2.normative.issued", "t2.normative.repealed"]],
        ),
        _expectation(
            "expect_column_values_to_be_in_set",
            {"column": f.NORMATIVE_STATUS, "value_set": ["paired", "not_applicable"]},
            "carryover.normative_in_force",
            "{cell}无法与上一年度年报核对：{reason}。",
            notes="Without a previous 2021-version report the in-force count is not checkable.",
            not_checkable=True,
            cells=["t2.normative.in_force"],
            reasons_zh={
                **reasons,
                "previous_without_in_force": "上一年度年报（{previous}）使用2019版表格，没有现行有效件数",
            },
        ),
    ]


def _structure() -> list[dict[str, Any]]:
    return [
        _expectation(
            "expect_column_values_to_be_null",
            {"column": f.STRUCTURE_MISSING},
            "structure.sections",
            "年报缺少表格中的以下单元格：{cells_text}。",
            notes="Every table, section and cell of the detected version is present (the frame lists what is not).",
            messages_zh={
                "table": "年报缺少表{numeral}「{title}」。",
                "section": "年报缺少第{numeral}部分「{heading}」。",
            },
        ),
        _expectation(
            "expect_column_pair_values_to_be_equal",
            {
                "column_A": f.VERSION,
                "column_B": f.VERSION_EXPECTED,
                "ignore_row_if": "either_value_is_missing",
            },
            "version.matches_year",
            "{year}年度的年报应使用{expected}版表格，但所用表格为{printed}版。",
            notes="2021 tables for years ≥ 2021, 2019 tables for 2019–2020.",
            cells=[],
        ),
        _expectation(
            "expect_column_pair_values_to_be_equal",
            {
                "column_A": f.OTHER_LAYOUT,
                "column_B": f.OTHER_LAYOUT_EXPECTED,
                "ignore_row_if": "either_value_is_missing",
            },
            "structure.other_single_row",
            "表三「{t3[other_all]}」印为一行；2021版表格应分{items}三项填报。",
            notes="A 2021 table prints （六）其他处理 as its three items.",
            cells=[_t3(cat.T3_OTHER_ALL_ROW, c.id) for c in cat.t3_columns(with_entities=True)],
        ),
    ]


def _values() -> list[dict[str, Any]]:
    return [
        _expectation(
            "expect_column_list_values_to_be_between",
            {"columns": list(f.COUNT_CELLS), "min_value": 0, "whole_numbers": True},
            "values.domain",
            "{cell}填报为{printed}，应为非负整数。",
            notes="Counts are non-negative whole numbers.",
            expected_zh="非负整数",
        ),
        _expectation(
            "expect_column_list_values_to_be_between",
            {"columns": list(f.AMOUNT_CELLS), "min_value": 0},
            "values.domain",
            "{cell}填报为{printed}，金额不应为负数。",
            notes="Amounts (万元) are not negative.",
            expected_zh="非负数",
        ),
        _expectation(
            "expect_column_values_to_be_null",
            {"column": f.DOMAIN_UNREADABLE},
            "values.domain",
            "{cell}填报为「{printed}」，不是数字，应填写数字。",
            notes="No number cell holds text that is not a number (the frame lists cell and raw text).",
            expected_zh="数字",
        ),
        _expectation(
            "expect_column_values_to_be_null",
            {"column": f.BLANK_TOTALS},
            "blank.totals",
            "{cell}未填写（按0计算），总计栏不应留空。",
            notes="No total or processed_total cell is left blank (the frame lists the blank ones).",
        ),
    ]


def _narrative() -> list[dict[str, Any]]:
    ms = measures()
    return [
        _expectation(
            "expect_column_pairs_to_be_equal",
            {"pairs": [[f.stated(m.name), f.tabled(m.name)] for m in ms]},
            "narrative.totals",
            "正文所述数字为{printed}件，但表格中{cells_text}为{expected}件，两者应一致。",
            notes="Numbers the narrative states (where found) equal the table totals.",
            cells=[list(m.cells) for m in ms],
        )
    ]


def _semantic() -> list[dict[str, Any]]:
    return [
        _expectation(
            "expect_column_pair_values_a_to_be_greater_than_b",
            {
                "column_A": f.RULES_LIMIT,
                "column_B": f.RULES_SUM,
                "or_equal": True,
                "ignore_row_if": "either_value_is_missing",
            },
            "semantic.rules_power",
            "「{agency}」不是有规章制定权的政府（省、自治区、直辖市、设区的市、自治州），但填报了规章：{cells_values}。",
            notes="Agencies without rule-making power (limit 0, judged from the name) report no 规章.",
        )
    ]


def _timeliness() -> list[dict[str, Any]]:
    return [
        _expectation(
            "expect_column_pair_values_a_to_be_greater_than_b",
            {
                "column_A": f.DEADLINE,
                "column_B": f.PUBLISHED,
                "or_equal": True,
                "ignore_row_if": "either_value_is_missing",
            },
            "timeliness.published",
            "年报落款日期为{printed}，晚于{deadline_kind}的发布期限{expected}。",
            notes="Published by 31 January (departments) or 31 March (a government's own report).",
            cells=[],
            deadline_kinds_zh={"government": "本级政府年报", "department": "部门年报"},
        ),
        _expectation(
            "expect_column_values_to_not_be_null",
            {"column": f.PUBLISHED},
            "timeliness.published",
            "年报未注明发布日期，无法核对是否按时发布。",
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
    "structure": ("Sections, tables and cells present; template version; （六） as three items.", _structure),
    "values": ("Values in their domain; totals not left blank.", _values),
    "narrative": ("Totals the narrative states equal the tables.", _narrative),
    "semantic": ("Only governments with rule-making power report 规章.", _semantic),
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
