"""The rules a report must satisfy (FORMAT.md), as data: id, severity and what each says.

Checks live in `expectations/` as GX suites that carry these ids; the warehouse's rule dimension,
`xxgk rules`, `xxgk check` and the quality reports read the wording from here, so a rule (and a
severity) is named the same everywhere.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Severity = Literal["hard", "soft"]
#: A finding's severity: a rule's, or "not_checkable" when the rule could not be evaluated.
FindingSeverity = Literal["hard", "soft", "not_checkable"]


#: What each finding severity is called wherever an agency or an operator reads it.
SEVERITY_ZH: dict[str, str] = {"hard": "必须更正", "soft": "提示", "not_checkable": "无法核对"}
#: The order findings are listed in: what must be corrected first.
SEVERITY_ORDER: dict[str, int] = {"hard": 0, "soft": 1, "not_checkable": 2}
SEVERITY_EN: dict[str, str] = {"hard": "must be corrected", "soft": "advice", "not_checkable": "not checkable"}


@dataclass(frozen=True)
class RuleSpec:
    id: str
    severity: Severity
    statement_zh: str
    statement_en: str


RULES: tuple[RuleSpec, ...] = (
    RuleSpec("t3.row_total", "hard", "表三各行「总计」应等于六类申请人之和", "each table 3 row: total = sum of the six applicant columns"),
    RuleSpec("t3.processed_total", "hard", "表三各列「（七）总计」应等于（一）至（六）各项之和", "each column: processed_total = sum of the outcome rows"),
    RuleSpec("t3.balance", "hard", "表三各列：本年新收＋上年结转＝办理结果总计＋结转下年度继续办理", "each column: new + carried_in = processed_total + carried_out"),
    RuleSpec("t4.total", "hard", "表四各项「总计」应等于结果维持、结果纠正、其他结果、尚未审结之和", "each proceeding: total = upheld + corrected + other + pending"),
    RuleSpec("carryover.requests", "hard", "表三「上年结转」应等于上一年度年报的「结转下年度继续办理」", "this year's carried_in = previous year's carried_out, every column"),
    RuleSpec("structure.sections", "hard", "年报应包含六个部分和三张表格，且表格各单元格齐全", "all six sections and three tables, every cell of the version present"),
    RuleSpec("version.matches_year", "hard", "2021年及以后的年报应使用2021版格式，2019、2020年度使用2019版格式", "2021 tables for years ≥ 2021, 2019 tables for 2019–2020"),
    RuleSpec("values.domain", "hard", "单元格应为非负整数（收费、采购金额可为小数，增减可为负数），且不超出可存储的范围", "every value in its domain and small enough for its warehouse column"),
    RuleSpec("year.plausible", "hard", "年报年度应在2008年（《条例》施行）至次年之间", "the report year is between 2008 and the year after the current one"),
    RuleSpec("year.in_title", "soft", "年报标题应写明报告年度", "the title names the report year (else it is taken from the statistics period, the year before the publication date, or the text)"),
    RuleSpec("carryover.normative_in_force", "soft", "现行有效行政规范性文件件数应等于上年现行有效件数加本年制发减本年废止", "normative in_force = previous in_force + issued − repealed"),
    RuleSpec("narrative.totals", "soft", "正文所述数字应与表格一致", "numbers stated in the narrative equal the table totals"),
    RuleSpec("semantic.rules_power", "soft", "仅有规章制定权的政府可报告规章数", "only governments with rule-making power report t2.rules.* > 0"),
    RuleSpec("timeliness.published", "soft", "年报应在规定期限内发布（部门1月31日前，本级政府3月31日前）", "published by 31 January (departments) or 31 March (governments)"),
    RuleSpec("blank.totals", "soft", "总计栏不应留空", "a total or processed_total cell was left blank"),
    RuleSpec("structure.other_single_row", "soft", "2021版表三（六）其他处理应分三项填报", "a 2021 report printed （六）其他处理 as one row"),
)

#: Findings the warehouse records while placing a report in the agency registry. FORMAT.md does
#: not know them: they are not defects of the printed form, but agencies are told of them too.
PLACEMENT_RULES: tuple[RuleSpec, ...] = (
    RuleSpec(
        "registry.unregistered",
        "soft",
        "报送机关不在机关名录中，已暂列为未登记机关，待管理员对应",
        "the printed agency matches no registry agency; loaded under a provisional agency until an operator maps it",
    ),
    RuleSpec(
        "registry.agency_ambiguous",
        "soft",
        "报送机关名称对应名录中多个机关，已暂列为未登记机关，待管理员确认",
        "the printed agency name matches several registry agencies; loaded under a provisional agency, never guessed",
    ),
    RuleSpec(
        "registry.name_other_year",
        "soft",
        "报送机关使用的名称不是其当年在名录中的名称",
        "the agency printed a name the registry gives it for another year",
    ),
    RuleSpec(
        "registry.township_by_place",
        "soft",
        "报送机关名称不在名录中，已按乡镇（街道）地名对应到名录中的机关，请核实",
        "the printed township name is not in the registry; placed on the registry's township of the same place (撤乡设镇, 撤镇设街道), to be confirmed",
    ),
    RuleSpec(
        "warehouse.unplaceable",
        "hard",
        "无法识别年报的机关名称或年度，不能入库",
        "the report names no agency or no year, so its figures cannot be placed",
    ),
)
#: Rules the provincial aggregation checks across reports (FORMAT.md lists them with the soft
#: rules): no single report can break them, so no GX suite holds them.
AGGREGATION_RULES: tuple[RuleSpec, ...] = (
    RuleSpec(
        "aggregate.consolidated_matches_members",
        "soft",
        "本级（全市、全县）汇总年报的各单元格应等于所辖各机关已入库年报之和",
        "a government's consolidated report equals, cell by cell, the sum of its members' loaded reports",
    ),
)
#: What the OCR reader (connectors.ocr_reader) tells of a scanned report: a cell it read with low
#: confidence and repaired by the template's arithmetic, or one it could not decide (the report is
#: then held for review, state `review`, and nothing of it is loaded).
OCR_RULES: tuple[RuleSpec, ...] = (
    RuleSpec(
        "ocr.corrected",
        "soft",
        "扫描件识别不清的单元格已按表格勾稽关系唯一确定，请核实",
        "a cell of a scan read with low confidence was repaired: the only value the template's identities allow",
    ),
    RuleSpec(
        "ocr.uncertain",
        "hard",
        "扫描件单元格无法可靠识别，年报待人工核对后入库",
        "a cell of a scan could not be read reliably nor decided by the identities; the report is held for review",
    ),
)
#: Every rule by where it is checked: the template's (GX suites), the warehouse's placing and the
#: aggregation's comparison of consolidated reports with their members.
RULE_SOURCES: dict[str, tuple[RuleSpec, ...]] = {
    "form": RULES,
    "warehouse": PLACEMENT_RULES,
    "aggregation": AGGREGATION_RULES,
    "ocr": OCR_RULES,
}
RULES_BY_ID: dict[str, RuleSpec] = {r.id: r for rules in RULE_SOURCES.values() for r in rules}
#: Which template versions a rule applies to (all when absent).
RULE_VERSIONS: dict[str, tuple[str, ...]] = {"structure.other_single_row": ("2021",)}
