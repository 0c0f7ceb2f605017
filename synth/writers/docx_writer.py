"""Word documents written as WordprocessingML directly, fast and byte-for-byte reproducible.

Building each file through python-docx costs ~9 ms for `Document()` alone; writing the XML
costs well under a millisecond. The package is the minimum Word and python-docx open: content
types, relationships, a small style sheet, fixed core properties, and the body. Merged label
cells are real vMerge/gridSpan merges; a cell's lines are paragraphs or <w:br/> breaks; some
agencies' text comes split over several runs.
"""

from __future__ import annotations

import io
import zipfile
from xml.sax.saxutils import escape

from form.printing import BODY_FONT
from synth.grid import Grid, placements
from synth.printed import PrintedReport
from synth.writers.blocks import blocks

_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_FIXED_TIME = (2020, 1, 1, 0, 0, 0)
_FIXED_STAMP = "2020-01-01T00:00:00Z"
_WIDTH = 8300  # twips across an A4 page between margins

_CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/word/document.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>'
    '<Override PartName="/word/styles.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml"/>'
    '<Override PartName="/docProps/core.xml" '
    'ContentType="application/vnd.openxmlformats-package.core-properties+xml"/>'
    "</Types>"
)
_ROOT_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" '
    'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" '
    'Target="word/document.xml"/>'
    '<Relationship Id="rId2" '
    'Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties" '
    'Target="docProps/core.xml"/>'
    "</Relationships>"
)
_DOC_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" '
    'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" '
    'Target="styles.xml"/>'
    "</Relationships>"
)
_STYLES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    f'<w:styles xmlns:w="{_W}">'
    f'<w:docDefaults><w:rPrDefault><w:rPr><w:rFonts w:ascii="Times New Roman" w:eastAsia="{BODY_FONT}" '
    'w:hAnsi="Times New Roman"/><w:sz w:val="24"/><w:lang w:val="en-US" w:eastAsia="zh-CN"/></w:rPr>'
    "</w:rPrDefault><w:pPrDefault/></w:docDefaults>"
    '<w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/></w:style>'
    '<w:style w:type="paragraph" w:styleId="Title"><w:name w:val="Title"/><w:basedOn w:val="Normal"/>'
    '<w:pPr><w:jc w:val="center"/></w:pPr><w:rPr><w:b/><w:sz w:val="36"/></w:rPr></w:style>'
    '<w:style w:type="table" w:default="1" w:styleId="TableNormal"><w:name w:val="Normal Table"/>'
    '<w:tblPr><w:tblInd w:w="0" w:type="dxa"/><w:tblCellMar><w:left w:w="108" w:type="dxa"/>'
    '<w:right w:w="108" w:type="dxa"/></w:tblCellMar></w:tblPr></w:style>'
    '<w:style w:type="table" w:styleId="TableGrid"><w:name w:val="Table Grid"/>'
    '<w:basedOn w:val="TableNormal"/><w:tblPr><w:tblBorders>'
    '<w:top w:val="single" w:sz="4" w:space="0" w:color="auto"/>'
    '<w:left w:val="single" w:sz="4" w:space="0" w:color="auto"/>'
    '<w:bottom w:val="single" w:sz="4" w:space="0" w:color="auto"/>'
    '<w:right w:val="single" w:sz="4" w:space="0" w:color="auto"/>'
    '<w:insideH w:val="single" w:sz="4" w:space="0" w:color="auto"/>'
    '<w:insideV w:val="single" w:sz="4" w:space="0" w:color="auto"/>'
    "</w:tblBorders></w:tblPr></w:style>"
    "</w:styles>"
)


def _core(report: PrintedReport) -> str:
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" '
        'xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" '
        'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">'
        f"<dc:title>{escape(report.agency)}</dc:title><dc:creator>{escape(report.agency)}</dc:creator>"
        f'<dcterms:created xsi:type="dcterms:W3CDTF">{_FIXED_STAMP}</dcterms:created>'
        f'<dcterms:modified xsi:type="dcterms:W3CDTF">{_FIXED_STAMP}</dcterms:modified>'
        "</cp:coreProperties>"
    )


def _runs(text: str, split: bool) -> str:
    if not text:
        return ""
    parts = [text]
    if split and len(text) >= 4 and not text[0].isdigit():
        mid = len(text) // 2
        parts = [text[:mid], text[mid:]]
    return "".join(f'<w:r><w:t xml:space="preserve">{escape(p)}</w:t></w:r>' for p in parts)


def _para(text: str, split: bool = False, style: str = "", align: str = "") -> str:
    ppr = ""
    if style or align:
        ppr = "<w:pPr>" + (f'<w:pStyle w:val="{style}"/>' if style else "")
        ppr += (f'<w:jc w:val="{align}"/>' if align else "") + "</w:pPr>"
    return f"<w:p>{ppr}{_runs(text, split)}</w:p>"


def _cell_content(text: str, breaks: str, split: bool) -> str:
    lines = text.split("\n")
    if breaks == "br" and len(lines) > 1:
        runs = '<w:r><w:br/></w:r>'.join(_runs(line, split) for line in lines)
        return f'<w:p><w:pPr><w:jc w:val="center"/></w:pPr>{runs}</w:p>'
    return "".join(_para(line, split, align="center") for line in lines)


def _tc(span: int, merge: str, content: str) -> str:
    pr = '<w:tcW w:w="0" w:type="auto"/>'
    if span > 1:
        pr += f'<w:gridSpan w:val="{span}"/>'
    if merge == "restart":
        pr += '<w:vMerge w:val="restart"/>'
    elif merge == "continue":
        pr += "<w:vMerge/>"
    return f"<w:tc><w:tcPr>{pr}</w:tcPr>{content or '<w:p/>'}</w:tc>"


def _units(line: str) -> int:
    """Half-character widths: a Chinese character takes two, a digit or a letter one."""
    return sum(2 if ord(ch) >= 0x2E80 else 1 for ch in line)


def column_widths(grid: Grid) -> list[int]:
    """Twips per grid column, by the longest line its one-cell entries hold (between 12 and 22
    half-characters' worth; merged group labels, printed down their column, do not count), so
    item labels are wide enough to read and number columns hold six digits, as Word's autofit
    would lay them out."""
    need = [12] * grid.ncols
    for _, c, cell in placements(grid):
        if cell.colspan == 1 and cell.rowspan == 1:
            longest = max((_units(line) for line in cell.text.split("\n")), default=0)
            need[c] = max(need[c], min(longest, 22))
    total = sum(need)
    return [_WIDTH * n // total for n in need]


def _table(grid: Grid, report: PrintedReport) -> str:
    lay = report.layout
    starts: dict[tuple[int, int], tuple[int, object]] = {}
    for r, c, cell in placements(grid):
        starts[(r, c)] = (r, cell)
        for dr in range(1, cell.rowspan):
            starts[(r + dr, c)] = (r, cell)
    out = [
        '<w:tbl><w:tblPr><w:tblStyle w:val="TableGrid"/><w:tblW w:w="0" w:type="auto"/><w:tblLayout w:type="fixed"/>'
        '<w:tblLook w:val="04A0"/></w:tblPr><w:tblGrid>'
        + "".join(f'<w:gridCol w:w="{width}"/>' for width in column_widths(grid))
        + "</w:tblGrid>"
    ]
    for r in range(len(grid.rows)):
        out.append("<w:tr>")
        c = 0
        while c < grid.ncols:
            found = starts.get((r, c))
            if found is None:
                out.append(_tc(1, "", ""))
                c += 1
                continue
            first, cell = found
            if first == r:
                merge = "restart" if cell.rowspan > 1 else ""
                out.append(_tc(cell.colspan, merge, _cell_content(cell.text, lay.line_breaks, lay.split_runs)))
            else:
                out.append(_tc(cell.colspan, "continue", ""))
            c += cell.colspan
        out.append("</w:tr>")
    out.append("</w:tbl>")
    return "".join(out)


def document_xml(report: PrintedReport) -> str:
    lay = report.layout
    body: list[str] = []
    for block in blocks(report):
        if block.kind == "title":
            body.append(_para(block.text, lay.split_runs, style="Title"))
        elif block.kind == "table" and block.grid is not None:
            body.append(_table(block.grid, report))
            body.append("<w:p/>")
        elif block.kind == "break":
            body.append('<w:p><w:r><w:br w:type="page"/></w:r></w:p>')
        elif block.kind == "sign":
            body.append(_para(block.text, False, align="right"))
        else:
            body.append(_para(block.text, lay.split_runs))
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        f'<w:document xmlns:w="{_W}" xmlns:r="{_R}"><w:body>'
        + "".join(body)
        + '<w:sectPr><w:pgSz w:w="11906" w:h="16838"/>'
        '<w:pgMar w:top="1440" w:right="1800" w:bottom="1440" w:left="1800" w:header="851" '
        'w:footer="992" w:gutter="0"/></w:sectPr></w:body></w:document>'
    )


def write(report: PrintedReport) -> bytes:
    parts = (
        ("[Content_Types].xml", _CONTENT_TYPES),
        ("_rels/.rels", _ROOT_RELS),
        ("docProps/core.xml", _core(report)),
        ("word/_rels/document.xml.rels", _DOC_RELS),
        ("word/document.xml", document_xml(report)),
        ("word/styles.xml", _STYLES),
    )
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        for name, text in parts:
            info = zipfile.ZipInfo(name, date_time=_FIXED_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            zf.writestr(info, text.encode("utf-8"), compresslevel=6)
    return buf.getvalue()
