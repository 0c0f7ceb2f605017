"""An article page as a government site serves it: the report inside the site's markup.

Tables carry rowspan/colspan as the layout merges them; a cell's lines are paragraphs or
<br/>-separated; some sites pad numbers with &nbsp; or nest the article in a layout table.
"""

from __future__ import annotations

from html import escape

from synth import wording
from synth.grid import Grid
from synth.printed import PrintedReport
from synth.writers.blocks import blocks, title_lines

_CHARSETS = {"utf-8": "utf-8", "gb18030": "gbk"}


def _cell(text: str, breaks: str, pad: bool) -> str:
    lines = [escape(line) for line in text.split("\n")]
    if pad and lines != [""]:
        lines = ["&nbsp;" + line + "&nbsp;&nbsp;" for line in lines]
    if breaks == "br":
        return "<br/>".join(lines)
    return "".join(f"<p>{line}</p>" for line in lines)


def _table(grid: Grid, report: PrintedReport) -> str:
    lay = report.layout
    out = ['<table border="1" cellspacing="0" cellpadding="0" style="border-collapse:collapse"><tbody>']
    for r, row in enumerate(grid.rows):
        out.append("<tr>")
        for cell in row:
            attrs = ""
            if cell.rowspan > 1:
                attrs += f' rowspan="{cell.rowspan}"'
            if cell.colspan > 1:
                attrs += f' colspan="{cell.colspan}"'
            pad = lay.padding and r > 0 and (cell.text[:1].isdigit() or cell.text == "")
            out.append(f"<td{attrs}>{_cell(cell.text, lay.line_breaks, pad)}</td>")
        out.append("</tr>")
    out.append("</tbody></table>")
    return "".join(out)


def render(report: PrintedReport) -> str:
    lay = report.layout
    body: list[str] = []
    titles = []
    for block in blocks(report):
        if block.kind == "title":
            titles.append(escape(block.text))
        elif block.kind == "table" and block.grid is not None:
            body.append(_table(block.grid, report))
        elif block.kind == "break":
            body.append("<p>&nbsp;</p>")
        elif block.kind == "heading":
            body.append(f"<p><strong>{escape(block.text)}</strong></p>")
        elif block.kind == "sign":
            body.append(f'<p style="text-align:right">{escape(block.text)}</p>')
        else:
            body.append(f"<p>{escape(block.text)}</p>")
    charset = _CHARSETS[lay.encoding]
    head = (
        f'<!DOCTYPE html>\n<html><head><meta http-equiv="Content-Type" content="text/html; charset={charset}"/>'
        f"<title>{escape(''.join(title_lines(report)))}{wording.SITE_TITLE_SUFFIX}</title></head>\n<body>\n"
    )
    article = (
        f'<div class="article"><h2 class="title">{"<br/>".join(titles)}</h2>\n'
        f'<div class="content">\n' + "\n".join(body) + "\n</div></div>"
    )
    if lay.wrapped:
        article = (
            f'<table class="frame" width="100%"><tr><td class="nav">{escape(wording.SITE_NAV)}</td></tr>'
            f'<tr><td class="main">{article}</td></tr>'
            f'<tr><td class="foot">{escape(wording.SITE_FOOTER.format(agency=report.agency))}</td></tr></table>'
        )
    return head + article + "\n</body></html>\n"


def write(report: PrintedReport) -> bytes:
    text = render(report)
    if report.layout.encoding != "utf-8":
        try:
            return text.encode(_CHARSETS[report.layout.encoding])
        except UnicodeEncodeError:
            text = text.replace(f"charset={_CHARSETS[report.layout.encoding]}", "charset=utf-8")
    return text.encode("utf-8")
