"""Web pages: the report may sit inside a whole site page, with tables nested in layout tables."""

from __future__ import annotations

import re

from lxml import etree

from connectors.document import Document, Table, UnreadableFile
from connectors.limits import DEFAULT_LIMITS, Limits, check_size, check_time, check_tree
from connectors.text_decoding import decode

_BLOCK = {
    "p", "div", "section", "article", "h1", "h2", "h3", "h4", "h5", "h6", "li", "ul", "ol",
    "tr", "table", "blockquote", "pre", "center", "dd", "dt", "dl", "header", "footer", "main",
    "form", "hr", "caption", "tbody", "thead",
}
_SKIP = {"script", "style", "noscript", "head", "template", "iframe", "object", "svg", "button", "select"}
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?([A-Za-z0-9_-]+)""", re.I)
_SPACE = re.compile(r"[ \t\r\f\v\u00a0\u3000\u200b]+")
#: lxml.html's parser options without its element classes (a Python lookup per element walked):
#: the same tree, as plain elements.
_PARSER = etree.HTMLParser()
#: lxml.html's text_content()
_TEXT_CONTENT = etree.XPath("string()")


def _cell_parts(el: etree._Element, parts: list[str]) -> None:
    if not isinstance(el.tag, str) or el.tag in _SKIP:
        return
    if el.tag == "br" or el.tag in _BLOCK and parts and not parts[-1].endswith("\n"):
        parts.append("\n")
    if el.text:
        parts.append(el.text)
    for child in el:
        _cell_parts(child, parts)
        if child.tail:
            parts.append(child.tail)


def _cell_text(cell: etree._Element) -> str:
    if len(cell):
        # `_cell_parts(cell, parts)`, with the childless children (a cell's <p>, <br>) read in place
        parts: list[str] = [cell.text] if cell.text else []
        for child in cell:
            tag = child.tag
            if len(child):
                _cell_parts(child, parts)
            elif isinstance(tag, str) and tag not in _SKIP:
                if tag == "br" or tag in _BLOCK and parts and not parts[-1].endswith("\n"):
                    parts.append("\n")
                if child.text:
                    parts.append(child.text)
            if child.tail:
                parts.append(child.tail)
        text = "".join(parts)
    else:  # a cell of text only, as most are
        text = cell.text or ""
    if "\n" not in text:
        return _SPACE.sub(" ", text).strip()
    lines = [_SPACE.sub(" ", line).strip() for line in text.split("\n")]
    return "\n".join(line for line in lines if line)


def _rows(table: etree._Element) -> list[list[str]]:
    rows = []
    for tr in table.xpath("./tr|./thead/tr|./tbody/tr|./tfoot/tr"):
        check_time()
        cells = [_cell_text(td) for td in tr if isinstance(td.tag, str) and td.tag in ("td", "th")]
        if cells:
            rows.append(cells)
    return rows


class _Walker:
    def __init__(self) -> None:
        self.blocks: list = []
        self.buf: list[str] = []

    def flush(self) -> None:
        text = "".join(self.buf)
        self.buf = []
        for line in text.split("\n"):
            line = _SPACE.sub(" ", line).strip()
            if line:
                self.blocks.append(line)

    def walk(self, el: etree._Element) -> None:
        tag = el.tag if isinstance(el.tag, str) else None
        if tag is None:
            return
        if tag in _SKIP:
            return
        if tag == "table" and not el.xpath(".//table"):
            self.flush()
            rows = _rows(el)
            if rows:
                self.blocks.append(Table(rows))
            return
        if tag == "br":
            self.buf.append("\n")
        block = tag in _BLOCK or tag in ("td", "th")
        if block:
            check_time()
            self.buf.append("\n")
        if el.text:
            self.buf.append(el.text)
        for child in el:
            self.walk(child)
            if child.tail:
                self.buf.append(child.tail)
        if block:
            self.buf.append("\n")


def _document(text: str) -> etree._Element:
    """lxml.html.document_fromstring, with plain elements."""
    root = etree.fromstring(text, _PARSER)
    if root is None:
        raise etree.ParserError("Document is empty")
    return root


def read_html(data: bytes, limits: Limits = DEFAULT_LIMITS) -> Document:
    """The paragraphs and tables of a web page, and its title, read within `limits` (the page's
    size is what the parser holds, so `markup_bytes` bounds it before parsing)."""
    check_size(len(data), limits.markup_bytes, "markup_bytes", "the page")
    m = _META_CHARSET.search(data[:4096])
    decoded = decode(data, m.group(1).decode("ascii", "replace") if m else None)
    try:
        root = _document(decoded.text)
    except (etree.ParserError, ValueError) as exc:
        raise UnreadableFile(f"not a readable HTML page ({exc})") from None
    check_tree(root, limits)  # before the walk, which recurses once per level
    title_el = root.find(".//title")
    title = _TEXT_CONTENT(title_el).strip() if title_el is not None else None
    walker = _Walker()
    body = root.find("body")
    walker.walk(body if body is not None else root)
    walker.flush()
    problems = [decoded.problem] if decoded.problem else []
    return Document(blocks=walker.blocks, title=title or None, problems=problems)
