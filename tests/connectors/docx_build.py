"""Word files made from a laid-out Document, with real merged cells, for the docx reader's tests.

Rows shorter than the table are widened the way Word lays the template out: the label takes the
spare columns (gridSpan); a leading empty cell under a label continues that label (vMerge).
"""

from __future__ import annotations

import io

from docx import Document as new_docx

from connectors.document import Document, Table


def _add_table(word, table: Table, merge: bool) -> None:
    width = max(len(r) for r in table.rows)
    grid = word.add_table(rows=len(table.rows), cols=width)
    grid.style = "Table Grid"
    above: dict[int, object] = {}
    for r, cells in enumerate(table.rows):
        spare = width - len(cells)
        col = 0
        for i, text in enumerate(cells):
            span = 1 + (spare if i == 0 else 0)
            target = grid.cell(r, col)
            if span > 1 and merge:
                target = target.merge(grid.cell(r, col + span - 1))
            leading = all(c == "" for c in cells[: i + 1])
            if merge and leading and col in above and above[col][1] == span and r > 0:
                target = above[col][0].merge(target)
            else:
                lines = text.split("\n")
                target.text = lines[0]
                for extra in lines[1:]:
                    target.add_paragraph(extra)
            above[col] = (target, span)
            col += span


def docx_bytes(doc: Document, *, merge: bool = True, split_table_at: int | None = None) -> bytes:
    """A .docx printing the document; `split_table_at` breaks the longest table in two there."""
    word = new_docx()
    longest = max(doc.tables, key=lambda t: len(t.rows)) if doc.tables else None
    for block in doc.blocks:
        if isinstance(block, str):
            word.add_paragraph(block)
        elif block is longest and split_table_at:
            _add_table(word, Table(block.rows[:split_table_at]), merge)
            word.add_paragraph("")
            _add_table(word, Table(block.rows[split_table_at:]), merge)
        else:
            _add_table(word, block, merge)
    out = io.BytesIO()
    word.save(out)
    return out.getvalue()
