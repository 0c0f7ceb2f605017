"""Word documents: the package opened as python-docx opens it, the body's XML walked as plain lxml.

python-docx's cell API costs ~45 µs a cell, and even walking its tree costs a Python object per
element (its custom element classes). `connectors.docx_package` retraces python-docx's opening with
a plain lxml parser of python-docx's own options: the same tree, walked several times faster; any
package it cannot vouch for is opened by python-docx itself. A table of plain rows, cells and
paragraphs is read in one pass; any other the step-by-step walk reads. Both give the same text,
merged cells included (gridSpan: one cell; vMerge/hMerge continuation: not repeated).
"""

from __future__ import annotations

import io
import zipfile

from docx import Document as open_docx
from docx.oxml.ns import qn
from lxml import etree

from connectors.document import Document, Table, UnreadableFile
from connectors.docx_package import PLAIN_PARSER, open_package
from connectors.limits import DEFAULT_LIMITS, Limits, check_size, check_time, check_tree

_MAX_MEMBERS = 5000
_MAX_MEMBER_BYTES = 64 * 1024 * 1024
_MAX_TOTAL_BYTES = 256 * 1024 * 1024
_MAX_RATIO = 200
_W_P, _W_TBL, _W_TR, _W_TC = qn("w:p"), qn("w:tbl"), qn("w:tr"), qn("w:tc")
_W_T, _W_BR, _W_TAB, _W_CR = qn("w:t"), qn("w:br"), qn("w:tab"), qn("w:cr")
_W_SDT, _W_SDT_CONTENT, _W_CUSTOM = qn("w:sdt"), qn("w:sdtContent"), qn("w:customXml")
_W_TCPR, _W_VMERGE, _W_HMERGE, _W_VAL = qn("w:tcPr"), qn("w:vMerge"), qn("w:hMerge"), qn("w:val")
_W_DEL = qn("w:del")
_PARAGRAPH_HOLDERS = frozenset((_W_P, _W_SDT, _W_CUSTOM))
_W_DOCUMENT, _W_BODY = qn("w:document"), qn("w:body")


def check_package(data: bytes, limits: Limits = DEFAULT_LIMITS) -> zipfile.ZipFile:
    """The package's archive; refuses a zip that is damaged, not a Word document, a bomb, declares
    XML entities, or holds more XML than `limits.markup_bytes` once decompressed."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        infos = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise UnreadableFile(f"damaged or truncated zip/docx ({exc})") from None
    names = {i.filename for i in infos}
    if "word/document.xml" not in names:
        raise UnreadableFile("a zip archive but not a Word document (no word/document.xml)")
    if len(infos) > _MAX_MEMBERS:
        raise UnreadableFile(f"refused: the archive holds {len(infos)} files (zip bomb?)")
    locked = next((i.filename for i in infos if i.flag_bits & 0x1), None)
    if locked:  # zipfile raises RuntimeError on reading it (found by bench/fuzz.py)
        raise UnreadableFile(f"encrypted Word document: {locked} needs a password")
    total = 0
    for info in infos:
        total += info.file_size
        ratio = info.file_size / max(info.compress_size, 1)
        if info.file_size > _MAX_MEMBER_BYTES or total > _MAX_TOTAL_BYTES or (
            info.file_size > 1024 * 1024 and ratio > _MAX_RATIO
        ):
            raise UnreadableFile(
                f"refused: {info.filename} expands to {info.file_size:,} bytes "
                f"(ratio {ratio:.0f}:1, zip bomb?)"
            )
    markup = 0
    for info in infos:
        if info.filename.endswith((".xml", ".rels")):
            try:
                with archive.open(info) as member:
                    head = member.read(4096)
            except (zipfile.BadZipFile, OSError, EOFError, ValueError) as exc:
                raise UnreadableFile(f"damaged or truncated docx: {info.filename} ({exc})") from None
            if b"<!DOCTYPE" in head or b"<!ENTITY" in head:
                raise UnreadableFile(f"refused: {info.filename} declares XML entities (DOCTYPE)")
            # zipfile stops a member at the size its directory declares, so these bound the parsing;
            # python-docx holds every part it parses, so they count together
            check_size(info.file_size, limits.markup_bytes, "markup_bytes", f"{info.filename} decompressed")
            markup += info.file_size
            check_size(markup, limits.markup_bytes, "markup_bytes", "the package's XML parts decompressed")
    return archive


def _text(el) -> str:
    parts: list[str] = []
    append = parts.append
    for node in el.iter(_W_T, _W_BR, _W_TAB, _W_CR, _W_P):
        tag = node.tag
        if tag == _W_T:
            append(node.text or "")
        elif tag == _W_TAB:
            append("\t")
        elif tag == _W_P:
            if parts and not parts[-1].endswith("\n"):
                append("\n")
        else:
            append("\n")
    return "".join(parts).strip("\n")


def _cell_text(tc) -> str:
    paras = [_text(child) for child in tc if child.tag in _PARAGRAPH_HOLDERS]
    return "\n".join([p for p in paras if p.strip()]).strip()


_NS = {"w": _W_P[1:].split("}")[0]}
_CONTINUED = "w:tcPr[1]/w:{0}[1][not(@w:val) or @w:val = 'continue']"
#: The cells of a table merged into the one before them: those whose first tcPr's first vMerge
#: or first hMerge has no value or "continue" (one XPath per table, not three finds per cell).
_CONTINUATIONS = etree.XPath(
    f".//w:tc[{_CONTINUED.format('vMerge')} or {_CONTINUED.format('hMerge')}]", namespaces=_NS
)


_RUN_TEXT = frozenset((_W_T, _W_BR, _W_TAB, _W_CR))


def _within(node, para) -> bool:
    """Whether a text node sits inside the paragraph (not beside it, in the cell)."""
    parent = node.getparent()
    while parent is not None and parent.tag != _W_TC:
        if parent is para:
            return True
        parent = parent.getparent()
    return False


def _plain_table(tbl) -> Table | None:
    """A table read as `_walk` reads it, in one pass over its rows, cells, paragraphs and text.

    Only for a table of rows of cells of paragraphs (no content control, custom XML, nested table
    or paragraph, nor text outside a paragraph): None for any other, which `_walk` reads step by step.
    """
    if any(el is not tbl for el in tbl.iter(_W_SDT, _W_CUSTOM, _W_TBL)):
        return None
    rows: list[list[str]] = []
    row: list[str] = []
    tr = tc = p = None
    cell: list[str] = []  # the cell's paragraphs read so far
    para: list[str] = []  # the open paragraph's text
    continued = False  # the cell is merged into the one before it (not repeated)
    merges: set[str] = set()  # the merge kinds of the cell's properties seen (the first counts)

    def close_cell() -> None:
        if tc is not None and not continued:
            if p is not None:
                cell.append("".join(para).strip("\n"))
            # one paragraph, as most cells hold: its text stripped is what the join gives
            row.append(cell[0].strip() if len(cell) == 1 else "\n".join([t for t in cell if t.strip()]).strip())

    for node in tbl.iter(_W_TR, _W_TC, _W_P, _W_T, _W_BR, _W_TAB, _W_CR, _W_VMERGE, _W_HMERGE):
        tag = node.tag
        if tag in _RUN_TEXT:
            run = node.getparent()
            if p is None or run is not p and run.getparent() is not p and not _within(node, p):
                return None
            para.append(node.text or "" if tag == _W_T else "\t" if tag == _W_TAB else "\n")
        elif tag == _W_P:
            if tc is None or node.getparent() is not tc:
                return None
            if p is not None:
                cell.append("".join(para).strip("\n"))
            p, para = node, []
        elif tag == _W_TC:
            if tr is None or node.getparent() is not tr:
                return None
            close_cell()
            tc, p, para, cell, continued, merges = node, None, [], [], False, set()
        elif tag == _W_TR:
            check_time()
            if node.getparent() is not tbl:
                return None
            close_cell()
            if row:
                rows.append(row)
            tr, row, tc, p = node, [], None, None
        else:  # a vMerge or hMerge: only those of the cell's first properties count
            props = node.getparent()
            if props.tag != _W_TCPR or tc is None or props.getparent() is not tc:
                continue
            if tc[0] is not props:
                return None
            if tag not in merges:
                merges.add(tag)
                continued = continued or node.get(_W_VAL) in (None, "continue")
    close_cell()
    if row:
        rows.append(row)
    return Table(rows)


def _cells_of_row(tr):
    for child in tr:
        if child.tag == _W_TC:
            yield child
        elif child.tag in (_W_SDT, _W_CUSTOM):
            content = child.find(_W_SDT_CONTENT) if child.tag == _W_SDT else child
            if content is not None:
                yield from (c for c in content if c.tag == _W_TC)


def _rows_of_table(tbl):
    for child in tbl:
        if child.tag == _W_TR:
            yield child
        elif child.tag in (_W_SDT, _W_CUSTOM):
            content = child.find(_W_SDT_CONTENT) if child.tag == _W_SDT else child
            if content is not None:
                yield from (r for r in content if r.tag == _W_TR)


def _walk(container, blocks: list) -> None:
    for child in container:
        check_time()
        if child.tag == _W_P:
            text = _text(child)
            blocks.extend(line.strip() for line in text.split("\n") if line.strip())
        elif child.tag == _W_TBL and (plain := _plain_table(child)) is not None:
            if plain.rows:
                blocks.append(plain)
        elif child.tag == _W_TBL:
            table = Table()
            nested: list = []
            has_nested = any(inner is not child for inner in child.iter(_W_TBL))
            continued = set(_CONTINUATIONS(child))
            for tr in _rows_of_table(child):
                row = []
                for tc in _cells_of_row(tr):
                    if has_nested:  # only the tables this one holds directly: each is walked once
                        for inner in tc.iter(_W_TBL):
                            if inner is not child and next(inner.iterancestors(_W_TBL), None) is child:
                                _walk_table_only(inner, nested)
                    if tc not in continued:
                        row.append(_cell_text(tc))
                if row:
                    table.rows.append(row)
            if table.rows:
                blocks.append(table)
            blocks.extend(nested)
        elif child.tag in (_W_SDT, _W_CUSTOM):
            content = child.find(_W_SDT_CONTENT) if child.tag == _W_SDT else child
            if content is not None:
                _walk(content, blocks)


def _walk_table_only(tbl, blocks: list) -> None:
    holder: list = []
    _walk([tbl], holder)
    blocks.extend(b for b in holder if isinstance(b, Table))


def _plain_body(data: bytes, word):
    """The main part's body as plain lxml elements; python-docx's own when it cannot be had so."""
    try:
        xml = zipfile.ZipFile(io.BytesIO(data)).read(word.part.partname.lstrip("/"))
        root = etree.fromstring(xml, PLAIN_PARSER)
    except Exception:  # the walk of python-docx's tree then fails (or not) exactly as it did
        return word.element.body
    body = root.find(_W_BODY) if root.tag == _W_DOCUMENT else None
    return body if body is not None else word.element.body


def read_docx(data: bytes, limits: Limits = DEFAULT_LIMITS) -> Document:
    """The paragraphs and tables of a Word file, and its core title, read within `limits`."""
    archive = check_package(data, limits)
    opened = open_package(archive)
    if opened is not None:
        check_tree(opened.body, limits)
        blocks: list = []
        _walk(opened.body, blocks)
        return Document(blocks=blocks, title=opened.title.strip() or None)
    # a package open_package leaves to python-docx: opened, refused or failed as python-docx does
    try:
        word = open_docx(io.BytesIO(data))
    except Exception as exc:  # python-docx raises many kinds on a damaged package
        raise UnreadableFile(f"damaged Word document ({type(exc).__name__}: {exc})") from None
    body = _plain_body(data, word)
    if body is None:  # found by the hostile corpus: python-docx gives None, the walk a TypeError
        raise UnreadableFile("damaged Word document: word/document.xml has no body (w:body)")
    blocks = []
    check_tree(body, limits)
    _walk(body, blocks)
    return Document(blocks=blocks, title=_core_title(word))


def _core_title(word) -> str | None:
    """The package's title; None when docProps/core.xml is not core properties (found by fuzzing:
    python-docx then raises AttributeError), since a report needs no title there."""
    try:
        return (word.core_properties.title or "").strip() or None
    except (AttributeError, TypeError, ValueError):
        return None
