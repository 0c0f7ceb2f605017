"""The generator's own Chinese: the narrative it writes and the site page it puts a report in.

Fiction in the style of published reports, kept apart from the template's words (`form/`). The
narrative check reads only the phrases that state totals, and those come from
`form.layout.NARRATIVE_TOTALS`; everything here is the prose around them.
"""

from __future__ import annotations

# ---- narrative: section 一 (总体情况), 五 (问题及改进), 六 (其他事项) ----------------------------------

OPENINGS = (
    "本报告根据《中华人民共和国政府信息公开条例》和国务院办公厅政府信息与政务公开办公室有关要求编制。",
    "根据《中华人民共和国政府信息公开条例》规定，现公布本机关政府信息公开工作年度报告。",
)
ACTIVE = (
    "坚持以公开为常态、不公开为例外，围绕中心工作及时准确公开政府信息，主动公开各类信息{posts}条。",
    "通过政府门户网站、政务新媒体等渠道主动公开政府信息{posts}条，及时回应社会关切。",
)
MANAGEMENT = (
    "（三）政府信息管理情况。严格落实信息发布审核制度，对拟公开信息进行保密审查，动态更新政府信息公开指南和目录。",
    "（三）政府信息管理情况。健全信息发布协调机制，规范公开属性认定，开展行政规范性文件清理工作。",
)
PLATFORM = (
    "（四）平台建设情况。持续优化政府网站信息公开专栏，规范栏目设置，提升检索和下载功能。",
    "（四）平台建设情况。加强政务新媒体管理，做好信息发布的校对审核，确保信息准确及时。",
)
SUPERVISION = (
    "（五）监督保障情况。将政务公开工作纳入年度考核，组织业务培训，全年未发生责任追究情况。",
    "（五）监督保障情况。落实政务公开工作责任，定期开展检查通报，接受社会评议和监督。",
)
PROBLEMS = (
    "存在的主要问题：一是主动公开的深度和广度有待拓展；二是政策解读形式较为单一；三是工作人员业务能力需进一步提升。",
    "存在的主要问题：部分栏目更新不够及时，依申请公开答复的规范性有待加强，基层政务公开标准化建设仍需深化。",
)
REMEDIES = (
    "改进措施：加强业务培训，完善信息发布审核机制，丰富政策解读形式，推进政务公开标准化规范化。",
    "改进措施：强化栏目日常维护，规范依申请公开办理流程，加大基层政务公开工作指导力度。",
)
FEES = (
    "本年度未收取信息处理费。",
    "根据《政府信息公开信息处理费管理办法》，本年度未收取信息处理费。",
)
NOTHING_ELSE = ("无其他需要报告的事项。", "")

#: Paragraph (一) of section 一: {active} is one of ACTIVE, {issued} the normative documents issued.
ACTIVE_PARAGRAPH = "（一）主动公开情况。{active}本年度制发行政规范性文件{issued}件。"
#: Paragraph (二) of section 一, filled with the stated totals in `form.layout.NARRATIVE_TOTALS`
#: order: requests received, carried in, handled, carried out; then reviews and suits.
REQUESTS_PARAGRAPH = "（二）依申请公开情况。本年度{0}，{1}，{2}，{3}。"
PROCEEDINGS_SENTENCE = "全年发生{0}，{1}。"

# ---- the page of a government site an HTML report is served in ----------------------------------

SITE_TITLE_SUFFIX = "_政务公开"
SITE_NAV = "首页 > 政务公开 > 公开年报"
SITE_FOOTER = "主办单位：{agency}"
