"""The shape every reader produces: paragraphs and tables in reading order.

Readers only lay out what is printed; `connectors.report_builder` turns this into cells. A table
row lists the cells that start in that row, left to right: a cell merged across columns appears
once, a cell merged down from an earlier row does not appear again, and an empty cell is "".
"""

from __future__ import annotations

from dataclasses import dataclass, field


class UnreadableFile(Exception):
    """The file cannot be read as a report; the message is the one-line reason a user sees."""


class NoTextLayer(UnreadableFile):
    """An image-only PDF: unreadable as text, readable by OCR (connectors.ocr_reader)."""


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
    #: what the reader had to repair to read the file at all (bytes of a bad encoding replaced)
    problems: list[str] = field(default_factory=list)

    @property
    def tables(self) -> list[Table]:
        return [b for b in self.blocks if isinstance(b, Table)]

    @property
    def paragraphs(self) -> list[str]:
        return [b for b in self.blocks if isinstance(b, str)]
