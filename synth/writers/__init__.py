"""Writers: a printed report to the bytes of a docx, html or text file.

All three walk the same block sequence (`blocks`): title lines, the six sections with their
paragraphs and tables, the signature and date. Only the serialisation differs.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from form.catalogue import SECTIONS
from form.layout import REPORT_TITLE, REPORT_TITLE_YEAR_FIRST
from synth.grid import Grid, tables
from synth.printed import PrintedReport

_CN_DIGITS = "〇一二三四五六七八九"
INDENT = "\u3000\u3000"


@dataclass(frozen=True)
class Block:
    #: "title", "heading", "para", "table", "break" (between the parts of a split table), "sign"
    kind: str
    text: str = ""
    grid: Grid | None = None


def _cn_number(n: int) -> str:
    if n < 10:
        return _CN_DIGITS[n]
    tens, ones = divmod(n, 10)
    return ("" if tens == 1 else _CN_DIGITS[tens]) + "十" + (_CN_DIGITS[ones] if ones else "")


def date_text(d: date, style: int) -> str:
    if style == 1:
        year = "".join(_CN_DIGITS[int(c)] for c in str(d.year))
        return f"{year}年{_cn_number(d.month)}月{_cn_number(d.day)}日"
    if style == 2:
        return d.isoformat()
    return f"{d.year}年{d.month}月{d.day}日"


def title_lines(report: PrintedReport) -> list[str]:
    style = report.layout.title_style
    if style == 2:
        return [REPORT_TITLE_YEAR_FIRST.format(year=report.year, agency=report.agency)]
    title = REPORT_TITLE.format(year=report.year)
    return [report.agency, title] if style == 1 else [report.agency + title]


def blocks(report: PrintedReport) -> list[Block]:
    """The report in reading order."""
    lay = report.layout
    pad = INDENT if lay.indent else ""
    grids = tables(report)
    out = [Block("title", line) for line in title_lines(report)]
    for numeral, heading, _ in SECTIONS:
        out.append(Block("heading", pad + heading if numeral in "一五六" else heading))
        table = {"二": 2, "三": 3, "四": 4}.get(numeral)
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


Writer = Callable[[PrintedReport], bytes]


def writer_for(fmt: str) -> Writer:
    from synth.writers import docx_writer, html_writer, text_writer

    return {"docx": docx_writer.write, "html": html_writer.write, "txt": text_writer.write}[fmt]
