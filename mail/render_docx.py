"""The Word attachment of a quality report, in the official style: 黑体 headings, 仿宋 body, a findings table.

Officers work in Word: the attachment is the same report as the mail, to print, annotate and file.
Chinese faces are set on the East-Asian font slot (w:eastAsia), which python-docx does not expose.
"""

from __future__ import annotations

import io
import re
import zipfile
from functools import cache
from xml.sax.saxutils import escape

from docx import Document
from docx.document import Document as DocumentType
from docx.oxml.ns import qn
from docx.shared import Cm, Pt

from form import mail as words
from mail.content import FindingLine, QualityReport
from mail.render_text import passed_text

_COLUMNS = (words.COL_NO, words.COL_WHERE, words.COL_PRINTED, words.COL_EXPECTED, words.COL_RULE, words.COL_DETAIL)
#: column widths of the findings table (16 cm of text width): where, rule and detail get the room
_WIDTHS = (Cm(1.3), Cm(3.6), Cm(1.7), Cm(1.7), Cm(3.4), Cm(4.3))
_FACT_WIDTHS = (Cm(3.0), Cm(13.0))


def _widths(table, widths) -> None:
    """Fixed column widths (Word and LibreOffice read them per cell)."""
    table.autofit = False
    for column, width in zip(table.columns, widths, strict=True):
        column.width = width  # the grid LibreOffice reads
    for row in table.rows:
        for cell, width in zip(row.cells, widths, strict=True):
            cell.width = width


def _face(style_or_run, face: str, size: float | None = None) -> None:
    """Set a style's or run's Latin and East-Asian font to `face`."""
    font = style_or_run.font
    font.name = face
    if size:
        font.size = Pt(size)
    rpr = style_or_run.element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = rpr.makeelement(qn("w:rFonts"), {})
        rpr.append(fonts)
    for slot in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(slot), face)


def new_document() -> DocumentType:
    """A document whose body is 仿宋 and whose headings are 黑体 (styled once per process)."""
    return Document(io.BytesIO(_template()))


@cache
def _template() -> bytes:
    doc = Document()
    _face(doc.styles["Normal"], words.FONT_BODY, 12)
    for name, size in (("Title", 18), ("Heading 1", 15), ("Heading 2", 13)):
        style = doc.styles[name]
        _face(style, words.FONT_HEADING, size)
        style.font.bold = False
        style.font.color.rgb = None
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


#: style ids of python-docx's default template; set on the XML directly, because python-docx
#: looks a style up by name with an XPath over every style (about 3 ms each, a third of a report)
_STYLE_IDS = {"Title": "Title", "Heading 1": "Heading1", "Table Grid": "TableGrid"}


def heading(doc: DocumentType, text: str, style: str) -> None:
    doc.add_paragraph(text)._p.style = _STYLE_IDS[style]


def grid_table(doc: DocumentType, rows: int, cols: int):
    table = doc.add_table(rows=rows, cols=cols)
    table._tbl.tblStyle_val = _STYLE_IDS["Table Grid"]
    return table


# ---- the quality report: document.xml written as text into the fixed package -------------------
#
# A report is rendered per stored submission (thousands per ingest), so it does not go through
# python-docx's object model (49 ms a report): the package made once above (styles, fonts,
# settings) is copied as it is, and only word/document.xml is written, as escaped XML text in the
# same shape python-docx gives (tests open the result with python-docx).

_TWIPS_PER_CM = 1440 / 2.54
#: characters XML 1.0 cannot hold (python-docx would refuse them): dropped
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _twips(width: Cm) -> int:
    return round(width.cm * _TWIPS_PER_CM)


def _text(value: str) -> str:
    """A run's text: escaped, line breaks as <w:br/> and tabs as <w:tab/> (as python-docx's run.text does)."""
    out = escape(_NOT_XML.sub("", value))  # element text: quotes need no escape
    out = out.replace("\r\n", "\n").replace("\r", "\n")
    out = out.replace("\n", '</w:t><w:br/><w:t xml:space="preserve">').replace("\t", '</w:t><w:tab/><w:t xml:space="preserve">')
    return f'<w:t xml:space="preserve">{out}</w:t>'


def _run(value: str, face: str | None = None) -> str:
    if not value:
        return ""
    props = f'<w:rPr><w:rFonts w:ascii="{face}" w:hAnsi="{face}" w:eastAsia="{face}" w:cs="{face}"/></w:rPr>' if face else ""
    return f"<w:r>{props}{_text(value)}</w:r>"


def _para(value: str, style: str | None = None, before: int | None = None, face: str | None = None) -> str:
    props = (f'<w:pStyle w:val="{_STYLE_IDS[style]}"/>' if style else "") + (
        f'<w:spacing w:before="{before}"/>' if before is not None else ""
    )
    return f"<w:p>{f'<w:pPr>{props}</w:pPr>' if props else ''}{_run(value, face)}</w:p>"


def _table_xml(rows: list[tuple[str, ...]], widths: tuple[Cm, ...], head_face: str | None = None) -> str:
    """A Table Grid table of fixed column widths; the first row's runs in `head_face` when given."""
    twips = [_twips(w) for w in widths]
    grid = "".join(f'<w:gridCol w:w="{w}"/>' for w in twips)
    out = [
        '<w:tbl><w:tblPr><w:tblStyle w:val="TableGrid"/><w:tblW w:type="auto" w:w="0"/>'
        '<w:tblLayout w:type="fixed"/><w:tblLook w:firstColumn="1" w:firstRow="1" w:lastColumn="0" '
        'w:lastRow="0" w:noHBand="0" w:noVBand="1" w:val="04A0"/></w:tblPr>'
        f"<w:tblGrid>{grid}</w:tblGrid>"
    ]
    for n, row in enumerate(rows):
        face = head_face if n == 0 else None
        out.append("<w:tr>")
        for value, w in zip(row, twips, strict=True):
            out.append(f'<w:tc><w:tcPr><w:tcW w:type="dxa" w:w="{w}"/></w:tcPr>{_para(value, face=face)}</w:tc>')
        out.append("</w:tr>")
    out.append("</w:tbl>")
    return "".join(out)


def _findings_rows(findings: list[FindingLine]) -> list[tuple[str, ...]]:
    rows: list[tuple[str, ...]] = [_COLUMNS]
    for n, f in enumerate(findings, start=1):
        detail = f.message + (f"\n{f.previous}" if f.previous else "")
        rows.append((str(n), f.where, f.printed or words.BLANK_VALUE, f.expected or words.BLANK_VALUE, f.statement, detail))
    return rows


@cache
def _package() -> tuple[bytes, str, str]:
    """The styled package without its document.xml, and document.xml's text before and after the body's content."""
    parts = zipfile.ZipFile(io.BytesIO(_template()))
    document = parts.read("word/document.xml").decode("utf-8")
    body = document.index("<w:body>") + len("<w:body>")
    section = document.index("<w:sectPr", body)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as package:
        for info in parts.infolist():
            if info.filename != "word/document.xml":
                package.writestr(info, parts.read(info), compress_type=zipfile.ZIP_DEFLATED)
    return out.getvalue(), document[:body], document[section:]


def document_xml(report: QualityReport) -> str:
    """word/document.xml of the report: title, greeting, facts, a findings table per severity, what passed, how to resubmit."""
    _, head, tail = _package()
    parts = [
        head,
        _para(words.TITLE, "Title"),
        _para(words.GREETING.format(agency=report.agency)),
        _para(words.OPENING_UNREADABLE if report.status == "quarantined" else words.OPENING),
        _table_xml(report.facts(), _FACT_WIDTHS),
        _para(words.STATUS_EXPLAINED[report.status], before=int(8 * 20)),
    ]
    for title, findings in (
        (words.HEADING_HARD, report.hard),
        (words.HEADING_REVIEW, report.review),
        (words.HEADING_SOFT, report.soft),
        (words.HEADING_UNCHECKED, report.unchecked),
    ):
        if findings:
            parts.append(_para(title.format(n=len(findings)), "Heading 1"))
            parts.append(_table_xml(_findings_rows(findings), _WIDTHS, words.FONT_HEADING))
    if report.status != "quarantined" and not (report.hard or report.review or report.soft):
        parts.append(_para(words.NO_FINDINGS))
    parts.append(_para(words.HEADING_PASSED, "Heading 1"))
    parts.append(_para(passed_text(report)))
    heading, steps = words.next_steps(report.status)
    parts.append(_para(heading, "Heading 1"))
    parts += [_para(line) for line in steps]
    parts.append(_para(words.CLOSING))
    parts.append(tail)
    return "".join(parts)


def docx_bytes(report: QualityReport) -> bytes:
    """The report as a .docx file's bytes: the fixed package with this report's document.xml added."""
    package, _, _ = _package()
    out = io.BytesIO(package)
    out.seek(0, io.SEEK_END)
    with zipfile.ZipFile(out, "a", zipfile.ZIP_DEFLATED, compresslevel=1) as docx:
        docx.writestr("word/document.xml", document_xml(report))
    return out.getvalue()
