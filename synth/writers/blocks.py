"""The printed report in reading order: title lines, the six sections, the signature and date.

All three writers walk this same block sequence; only their serialisation differs.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from form.catalogue import SECTIONS, TABLE_OF_SECTION
from form.layout import REPORT_NAME, REPORT_TITLE, REPORT_TITLE_YEAR_FIRST
from form.printing import CN_DIGITS, CN_TEN, DATE_FORMAT, INDENT
from synth.grid import Grid, tables
from synth.printed import PrintedReport


@dataclass(frozen=True)
class Block:
    #: "title", "heading", "para", "table", "break" (between the parts of a split table), "sign"
    kind: str
    text: str = ""
    grid: Grid | None = None


def _cn_number(n: int) -> str:
    """A month or day in Chinese numerals: 一, 十, 十二, 二十四."""
    if n < 10:
        return CN_DIGITS[n]
    tens, ones = divmod(n, 10)
    return ("" if tens == 1 else CN_DIGITS[tens]) + CN_TEN + (CN_DIGITS[ones] if ones else "")


def date_text(d: date, style: int) -> str:
    """The signature date: 2022年1月24日 (0), 二〇二二年一月二十四日 (1) or 2022-01-24 (2)."""
    if style == 1:
        year = "".join(CN_DIGITS[int(c)] for c in str(d.year))
        return DATE_FORMAT.format(year=year, month=_cn_number(d.month), day=_cn_number(d.day))
    if style == 2:
        return d.isoformat()
    return DATE_FORMAT.format(year=d.year, month=d.month, day=d.day)


def title_lines(report: PrintedReport) -> list[str]:
    style = report.layout.title_style
    if report.title_undated:
        return [report.agency, REPORT_NAME] if style == 1 else [report.agency + REPORT_NAME]
    if style == 2:
        return [REPORT_TITLE_YEAR_FIRST.format(year=report.printed_year, agency=report.agency)]
    title = REPORT_TITLE.format(year=report.printed_year)
    return [report.agency, title] if style == 1 else [report.agency + title]


def blocks(report: PrintedReport) -> list[Block]:
    """The report in reading order."""
    lay = report.layout
    pad = INDENT if lay.indent else ""
    grids = tables(report)
    out = [Block("title", line) for line in title_lines(report)]
    for numeral, heading, _ in SECTIONS:
        table = TABLE_OF_SECTION.get(numeral)
        # narrative sections are indented like their paragraphs; a table's heading is not
        out.append(Block("heading", pad + heading if table is None else heading))
        if table is None:
            out.extend(Block("para", pad + p) for p in report.narrative.get(numeral, []))
            continue
        for i, grid in enumerate(grids.get(table, [])):
            if i:
                out.append(Block("break"))
            out.append(Block("table", grid=grid))
    out.append(Block("sign", pad * 6 + report.agency))
    out.append(Block("sign", pad * 6 + date_text(report.published, lay.date_style)))
    return out
