"""Text copied from a report's web page: cells one per line, tab-indented; rows end at a blank line.

A line without the leading tab that follows a cell line continues that cell (header words broken
over lines, 商业\\n企业). A line with tabs between words is a whole row of cells, and so is a
Markdown-style pipe row (| a | b |). Any other line is a paragraph and ends the open table.
"""

from __future__ import annotations

import re

from connectors.document import Block, Document, Table
from connectors.limits import DEFAULT_LIMITS, Limits, check_count, check_size, check_time
from connectors.text_decoding import decode

_PIPE_ROW = re.compile(r"^\s*\|.*\|\s*$")
_PIPE_RULE = re.compile(r"^\s*\|[\s:|-]+\|\s*$")
#: what a blank line may hold: spaces, ideographic spaces, no-break spaces (not tabs: a tab is a cell)
_BLANK_CHARS = " \u3000\u00a0"


class _Layout:
    """The blocks read so far, and the table and row still open."""

    def __init__(self) -> None:
        self.blocks: list[Block] = []
        self.table: Table | None = None
        self.row: list[str] | None = None

    def add(self, line: str) -> None:
        """Place one line: the first kind it is, in the order a web page's text can mean it."""
        if line[:1] == "\t":  # (never blank: a tab is no blank character)
            cell = line.lstrip("\t")
            if "\t" in cell:
                self._cells(cell.split("\t"))
                return
            # one cell more of the open row, as most lines are (`_cells` of one part)
            if self.table is None:
                self.table = Table()
            if self.row is None:
                self.row = []
            self.row.append(cell.strip())
        elif not line.strip(_BLANK_CHARS):
            self._blank(line)
        elif _PIPE_ROW.match(line):
            self._whole_row(line.strip().strip("|").split("|"), rule=bool(_PIPE_RULE.match(line)))
        elif "\t" in line.strip():
            self._whole_row(line.strip().split("\t"))
        elif self.row is not None:
            # a cell's text broken over lines (an open row is never empty)
            self.row[-1] = f"{self.row[-1]}\n{line.strip()}"
        else:
            self.end_table()
            self.blocks.append(line.strip())

    def _open_table(self) -> Table:
        if self.table is None:
            self.table = Table()
        return self.table

    def _blank(self, line: str) -> None:
        """A blank line ends the row; a tab on it inside a table is a cell holding nothing."""
        if "\t" in line and self.table is not None:
            self._row().append("")
        else:
            self.end_row()

    def _row(self) -> list[str]:
        if self.row is None:
            self.row = []
        return self.row

    def _cells(self, parts: list[str]) -> None:
        """Tab-indented cells: one more cell of the open row, or a whole row when tabs separate several."""
        table = self._open_table()
        if len(parts) > 1 and self.row is None:
            table.rows.append([p.strip() for p in parts])
        else:
            self._row().extend(p.strip() for p in parts)

    def _whole_row(self, parts: list[str], rule: bool = False) -> None:
        """A row printed on one line; a pipe table's |---| rule opens the table but adds no row."""
        table = self._open_table()
        self.end_row()
        if not rule:
            table.rows.append([p.strip() for p in parts])

    def end_row(self) -> None:
        if self.row is not None and self.table is not None:
            self.table.rows.append(self.row)
        self.row = None

    def end_table(self) -> None:
        """Close the open table, keeping it only if a row holds some text."""
        self.end_row()
        if self.table is not None:
            self.table.rows = [r for r in self.table.rows if any(c.strip() for c in r)]
            if self.table.rows:
                self.blocks.append(self.table)
        self.table = None


def document_from_text(text: str, limits: Limits = DEFAULT_LIMITS) -> Document:
    """The paragraphs and tables of a text copied from a web page, in reading order."""
    layout = _Layout()
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    check_count(len(lines), limits.elements, "elements", "lines")
    for n, line in enumerate(lines):
        if not n % 4096:
            check_time()
        layout.add(line)
    layout.end_table()
    return Document(blocks=layout.blocks)


def read_text(data: bytes, limits: Limits = DEFAULT_LIMITS) -> Document:
    """The document a plain-text file holds (UTF-8 or GB18030), read within `limits`."""
    check_size(len(data), limits.markup_bytes, "markup_bytes", "the text")
    decoded = decode(data)
    doc = document_from_text(decoded.text, limits)
    if decoded.problem:
        doc.problems.append(decoded.problem)
    return doc
