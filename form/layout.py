"""Printed words of the template that are not row or column labels: headings, notes, headers.

The catalogue owns the labels cells are matched by; this module owns the rest of what a printed
form carries (table 二's block headings, table 三's header notes, table 四's group headers) and the
phrases a narrative uses to state the tables' totals. Writers compose a form from both; nothing
here is needed to read a cell.
"""

from __future__ import annotations

import re

from form.catalogue import T4_ROWS, Version

#: Table 二 prints its rows in blocks, each under a 第二十条 heading and a 信息内容 header row.
T2_CONTENT_HEADER = "信息内容"
T2_BLOCKS: dict[Version, tuple[tuple[str, tuple[str, ...]], ...]] = {
    "2021": (
        ("第二十条第（一）项", ("rules", "normative")),
        ("第二十条第（五）项", ("licensing",)),
        ("第二十条第（六）项", ("penalty", "coercion")),
        ("第二十条第（八）项", ("fees",)),
    ),
    "2019": (
        ("第二十条第（一）项", ("rules", "normative")),
        ("第二十条第（五）项", ("licensing", "other_services")),
        ("第二十条第（六）项", ("penalty", "coercion")),
        ("第二十条第（八）项", ("fees",)),
        ("第二十条第（九）项", ("procurement",)),
    ),
}

#: Table 三's header: the balance note over the label columns and the applicant group header.
T3_BALANCE_NOTE = "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"
T3_APPLICANT_HEADER = "申请人情况"
#: A reminder some agencies print after the 上年结转 label; formatted with the previous year.
T3_CARRIED_IN_NOTE = "（须与{year}年度年报结转数一致）"


def t4_headers() -> tuple[str, tuple[tuple[str, str], ...]]:
    """Table 四's group header for suits and, per proceeding, its (group, sub-header) words.

    The catalogue's suit labels read 行政诉讼·<kind>; the printed table puts 行政诉讼 over both kinds.
    """
    out: list[tuple[str, str]] = []
    suit_group = ""
    for spec in T4_ROWS:
        group, _, sub = spec.label.partition("·")
        if sub:
            suit_group = group
            out.append((group, sub))
        else:
            out.append((spec.label, ""))
    return suit_group, tuple(out)


#: The unit a narrative counts requests and cases in: 65件.
NARRATIVE_UNIT = "件"
#: How a narrative states a total: (cell ids summed, phrase before the number, unit after it).
#: The first phrase of each entry is the usual one; the others are variants agencies write.
NARRATIVE_TOTALS: tuple[tuple[tuple[str, ...], tuple[str, ...], str], ...] = (
    (("t3.new.total",), ("共收到政府信息公开申请", "共收到依申请公开件", "新收政府信息公开申请"), NARRATIVE_UNIT),
    (("t3.carried_in.total",), ("上年结转政府信息公开申请", "上年结转申请"), NARRATIVE_UNIT),
    (("t3.processed_total.total",), ("办结政府信息公开申请", "本年度办理完毕"), NARRATIVE_UNIT),
    (("t3.carried_out.total",), ("结转下年度继续办理", "结转下一年度办理"), NARRATIVE_UNIT),
    (("t4.review.total",), ("政府信息公开行政复议", "因政府信息公开申请引起的行政复议"), NARRATIVE_UNIT),
    (
        ("t4.suit_direct.total", "t4.suit_after_review.total"),
        ("政府信息公开行政诉讼", "因政府信息公开申请引起的行政诉讼"),
        NARRATIVE_UNIT,
    ),
)
#: Words a narrative may put between a total's phrase and its number (共收到…申请共计65件, …为65件).
NARRATIVE_CONNECTIVES: tuple[str, ...] = ("共计", "合计", "总计", "共", "计", "为", "达", "数量为", "数为")

#: The report's title after the agency's name (and, in the year-first style, the name inside it).
#: what the template calls the report
REPORT_NAME = "政府信息公开工作年度报告"
REPORT_TITLE = "{year}年度" + REPORT_NAME
REPORT_TITLE_YEAR_FIRST = "{year}年{agency}" + REPORT_NAME

#: Phrases real reports use for the same totals beyond those of NARRATIVE_TOTALS, by measure
#: (read by the narrative check; the generator writes only the phrases above).
NARRATIVE_VARIANTS: dict[str, tuple[str, ...]] = {
    "received": (
        "受理政府信息公开申请",
        "收到政府信息公开申请",
        "新收政府信息公开申请",
        "收到依申请公开件",
        "受理依申请公开件",
        "政府信息公开申请共计",
        "政府信息公开申请合计",
        "政府信息公开申请共",
    ),
    "carried_in": ("上年度结转申请", "上年度结转政府信息公开申请", "上年结转"),
    "processed": ("办结政府信息公开申请", "办结依申请公开", "办结依申请公开件"),
    "carried_out": ("结转下年度继续办理", "结转至下年度办理", "结转下年度办理"),
    "reviews": ("政府信息公开行政复议", "行政复议案件"),
    "suits": ("政府信息公开行政诉讼", "行政诉讼案件"),
}

#: A line that is only a decorated page number (- 4 -, 第4页, 第4页 共6页, 4/6): readers drop it.
#: A bare number is not one, since text copied one cell per line is made of bare numbers.
PAGE_FOOTER = re.compile(
    r"^\s*(?:[-—－–]\s*[0-9０-９]{1,4}\s*[-—－–]"
    r"|第\s*[0-9０-９]{1,4}\s*页(?:\s*[，,]?\s*共\s*[0-9０-９]{1,4}\s*页)?"
    r"|[0-9０-９]{1,4}\s*[/／]\s*[0-9０-９]{1,4})\s*$"
)
