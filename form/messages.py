"""What a finding tells the agency, in Chinese: the message template of every check, and how values show.

The suites (`expectations/authoring.py` writes them) carry these templates in each expectation's
`meta`, and `expectations/findings.py` fills them per failing cell. Kept here, beside the rule
statements (`form/rules.py`), so that every sentence an agency reads about its report is worded
in one place. Placeholders, filled by `expectations.findings`:

- `{cell}`: the cell in the form's words (表三「…」行「…」列); `{row}`, `{column}`: its labels
- `{printed}`, `{expected}`: the value as printed and the one the rule expects (see `shown`)
- `{parts}`: the parts of a sum, 「自然人」＋「商业企业」…; `{cells_text}`, `{cells_values}`: cell lists
- `{t3[<row>]}`, `{t3col[<column>]}`, `{t4[…]}`, `{t4col[…]}`: any table 3/4 label by id
- `{agency}`, `{year}`, `{prev_year}`, `{previous}` (last year's file), `{candidates}`, `{reason}`
- per message: `{numeral}`, `{title}`, `{heading}`, `{items}`, `{deadline_kind}`
"""

from __future__ import annotations

from datetime import date

# ---- totals: t3.row_total, t3.processed_total, t3.balance, t4.total -------------------------

#: A printed total against the sum of its parts (t3.row_total, its 小计, and t4.total).
SUM_MISMATCH = "{cell}填报为{printed}，但{parts}＝{expected}，两者应相等。"
PROCESSED_MISMATCH = "{cell}填报为{printed}，但本列（一）至（六）各项办理结果之和为{expected}，两者应相等。"
BALANCE_MISMATCH = (
    "表三「{column}」列：「{t3[new]}」＋「{t3[carried_in]}」＝{printed}，但"
    "「{t3[processed_total]}」＋「{t3[carried_out]}」＝{expected}，两者应相等（勾稽关系）。"
)

# ---- carryover: carryover.requests, carryover.normative_in_force ------------------------------

CARRYOVER_MISMATCH = (
    "{cell}填报为{printed}，但上一年度年报（{previous}）「{t3[carried_out]}」同列为{expected}，两者应相等。"
)
CARRYOVER_NOT_CHECKABLE = "表三「{t3[carried_in]}」无法与上一年度年报核对：{reason}。"
NORMATIVE_MISMATCH = (
    "{cell}填报为{printed}，但按上一年度年报（{previous}）的现行有效件数加本年制发、减本年废止应为{expected}"
    "（文件也会失效，请核实）。"
)
NORMATIVE_NOT_CHECKABLE = "{cell}无法与上一年度年报核对：{reason}。"
#: Why last year's report could not be used, by pairing status (`{reason}` above).
NO_PREVIOUS_REASONS: dict[str, str] = {
    "missing": "未提供同一机关{prev_year}年度的年报",
    "ambiguous": "同一机关{prev_year}年度的年报有多份（{candidates}），无法确定以哪一份为准",
    "unknown": "年报的机关名称或年度不明，无法查找上一年度年报",
}
#: Why the in-force count cannot be carried over from a previous report printed on 2019 tables.
PREVIOUS_WITHOUT_IN_FORCE = "上一年度年报（{previous}）使用2019版表格，没有现行有效件数"

# ---- structure: structure.sections, version.matches_year, structure.other_single_row ----------

MISSING_CELLS = "年报缺少表格中的以下单元格：{cells_text}。"
MISSING_TABLE = "年报缺少表{numeral}「{title}」。"
MISSING_SECTION = "年报缺少第{numeral}部分「{heading}」。"
VERSION_MISMATCH = "{year}年度的年报应使用{expected}版表格，但所用表格为{printed}版。"
OTHER_SINGLE_ROW = "表三「{t3[other_all]}」印为一行；2021版表格应分{items}三项填报。"

# ---- values: values.domain, blank.totals -------------------------------------------------------

COUNT_DOMAIN = "{cell}填报为{printed}，应为非负整数。"
COUNT_EXPECTED = "非负整数"
AMOUNT_DOMAIN = "{cell}填报为{printed}，金额不应为负数。"
AMOUNT_EXPECTED = "非负数"
TOO_LARGE = "{cell}填报为{printed}，数值过大，超出可存储的范围。"
YEAR_IMPLAUSIBLE = "年报年度为{printed}年，应在{expected}年之间，请核对标题中的年度。"
YEAR_NOT_IN_TITLE = "标题未写明报告年度，已{how}推定为{year}年度，请在标题中写明年度。"
#: where a year not in the title was read (form.record.YearSource), as YEAR_NOT_IN_TITLE says it
YEAR_SOURCES = {"period": "按统计期限", "published": "按发布日期的上一年", "text": "按正文所述年份"}
#: A number of more digits than this is shown as its first digits and how many there are.
LONG_NUMBER_DIGITS = 24
NOT_A_NUMBER = "{cell}填报为「{printed}」，不是数字，应填写数字。"
NUMBER_EXPECTED = "数字"
BLANK_TOTAL = "{cell}未填写（按0计算），总计栏不应留空。"

# ---- narrative.totals, semantic.rules_power, timeliness.published -----------------------------

NARRATIVE_MISMATCH = "正文所述数字为{printed}件，但表格中{cells_text}为{expected}件，两者应一致。"
RULES_WITHOUT_POWER = (
    "「{agency}」不是有规章制定权的政府（省、自治区、直辖市、设区的市、自治州），但填报了规章：{cells_values}。"
)
PUBLISHED_LATE = "年报落款日期为{printed}，晚于{deadline_kind}的发布期限{expected}。"
#: Whose deadline was missed (`{deadline_kind}`): a government's own report, or a department's.
DEADLINE_KINDS: dict[str, str] = {"government": "本级政府年报", "department": "部门年报"}
UNDATED = "年报未注明发布日期，无法核对是否按时发布。"

# ---- how values show in a message -------------------------------------------------------------

#: A cell the agency left blank (it counts as 0 in the sums).
BLANK_SHOWN = "空白（按0计）"
#: `{prev_year}` when the report's own year is unknown: 上一年度 instead of 2022年度.
PREVIOUS_YEAR_UNKNOWN = "上一"


def date_shown(day: date) -> str:
    """A date as a Chinese reader writes it: 2024年3月1日."""
    return f"{day.year}年{day.month}月{day.day}日"


def number_shown(value: int | float) -> str:
    """A number as a message prints it; one of more digits than a reader can take is cut short."""
    if not isinstance(value, int) or abs(value) < 10**LONG_NUMBER_DIGITS:
        return str(value)
    if value.bit_length() >= 14_000:  # beyond what Python prints in decimal: its size only
        return f"…（约{int(value.bit_length() * 0.30103)}位）"
    digits = str(abs(value))
    return f"{'-' if value < 0 else ''}{digits[:LONG_NUMBER_DIGITS]}…（共{len(digits)}位）"


def too_large_expected(limit: int) -> str:
    """What a too-large value should have been: at most the column's limit."""
    return f"绝对值不超过{limit}"


def years_shown(years: range) -> str:
    """A range of report years as a message prints it: 2008—2027."""
    return f"{years.start}—{years.stop - 1}"


# ---- scanned reports: ocr.corrected, ocr.uncertain (expectations.ocr_repair) --------------------

# A finding's message is what OCR read, then what became of the cell.
#: {cell}, {text} (what OCR read), {conf} (its confidence, 0–1)
OCR_READ = "{cell}扫描识别为「{text}」（置信度{conf}），"
#: {cell}: a cell in which OCR read nothing (a row or cell it did not find on the page, ink over it)
OCR_NOT_READ = "{cell}在扫描件中未能识别出数值，"
#: {value}: the value used
OCR_CORRECTED = "按表格勾稽关系唯一可能的数值为{value}，已采用，请核实。"
#: {value}: the value used, decided with the previous year's report
OCR_CORRECTED_CARRYOVER = "按上一年度年报结转下年度的数和表格勾稽关系唯一可能的数值为{value}，已采用，请核实。"
#: {value}: the value read, confirmed by the previous year's report
OCR_CONFIRMED_CARRYOVER = "与上一年度年报的数核对相符，按{value}采用，请核实。"
OCR_UNCERTAIN = "无法可靠确定，年报待人工核对。"
OCR_HELD = "年报待人工核对。"
