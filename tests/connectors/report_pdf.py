"""A generated report as a small text-layer PDF: what the fuzz mutates beside the real sample.

The real sample's pages place every glyph on its own (about 9,500 content-stream objects a page),
so a mutated page costs pdfminer most of a second; this writer prints each line and each table
cell as one string and rules each cell as one rectangle, so the same reader code (pdfium's text
layer, pdfplumber's ruled tables, split tables merged across pages) runs on a few thousand objects.
The font is a CID font with a ToUnicode map and no embedded program: readers take the text from
the map, as they do for the subset fonts of real reports.
"""

from __future__ import annotations

import textwrap

from synth.grid import placements
from synth.printed import PrintedReport
from synth.writers.blocks import blocks
from tests.connectors.pdf_build import _file, _stream

_W, _H, _MARGIN = 595, 842, 50


class _Codes:
    """One two-byte code per character, and the ToUnicode map of them."""

    def __init__(self) -> None:
        self.of: dict[str, int] = {}

    def hex(self, text: str) -> bytes:
        return b"".join(b"%04X" % self.of.setdefault(ch, len(self.of) + 1) for ch in text)

    def cmap(self) -> bytes:
        pairs = sorted(self.of.items(), key=lambda p: p[1])
        chunks = []
        for at in range(0, len(pairs), 100):
            part = pairs[at : at + 100]
            body = b"\n".join(b"<%04X> <%s>" % (code, ch.encode("utf-16-be").hex().upper().encode()) for ch, code in part)
            chunks.append(b"%d beginbfchar\n%s\nendbfchar" % (len(part), body))
        return (
            b"/CIDInit /ProcSet findresource begin 12 dict begin begincmap\n"
            b"/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def\n"
            b"/CMapName /Adobe-Identity-UCS def /CMapType 2 def\n"
            b"1 begincodespacerange <0000> <FFFF> endcodespacerange\n" + b"\n".join(chunks) +
            b"\nendcmap CMapName currentdict /CMap defineresource pop end end"
        )


class _Pages:
    def __init__(self, codes: _Codes) -> None:
        self.codes = codes
        self.pages: list[list[bytes]] = [[]]
        self.y = _H - _MARGIN

    def room(self, height: float) -> None:
        if self.y - height < _MARGIN:
            self.pages.append([])
            self.y = _H - _MARGIN

    def text(self, x: float, y: float, size: float, line: str, page: int = -1) -> None:
        self.pages[page].append(b"BT /F1 %g Tf %.1f %.1f Td <%s> Tj ET" % (size, x, y, self.codes.hex(line)))

    def rect(self, x: float, y: float, w: float, h: float, page: int = -1) -> None:
        self.pages[page].append(b"%.1f %.1f %.1f %.1f re S" % (x, y, w, h))


def _paragraph(pages: _Pages, text: str, size: float) -> None:
    per_line = int((_W - 2 * _MARGIN) / size)
    for line in textwrap.wrap(text, per_line) or [""]:
        pages.room(size * 1.5)
        pages.y -= size * 1.5
        pages.text(_MARGIN, pages.y, size, line)
    pages.y -= size * 0.5


def _table(pages: _Pages, grid, size: float = 6.5) -> None:
    col = (_W - 2 * _MARGIN) / grid.ncols
    placed = placements(grid)
    lines: dict[tuple[int, int], list[str]] = {}
    heights = [size * 1.6] * len(grid.rows)
    for r, c, cell in placed:
        width = max(1, int(col * cell.colspan / size) - 1)
        wrapped = [w for part in cell.text.split("\n") for w in (textwrap.wrap(part, width) or [""])]
        lines[(r, c)] = wrapped
        if cell.rowspan == 1:
            heights[r] = max(heights[r], size * 1.3 * len(wrapped) + size * 0.6)
    tops = []
    for h in heights:  # a row that does not fit starts a new page (the table continues there)
        pages.room(h)
        tops.append((len(pages.pages) - 1, pages.y))
        pages.y -= h
    for r, c, cell in placed:
        page_no, top = tops[r]
        height = sum(heights[r : r + cell.rowspan])
        x = _MARGIN + c * col
        pages.rect(x, top - height, col * cell.colspan, height, page_no)
        for i, line in enumerate(lines[(r, c)]):
            pages.text(x + 2, top - size * 1.3 * (i + 1), size, line, page_no)
    pages.y -= size * 2


def report_pdf(report: PrintedReport) -> bytes:
    """The report's blocks on A4 pages: title, paragraphs, ruled tables."""
    codes = _Codes()
    pages = _Pages(codes)
    for block in blocks(report):
        if block.kind == "table" and block.grid is not None:
            _table(pages, block.grid)
        elif block.kind != "break":
            _paragraph(pages, block.text, 14 if block.kind == "title" else 10)
    n = len(pages.pages)
    font, descendant, tounicode = 3 + 2 * n, 4 + 2 * n, 5 + 2 * n
    kids = b" ".join(b"%d 0 R" % (3 + 2 * i) for i in range(n))
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [%s] /Count %d >>" % (kids, n)]
    for i, content in enumerate(pages.pages):
        objects.append(
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 %d %d] /Resources << /Font << /F1 %d 0 R >> >> "
            b"/Contents %d 0 R >>" % (_W, _H, font, 4 + 2 * i)
        )
        objects.append(_stream(b"0.5 w\n" + b"\n".join(content)))
    objects.append(
        b"<< /Type /Font /Subtype /Type0 /BaseFont /SimSun /Encoding /Identity-H /DescendantFonts [%d 0 R] "
        b"/ToUnicode %d 0 R >>" % (descendant, tounicode)
    )
    objects.append(
        b"<< /Type /Font /Subtype /CIDFontType2 /BaseFont /SimSun /DW 1000 "
        b"/CIDSystemInfo << /Registry (Adobe) /Ordering (Identity) /Supplement 0 >> >>"
    )
    objects.append(_stream(codes.cmap()))
    return _file(objects)
