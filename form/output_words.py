"""The words of the provincial office's outputs: the 汇总 report, the workbook, the charts, the dashboard.

Kept apart from the template's words (catalogue, layout), which the 汇总 report prints too: these
are the office's own (cover paragraph, sheet names, chart titles, the metric dictionary).
"""

from __future__ import annotations

from form.registry_format import CONSOLIDATED

#: the report's file stem and the workbook's: 汇总_<region>_<year>
FILE_STEM = CONSOLIDATED + "_{region}_{year}"
#: the 汇总 report's cover paragraph (section 一's first)
COVER = (
    "本报告汇总{name}{year}年度各行政机关政府信息公开工作年度报告。应报送年报的机关{expected}家，"
    "已报送{submitted}家，报送率{completeness}；纳入汇总的年报{reports}份（已通过校验并入库），"
    "逾期发布{late}家，未报送{missing}家。表二至表四各项数据为纳入汇总年报的合计数，留空的单元格按0计。"
)
COVER_FOLDED = "部分机关按2019年版格式将（六）其他处理填报为一行，本表（六）其他处理合并为一行填报。"
COVER_TOTALS = "全{area}共收到政府信息公开申请{new}件，上年结转政府信息公开申请{carried_in}件，办结政府信息公开申请{processed}件，结转下年度继续办理{carried_out}件。"
AREA = {"province": "省", "city": "市", "county": "县"}
FIVE = "存在的主要问题及改进情况以各机关年度报告为准，省政务公开办将督促未报送、逾期和数据不一致的机关整改。"
SIX = "本汇总由省政务公开办根据各机关报送的年度报告自动生成。"
PERCENT = "{value:.1%}"
NONE = "—"

# ---- the workbook -------------------------------------------------------------------------------
SHEET_TABLE = {2: "表二 主动公开", 3: "表三 依申请公开", 4: "表四 复议诉讼"}
SHEET_SCOPE = {"city": "各市", "county": "各县（市、区）", "level": "各层级"}
SHEET_STATUS = "报送情况"
SHEET_FINDINGS = "校验问题"
SHEET_CONSOLIDATED = "汇总年报与所辖机关比对"
SHEET_QUALITY = "数据质量"
#: column headers
ITEM, MEASURE, VALUE, REPORTS, BLANKS = "项目", "指标", "数值", "年报份数", "留空份数"
CELL_ID = "单元格"
REGION_CODE, REGION_NAME = "区划代码", "名称"
AGENCY_ID, AGENCY_NAME, LEVEL = "机关编号", "机关名称", "层级"
EXPECTED, STATUS, SUBMISSIONS, PUBLISHED, DEADLINE, LATE = "应报送", "状态", "报送份数", "发布日期", "截止日期", "是否逾期"
HARD, SOFT, NOT_CHECKABLE, BLANK_TOTALS, QUARANTINED = "必须更正", "提示", "无法核对的结转", "留空的总计", "无法读取的文件"
COMPLETENESS, PASS_RATE, SUBMITTED, LOADED, REJECTED, MISSING = "报送率", "通过率", "已报送", "已入库", "未通过", "未报送"
CONSOLIDATED_FIGURE, MEMBERS_SUM, MEMBERS = "汇总年报数", "所辖机关合计", "所辖机关年报份数"
YES, NO = "是", "否"
STATUS_WORDS = {"loaded": "已入库", "rejected": "未通过", "missing": "未报送"}

# ---- the charts ---------------------------------------------------------------------------------
CHART_TRENDS = "{name}政府信息公开申请及办理情况（{first}—{last}年）"
CHART_REFUSALS = "{name}{year}年不予公开理由"
CHART_PROCEEDINGS = "{name}{year}年行政复议、行政诉讼结果"
CHART_STATUS = "{name}{year}年各地年报报送情况及通过率"
YEAR_AXIS, COUNT_AXIS, AGENCIES_AXIS = "年度", "件数", "机关数"
TREND_SERIES = {
    "t3.new.total": "本年新收申请",
    "t3.processed_total.total": "办结申请",
    "t3.granted.total": "予以公开",
    "t3.partial.total": "部分公开",
    "t3.carried_out.total": "结转下年度",
}
#: chart file names (ASCII: they travel through mail and web servers)
CHART_FILES = {
    "trends": "chart_trends.png",
    "refusals": "chart_refusals.png",
    "proceedings": "chart_proceedings.png",
    "status": "chart_status.png",
}
NO_CJK_FONT = "charts not drawn: no CJK font found (install fonts-noto-cjk, e.g. apt-get install fonts-noto-cjk)"

# ---- the dashboard ------------------------------------------------------------------------------
DASHBOARD_FILE = "dashboard.html"
#: every word the dashboard's page shows (the page itself holds none)
DASHBOARD = {
    "title": "{name}{year}年度政府信息公开工作年度报告数据看板",
    "computed": "汇总时间",
    "reports": "纳入汇总年报",
    "expected": "应报送机关",
    "submitted": "已报送",
    "completeness": "报送率",
    "pass_rate": "通过率",
    "late": "逾期",
    "missing": "未报送",
    "rejected": "未通过",
    "quarantined": "无法读取的文件",
    "hard": "必须更正的问题",
    "not_checkable": "无法核对的结转",
    "blank_totals": "留空的总计",
    "grid_completeness": "各地报送率",
    "grid_quality": "各地数据质量（通过率）",
    "grid_note": "颜色越深越好；格内为报送率或通过率，悬停可见明细。",
    "agencies": "机关报送与校验情况",
    "agencies_note": "点击表头排序。",
    "trends": "历年趋势",
    "consolidated": "汇总年报与所辖机关比对不一致的单元格",
    "consolidated_none": "无不一致。",
    "dictionary": "指标说明",
    "metric": "指标",
    "definition": "定义",
    "cells": "汇总的单元格",
    "agency_id": "机关编号",
    "agency_name": "机关名称",
    "level": "层级",
    "region": "区划",
    "status": "状态",
    "published": "发布日期",
    "deadline": "截止日期",
    "soft": "提示",
    "cell": "单元格",
    "printed": "汇总年报数",
    "members_sum": "所辖机关合计",
    "members": "所辖机关年报份数",
    "yes": "是",
    "no": "否",
}
#: the metric dictionary: every figure the dashboard shows, what it is, and the cells it sums
METRICS = (
    ("completeness", "报送率", "已报送的应报送机关数 ÷ 应报送机关数（机关名录中当年有效的机关）", ""),
    ("pass_rate", "通过率", "最新一份年报通过全部必须更正规则而入库的机关数 ÷ 已报送机关数", ""),
    ("late", "逾期", "年报发布日期晚于截止日期的机关数（部门1月31日，本级政府3月31日）", ""),
    ("missing", "未报送", "应报送但没有任何可识别年报的机关数", ""),
    ("hard", "必须更正的问题", "各机关最新一份年报上必须更正的问题数之和", ""),
    ("not_checkable", "无法核对的结转", "因缺少上一年度年报而无法核对的结转规则数（从不视为通过）", ""),
    ("blank_totals", "留空的总计", "总计栏留空的单元格数（按0计入汇总）", ""),
    ("quarantined", "无法读取的文件", "无法读取或无法识别机关、年度的文件数（任何年度）", ""),
    ("reports", "纳入汇总年报", "已入库、非汇总年报的份数；本级汇总年报不计入，以免重复", ""),
)
