"""The words xxgk uses when it tells an agency how its report fared (the self-check, `xxgk check`).

Kept apart from the template's own words (catalogue, layout) and the rules' statements (rules):
these belong to the tool's answer, not to the printed form.
"""

from __future__ import annotations

from form.registry_format import CONSOLIDATED

PASSED = "通过"
FAILED = "未通过"
#: a report with nothing to say about, and a file that could not be read
NO_FINDINGS = "{title}：未发现问题"
UNREADABLE = "{path}: 无法读取（{reason}）"
#: the columns of a report's findings table: severity, rule, explanation
FINDINGS_COLUMNS = ("级别", "规则", "说明")
#: a report as the self-check names it
REPORT_HEADING = "{path} — {agency} {year}年度"
CHECK_SUMMARY = "共检查 {checked} 份年报：{failed} 份有错误，{unreadable} 份无法读取。"
#: the province's consolidated figures of a year
AGGREGATION_TITLE = "{year} " + CONSOLIDATED
