"""Scanned reports (image-only PDFs, page images) read by OCR, repaired by the template's arithmetic.

Pages are rendered (pypdfium2) or opened (Pillow), red is taken out, and the OCR boxes become text
lines in the text reader's shape (`connectors.ocr_layout`), so the same `report_builder` reads
labels, version and values. To know which OCR read became which cell, the lines are built a second
time with each value replaced by a unique tag number: the cell holding tag k was read from value k.
`form.ocr_repair` then repairs misreads the identities pin down; what it changed and what it
could not decide are the report's `ocr` notes (rules `ocr.corrected`, `ocr.uncertain`).
"""

from __future__ import annotations

import io
from collections.abc import Iterator

from connectors import ocr_engine
from connectors.document import Document, UnreadableFile
from connectors.ocr_layout import BLANK, Token, join_broken_row, line_text, page_lines
from connectors.report_builder import build_report
from form import catalogue as cat
from form.ocr_repair import SUM_COLUMNS, CellRead, Repair, repair
from form.record import OcrNote, Report, Source

#: Pages are rendered at this resolution (dots per inch): enough for PP-OCR on 5-point digits.
RENDER_DPI = 200
#: A page image larger than an A4 page at RENDER_DPI (a 300 dpi scan, a phone photo) is scaled down
#: to it: read like a rendered PDF page, and the detector's time grows with the pixels (a 300 dpi
#: page took 2.5 times as long to detect as a 200 dpi one).
PAGE_SIDE = round(297 / 25.4 * RENDER_DPI)
_MAX_PAGES = 60
_NO_TEXT_PDF = "image-only PDF: no text layer, and OCR found no text on its pages"
_NO_TEXT_IMAGE = "an image in which OCR found no text"
#: Tag numbers: far above any count a report prints, and exact in a float.
_TAG = 10**12


def _pdf_pages(data: bytes) -> Iterator:
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(data)
    try:
        if len(pdf) > _MAX_PAGES:
            raise UnreadableFile(f"refused: a scan of {len(pdf)} pages is not an annual report")
        for i in range(len(pdf)):
            yield pdf[i].render(scale=RENDER_DPI / 72).to_pil()
    finally:
        pdf.close()


def _image_pages(data: bytes) -> Iterator:
    from PIL import Image, ImageSequence, UnidentifiedImageError

    try:
        image = Image.open(io.BytesIO(data))
        frames = [f.convert("RGB") for f in ImageSequence.Iterator(image)]
    except (UnidentifiedImageError, OSError, ValueError) as exc:
        raise UnreadableFile(f"damaged image ({exc})") from None
    if len(frames) > _MAX_PAGES:
        raise UnreadableFile(f"refused: an image of {len(frames)} pages is not an annual report")
    for frame in frames:
        yield _at_page_side(frame)


def _at_page_side(frame):
    """A page image no larger than an A4 page at RENDER_DPI (smaller ones are left as they are)."""
    from PIL import Image

    side = max(frame.size)
    if side <= PAGE_SIDE * 1.05:
        return frame
    ratio = PAGE_SIDE / side
    return frame.resize((round(frame.width * ratio), round(frame.height * ratio)), Image.Resampling.LANCZOS)


def scan_lines(pages: Iterator) -> list[list[Token]]:
    """Every page's lines, in order; a table broken across pages continues in its section."""
    lines: list[list[Token]] = []
    section: str | None = None
    for page in pages:
        gray = ocr_engine.straighten(ocr_engine.ink(page))
        boxes = ocr_engine.read_page(gray)
        page_tokens, section = page_lines(boxes, gray, section, ocr_engine.read_crops)
        lines.extend(_joined_to_last_row(lines, page_tokens))
    return lines


def _joined_to_last_row(lines: list[list[Token]], page: list[list[Token]]) -> list[list[Token]]:
    """The page's lines but the end of a label broken across the page break (words marked
    `continues`), which joins the last row with values in `lines` (changed in place): its label
    whole again ("2.其他法律" + "行政法规禁止公开"), or no row would be found for its values."""
    out = list(page)
    while out and out[0] and all(t.continues for t in out[0]):
        words = out.pop(0)
        last = next((i for i in range(len(lines) - 1, -1, -1) if any(t.value for t in lines[i])), None)
        if last is not None:
            lines[last] = join_broken_row(lines[last], words)
    return out


def _documents(lines: list[list[Token]]) -> tuple[Document, Document, list[Token]]:
    """The lines as printed, the same lines with every value tagged, and the values by tag."""
    plain = [line_text(row) for row in lines]
    values: list[Token] = []
    tagged = []
    for row in lines:
        words = []
        for t in row:
            if t.value and t.text != BLANK:
                words.append(str(_TAG + len(values)))
                values.append(t)
            else:
                words.append(t.text)
        tagged.append(" ".join(w for w in words if w))
    return Document(blocks=plain, wrapped=True), Document(blocks=tagged, wrapped=True), values


def _tag_of(value: object) -> int | None:
    """The tag a cell holds (an amount in 元 was divided by 10 000 on the way)."""
    if not isinstance(value, int | float):
        return None
    for v in (value, value * 10000):
        k = round(v) - _TAG
        if k >= 0 and abs(v - round(v)) < 1e-3:
            return k
    return None


def cell_reads(tagged: Report, values: list[Token]) -> dict[str, CellRead]:
    """Which OCR read each cell came from, with its confidence."""
    reads: dict[str, CellRead] = {}
    for cell, value in tagged.cells.items():
        k = _tag_of(value)
        if k is not None and k < len(values):
            reads[cell] = CellRead(values[k].text, values[k].conf)
    return reads


def _not_found(report: Report) -> list[str]:
    """The cells of every table, row or cell the builder reported not found. A row short of a
    cell is named whole (table 四, one row of 15, whole): which of its cells OCR missed is not
    known, so the values read may stand in the wrong columns."""
    gone = {p.cell for p in report.problems if p.cell and p.raw is None}
    if not gone:
        return []
    wider = {g if g.count(".") < 2 else "t4" if g.startswith("t4.") else cat.row_of(g) for g in gone}
    # a row not found may have lent its label to the next row's values (or taken the last
    # row's): the rows either side of it are named too
    printed = {cat.row_of(c) for c in report.cells} | wider
    rows = [r for r in dict.fromkeys(cat.row_of(c) for c in cat.all_cells()) if r in printed]
    lost = [i for i, row in enumerate(rows) if row in wider]
    for i in lost:
        wider |= {r for r in rows[max(0, i - 1) : i + 2] if r.split(".")[0] == rows[i].split(".")[0]}
    cells = cat.all_cells()
    return [c for c in cells if any(c == g or c.startswith(g + ".") for g in wider)]


def _crowded(lines: list[list[Token]], tagged: Report, values: list[Token]) -> list[str]:
    """The cells read from a line that had a value left over (more values than the row's
    columns): the layout saw a column the template does not have there, or missed a header, so
    the values taken may stand in the wrong columns however well the arithmetic holds. A line
    none of whose values was placed names every row read blank."""
    line_of = [i for i, row in enumerate(lines) for t in row if t.value and t.text != BLANK]
    placed = {c: k for c, v in tagged.cells.items() if (k := _tag_of(v)) is not None and k < len(values)}
    taken = set(placed.values())
    crowded = {line_of[k] for k in range(len(values)) if k not in taken}
    out = {c for c, k in placed.items() if line_of[k] in crowded}
    if crowded - {line_of[k] for k in taken}:
        # a line of values placed nowhere (its label not matched, or its row taken by a blank
        # piece of a row broken across pages): they may belong to any row read blank
        rows: dict[str, list[str]] = {}
        for c in tagged.cells:
            rows.setdefault(cat.row_of(c), []).append(c)
        out |= {c for cells in rows.values() if all(tagged.cells[x] is None for x in cells) for c in cells}
    return sorted(out)


def _untraced(report: Report, reads: dict[str, CellRead]) -> list[str]:
    """Cells holding a number no value token gave: a word the layout kept as a word (a faint
    stroke read as 1 in a cell, below the noise floor) that the builder then read as the cell's
    value. Nothing says how it was read, so it is uncertain."""
    return [c for c, v in report.cells.items() if v is not None and c not in reads]


def _blank_among_zeros(values: dict[str, object]) -> list[str]:
    """Cells read blank in a row that prints its other zeros as 0: a row prints zero one way, so
    a blank there is a 0 OCR did not find (no box, nothing read) far more often than a cell left
    empty. Blank and 0 weigh alike in every identity, so the arithmetic cannot tell: uncertain."""
    rows: dict[str, list[str]] = {}
    for cell in values:
        if cat.column_of(cell) not in SUM_COLUMNS:
            rows.setdefault(cat.row_of(cell), []).append(cell)
    return [c for cells in rows.values() if any(values[c] == 0 for c in cells) for c in cells if values[c] is None]


def report_from_lines(lines: list[list[Token]], source: Source) -> tuple[Report, Repair]:
    """The report the lines print, repaired; the repair's own record beside it."""
    plain, tagged_doc, values = _documents(lines)
    report = build_report(plain, source)
    tagged = build_report(tagged_doc, source)
    reads = cell_reads(tagged, values)
    fixed = repair(report.cells, reads)
    notes = [OcrNote(cell=c.cell, text=c.text, conf=round(c.conf, 3), value=c.value) for c in fixed.corrected]
    notes += [
        OcrNote(cell=c.cell, text=c.text, conf=round(c.conf, 3), value=c.value, uncertain=True)
        for c in fixed.uncertain
    ]
    # a row or cell OCR did not find is not known to be missing from the page: it is uncertain
    misplaced = dict.fromkeys([*_not_found(report), *_crowded(lines, tagged, values), *_untraced(report, reads), *_blank_among_zeros(fixed.values)])
    notes = [n.model_copy(update={"layout": True}) if n.uncertain and n.cell in misplaced else n for n in notes]
    named = {n.cell for n in notes}
    for cell in misplaced:
        if cell not in named:
            named.add(cell)
            read = reads.get(cell, CellRead("", 0.0))
            notes.append(
                OcrNote(cell=cell, text=read.text, conf=round(read.conf, 3), value=fixed.values.get(cell), uncertain=True, layout=True)
            )
    # a repaired cell's reading problem (text that was no number) is solved with it
    solved = {c.cell for c in fixed.corrected}
    problems = [p for p in report.problems if p.cell not in solved]
    report = report.model_copy(update={"cells": fixed.values, "ocr": notes, "problems": problems})
    return report, fixed


def read_scan(data: bytes, source: Source, *, image: bool) -> Report:
    """The report a scan prints (`image`: page images rather than an image-only PDF)."""
    if not ocr_engine.available():
        raise UnreadableFile(ocr_engine.MISSING)
    pages = _image_pages(data) if image else _pdf_pages(data)
    lines = scan_lines(pages)
    if not lines:
        raise UnreadableFile(_NO_TEXT_IMAGE if image else _NO_TEXT_PDF)
    report, _ = report_from_lines(lines, source)
    return report
