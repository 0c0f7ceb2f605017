"""Plain text as copied from a report's web page (the seed's layout).

Paragraphs are lines with a blank line after; a table cell is a tab-indented line, a cell's
further lines follow without the tab (商业\\n企业), and a blank line ends a table row.
"""

from __future__ import annotations

from synth.printed import PrintedReport
from synth.writers.blocks import blocks


def _encode(text: str, encoding: str) -> bytes:
    try:
        return text.encode(encoding)
    except UnicodeEncodeError:
        return text.encode("utf-8")


def render(report: PrintedReport) -> str:
    lines: list[str] = []
    for block in blocks(report):
        if block.kind == "table" and block.grid is not None:
            for row in block.grid.rows:
                for cell in row:
                    first, *more = cell.text.split("\n")
                    lines.append("\t" + first)
                    lines.extend(more)
                lines.append("")
            lines.append("")
        elif block.kind != "break":
            lines.extend((block.text, ""))
    return "\n".join(lines)


def write(report: PrintedReport) -> bytes:
    return _encode(render(report), report.layout.encoding)
