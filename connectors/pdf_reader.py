"""PDFs with a text layer, read two ways.

`read_pdf_text` (pdfium, ~5 ms a page) gives the text as lines in content order: enough for the
report builder's word stream when every cell is printed. `read_pdf` (pdfplumber, ~150 ms a page)
finds the ruled tables, so blank cells keep their places; tables broken across pages continue in
the next page's table, and a one-column "table" is a framed paragraph, not a table. Page footers
such as ``- 4 -`` are dropped by both.
"""

from __future__ import annotations

import io
import re
from typing import TYPE_CHECKING

from connectors.document import Block, Document, NoTextLayer, Table, UnreadableFile
from connectors.limits import DEFAULT_LIMITS, Limits, check_count, check_time
from form.layout import PAGE_FOOTER
from form.printing import LINE_END_MARKS

if TYPE_CHECKING:
    from pdfplumber.page import Page


def read_pdf_text(data: bytes, limits: Limits = DEFAULT_LIMITS) -> Document:
    """The text layer as lines, without table structure (fast)."""
    import pypdfium2 as pdfium

    try:
        pdf = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        if "password" in str(exc).lower():
            raise UnreadableFile("encrypted PDF: cannot read without the password") from None
        raise UnreadableFile(f"damaged PDF ({exc})") from None
    try:
        check_count(len(pdf), limits.pages, "pages", "pages")
        lines: list[str] = []
        for i in range(len(pdf)):
            check_time()
            page = pdf[i]
            text = page.get_textpage().get_text_range()
            page_lines = [ln.strip() for ln in text.replace("\r\n", "\n").replace("\r", "\n").split("\n")]
            page_lines = [ln for ln in page_lines if ln and not PAGE_FOOTER.match(ln)]
            # a bare page number printed first or last on the page
            for edge in (0, -1):
                if page_lines and page_lines[edge].isdigit() and int(page_lines[edge]) <= len(pdf) + 5:
                    page_lines.pop(edge)
            lines.extend(page_lines)
    except pdfium.PdfiumError as exc:
        raise UnreadableFile(f"damaged PDF ({exc})") from None
    finally:
        pdf.close()
    if not lines:
        raise NoTextLayer("image-only PDF: no text layer to read (OCR it first)")
    doc = Document(blocks=lines, wrapped=True)
    if _unmapped(doc.blocks):
        raise UnreadableFile("PDF text layer has no Unicode mapping (cid codes): OCR it or export it again")
    return doc


def _inside(obj: dict, boxes: list[tuple[float, float, float, float]]) -> bool:
    cx = (obj["x0"] + obj["x1"]) / 2
    cy = (obj["top"] + obj["bottom"]) / 2
    return any(x0 <= cx <= x1 and top <= cy <= bottom for x0, top, x1, bottom in boxes)


def _table_rows(raw: list[list[str | None]]) -> list[list[str]]:
    rows = []
    for r in raw:
        cells = [re.sub(r"[ \t]*\n[ \t]*", "\n", c).strip() for c in r if c is not None]
        if cells:
            rows.append(cells)
    return rows


def _unreadable(exc: Exception) -> UnreadableFile:
    """Why pdfminer could not read the file; pdfplumber wraps its errors in a PdfminerException."""
    inner = exc.args[0] if exc.args and isinstance(exc.args[0], Exception) else exc
    name = type(inner).__name__
    if "Password" in name or "Encrypt" in name:
        return UnreadableFile("encrypted PDF: cannot read without the password")
    return UnreadableFile(f"damaged PDF ({name}: {inner})")


def _page_blocks(page: Page) -> list[Block]:
    """One page's ruled tables and paragraphs, top to bottom."""
    placed: list[tuple[float, Block]] = []
    boxes = []
    for found in page.find_tables():
        rows = _table_rows(found.extract())
        if max((len(r) for r in rows), default=0) < 2:
            continue  # a one-column "table" is a framed paragraph: read with the text
        boxes.append(found.bbox)
        placed.append((found.bbox[1], Table(rows)))
    check_time()  # finding the tables is most of a page's time
    bottom = page.height * 0.88
    rest = page.filter(lambda o: o.get("object_type") != "char" or not _inside(o, boxes))
    lines = rest.extract_text_lines(layout=False, strip=True)
    # a bare page number at the foot of the page
    lines = [ln for ln in lines if not (ln["top"] > bottom and ln["text"].strip().isdigit())]
    placed.extend(_paragraphs(lines))
    placed.sort(key=lambda p: p[0])
    return [b for _, b in placed]


def read_pdf(data: bytes, limits: Limits = DEFAULT_LIMITS) -> Document:
    """The text layer with its ruled tables found (slow): blank cells keep their places."""
    import pdfplumber

    try:
        pdf = pdfplumber.open(io.BytesIO(data))
        pages = pdf.pages
    except Exception as exc:  # pdfminer raises many kinds on a damaged or encrypted file
        raise _unreadable(exc) from None
    blocks: list[Block] = []
    any_text = False
    try:
        check_count(len(pages), limits.pages, "pages", "pages")
        for page in pages:
            check_time()
            page = page.dedupe_chars()  # text printed twice to look bold
            any_text = any_text or bool(page.chars)
            blocks.extend(_page_blocks(page))
            page.flush_cache()
    except UnreadableFile:
        raise
    except Exception as exc:
        raise _unreadable(exc) from None
    finally:
        pdf.close()
    if not any_text:
        raise NoTextLayer("image-only PDF: no text layer to read (OCR it first)")
    if _unmapped(blocks):
        raise UnreadableFile("PDF text layer has no Unicode mapping (cid codes): OCR it or export it again")
    return _merge_split_tables(blocks)


def _paragraphs(lines: list[dict]) -> list[tuple[float, str]]:
    """Wrapped lines joined back into paragraphs: a line reaching the right margin continues."""
    lines = [ln for ln in lines if ln["text"].strip() and not PAGE_FOOTER.match(ln["text"].strip())]
    if not lines:
        return []
    right = max(ln["x1"] for ln in lines)
    out: list[tuple[float, str]] = []
    joining = False
    for ln in lines:
        text = ln["text"].strip()
        size = (ln["x1"] - ln["x0"]) / max(len(text), 1)
        if joining and out:
            out[-1] = (out[-1][0], out[-1][1] + text)
        else:
            out.append((ln["top"], text))
        joining = ln["x1"] >= right - 1.5 * size and not text.endswith(LINE_END_MARKS)
    return out


def _unmapped(blocks: list[Block]) -> bool:
    """True when most text is (cid:N) codes: fonts without a Unicode map, nothing to read."""
    text = "".join(b if isinstance(b, str) else "".join("".join(r) for r in b.rows) for b in blocks)
    return bool(text) and text.count("(cid:") * 6 > len(text) / 2


def _merge_split_tables(blocks: list[Block]) -> Document:
    """Join a table continued on the next page (only a page's lines stand between them)."""
    out: list[Block] = []
    for block in blocks:
        if isinstance(block, Table) and out and isinstance(out[-1], Table):
            out[-1].rows.extend(block.rows)
            continue
        out.append(block)
    return Document(blocks=out)
