"""The shape every reader produces: paragraphs and tables in reading order.

Readers only lay out what is printed; `connectors.report_builder` turns this into cells. A table
row lists the cells that start in that row, left to right: a cell merged across columns appears
once, a cell merged down from an earlier row does not appear again, and an empty cell is "".
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

#: a line that is only a decorated page number (- 4 -, 第4页, 第4页 共6页, 4/6); a bare number
#: is not one, since text copied one cell per line is made of bare numbers
PAGE_FOOTER = re.compile(
    r"^\s*(?:[-—－–]\s*[0-9０-９]{1,4}\s*[-—－–]"
    r"|第\s*[0-9０-９]{1,4}\s*页(?:\s*[，,]?\s*共\s*[0-9０-９]{1,4}\s*页)?"
    r"|[0-9０-９]{1,4}\s*[/／]\s*[0-9０-９]{1,4})\s*$"
)


class UnreadableFile(Exception):
    """The file cannot be read as a report; the message is the one-line reason a user sees."""


@dataclass
class Table:
    rows: list[list[str]] = field(default_factory=list)


Block = str | Table


@dataclass
class Document:
    blocks: list[Block] = field(default_factory=list)
    #: a title the container carries apart from the body (an HTML <title>)
    title: str | None = None
    #: paragraphs are visual lines broken at the page margin (PDF text), not whole paragraphs
    wrapped: bool = False

    @property
    def tables(self) -> list[Table]:
        return [b for b in self.blocks if isinstance(b, Table)]

    @property
    def paragraphs(self) -> list[str]:
        return [b for b in self.blocks if isinstance(b, str)]
