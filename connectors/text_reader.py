"""Text copied from a report's web page: cells one per line, tab-indented; rows end at a blank line.

A line without the leading tab that follows a cell line continues that cell (header words broken
over lines, 商业\\n企业). A line with tabs between words is a whole row of cells.
"""

from __future__ import annotations

import re

from connectors.document import Document, Table
from connectors.text_decoding import decode_text

_PIPE_ROW = re.compile(r"^\s*\|.*\|\s*$")
_PIPE_RULE = re.compile(r"^\s*\|[\s:|-]+\|\s*$")


def document_from_text(text: str) -> Document:
    blocks: list = []
    table: Table | None = None
    row: list[str] | None = None

    def end_row() -> None:
        nonlocal row
        if row is not None and table is not None:
            table.rows.append(row)
        row = None

    def end_table() -> None:
        nonlocal table
        end_row()
        if table is not None:
            table.rows = [r for r in table.rows if any(c.strip() for c in r)]
            if table.rows:
                blocks.append(table)
        table = None

    for raw_line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        line = raw_line.rstrip("\n")
        if not line.strip(" \u3000\u00a0"):
            if "\t" in line and table is not None:
                # a cell holding nothing
                row = row if row is not None else []
                row.append("")
                continue
            end_row()
            continue
        if line.startswith("\t"):
            body = line.lstrip("\t")
            parts = body.split("\t")
            if table is None:
                table = Table()
            if len(parts) > 1 and row is None:
                table.rows.append([p.strip() for p in parts])
                continue
            row = row if row is not None else []
            row.extend(p.strip() for p in parts)
            continue
        if _PIPE_ROW.match(line):
            # a Markdown-style table row: | a | b | c |
            if table is None:
                table = Table()
            end_row()
            if not _PIPE_RULE.match(line):
                table.rows.append([p.strip() for p in line.strip().strip("|").split("|")])
            continue
        if "\t" in line.strip():
            # a whole row on one line, cells separated by tabs
            if table is None:
                table = Table()
            end_row()
            table.rows.append([p.strip() for p in line.strip().split("\t")])
            continue
        if row is not None and table is not None:
            # a cell's text broken over lines
            row[-1] = (row[-1] + "\n" + line.strip()) if row else line.strip()
            continue
        end_table()
        blocks.append(line.strip().strip("\u3000").strip())
    end_table()
    return Document(blocks=blocks)


def read_text(data: bytes) -> Document:
    return document_from_text(decode_text(data))
