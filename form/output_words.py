"""The words of the provincial office's outputs: the 汇总 report, the workbook, the charts, the dashboard.

Kept apart from the template's words (catalogue, layout), which the 汇总 report prints too: these
are the office's own (cover paragraph, sheet names, chart titles, the metric dictionary).
"""

from __future__ import annotations

from form.registry_format import CONSOLIDATED

#: the report's file stem and the workbook's: 汇总_<region>_<year>
FILE_STEM = CONSOLIDATED + "_{region}_{year}"
#: what a region's consolidated report is signed by (its name with this ending), per scope type
SIGNATORY = {"province": "{name}", "city": "{name}", "county": "{name}"}
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
