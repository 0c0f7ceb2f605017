"""What the warehouse tells an agency when it places a report: the messages it stores, in Chinese.

Placing a report (its printed agency and year matched to the registry) and writing its figures can
add findings the template's checks do not make: the placing rules (`form.rules.PLACEMENT_RULES`)
and `values.domain` for a value no fact column can hold. Their message is stored in
`fact_finding.message`, beside the rule id, and mailed to the agency, so it is Chinese and worded
here, once. So is the reason stored on a rejected submission.
"""

from __future__ import annotations

from collections.abc import Iterable

from form.catalogue import describe_cell
from form.messages import number_shown
from form.rules import SEVERITY_ZH

#: Several agency ids, codes or rule counts in one message.
LIST_SEPARATOR = "、"

UNREGISTERED = "「{printed}」不在{year}年度机关名录中，已暂列为未登记机关，待管理员对应"
AMBIGUOUS = "「{printed}」对应机关名录中的多个机关（{candidates}），已暂列为未登记机关，待管理员确认"
NAME_OTHER_YEAR = "「{printed}」是机关名录中机关{agency_id}在其他年度使用的名称，不是其{year}年度的名称"
TOWNSHIP_BY_PLACE = "「{printed}」不在{year}年度机关名录中，已按地名对应为乡镇（街道）机关{agency_id}，如有误请告知管理员"
NO_AGENCY = "无法识别年报的报送机关名称，不能入库"
NO_YEAR = "无法识别年报的年度，不能入库"
NOT_A_CELL = "「{cell}」不是年报表格中的单元格"
NOT_WHOLE = "{where}应为整数，填报为{printed}"
NEGATIVE = "{where}为件数，不应为负数，填报为{printed}"
TOO_LARGE = "{where}填报为{printed}，数值过大，超出可存储的范围"
#: The reason a rejected submission is stored with: the hard rules it failed, by id.
HARD_SUMMARY = "未通过" + SEVERITY_ZH["hard"] + "的检查：{rules}"
RULE_COUNT = "{rule} ×{count}"
#: The reason a scan held for review is stored with: the cells OCR could not decide, by their
#: printed labels (the first few; every one is also its own `ocr.uncertain` finding).
REVIEW_SUMMARY = "扫描件中{n}个单元格无法可靠识别：{cells}"
REVIEW_MORE = "等{n}个单元格"
REVIEW_CELLS_SHOWN = 3
#: Cells within one reason are separated by this (a cell's own label holds 、).
CELL_SEPARATOR = "；"


def unregistered(printed: str, year: int) -> str:
    """The printed name matches no registry agency of the year."""
    return UNREGISTERED.format(printed=printed, year=year)


def ambiguous(printed: str, candidates: Iterable[str]) -> str:
    """The printed name matches several registry agencies."""
    return AMBIGUOUS.format(printed=printed, candidates=LIST_SEPARATOR.join(candidates))


def name_other_year(printed: str, agency_id: str, year: int) -> str:
    """The printed name is one the registry gives the agency in another year."""
    return NAME_OTHER_YEAR.format(printed=printed, agency_id=agency_id, year=year)


def township_by_place(printed: str, agency_id: str, year: int) -> str:
    """The printed township name was placed on the registry's township of the same place."""
    return TOWNSHIP_BY_PLACE.format(printed=printed, agency_id=agency_id, year=year)


def unplaceable(agency: str | None, year: int | None) -> str:
    """Why a report without an agency name or a year cannot be placed."""
    return NO_AGENCY if not agency else NO_YEAR


def not_a_cell(cell: str) -> str:
    """A value under a cell id the catalogue does not have."""
    return NOT_A_CELL.format(cell=cell)


def not_whole(cell: str, printed: object) -> str:
    """A count or change holding a fraction."""
    return NOT_WHOLE.format(where=describe_cell(cell), printed=printed)


def negative(cell: str, printed: object) -> str:
    """A count below zero."""
    return NEGATIVE.format(where=describe_cell(cell), printed=printed)


def too_large(cell: str, printed: int | float) -> str:
    """A value too large for its fact column."""
    return TOO_LARGE.format(where=describe_cell(cell), printed=number_shown(printed))


def hard_summary(counts: dict[str, int]) -> str:
    """The failed hard rules (id → findings) as the reason of a rejected submission."""
    rules = (RULE_COUNT.format(rule=r, count=n) if n > 1 else r for r, n in counts.items())
    return HARD_SUMMARY.format(rules=LIST_SEPARATOR.join(rules))


def review_summary(cells: list[str]) -> str:
    """The reason a scan is held for review: how many cells OCR could not decide, the first few
    named as the form prints them (table, row, column)."""
    shown = CELL_SEPARATOR.join(describe_cell(c) for c in cells[:REVIEW_CELLS_SHOWN])
    if len(cells) > REVIEW_CELLS_SHOWN:
        shown += REVIEW_MORE.format(n=len(cells))
    return REVIEW_SUMMARY.format(n=len(cells), cells=shown)
