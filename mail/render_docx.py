"""The Word attachment of a quality report, in the official style: 黑体 headings, 仿宋 body, a findings table.

Officers work in Word: the attachment is the same report as the mail, to print, annotate and file.
Chinese faces are set on the East-Asian font slot (w:eastAsia), which python-docx does not expose.
"""

from __future__ import annotations

import io
from functools import cache

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


def _findings_table(doc: DocumentType, findings: list[FindingLine]) -> None:
    table = grid_table(doc, 1, len(_COLUMNS))
    for cell, label in zip(table.rows[0].cells, _COLUMNS, strict=True):
        cell.text = label
        for run in cell.paragraphs[0].runs:
            _face(run, words.FONT_HEADING)
    for n, f in enumerate(findings, start=1):
        detail = f.message + (f"\n{f.previous}" if f.previous else "")
        values = (str(n), f.where, f.printed or words.BLANK_VALUE, f.expected or words.BLANK_VALUE, f.statement, detail)
        for cell, value in zip(table.add_row().cells, values, strict=True):
            cell.text = value
    _widths(table, _WIDTHS)


def docx_bytes(report: QualityReport) -> bytes:
    """The report as a .docx file's bytes."""
    doc = new_document()
    heading(doc, words.TITLE, "Title")
    doc.add_paragraph(words.GREETING.format(agency=report.agency))
    doc.add_paragraph(words.OPENING_UNREADABLE if report.status == "quarantined" else words.OPENING)
    facts = grid_table(doc, 0, 2)
    for label, value in report.facts():
        row = facts.add_row().cells
        row[0].text, row[1].text = label, value
    _widths(facts, _FACT_WIDTHS)
    doc.add_paragraph(words.STATUS_EXPLAINED[report.status]).paragraph_format.space_before = Pt(8)
    for title, findings in (
        (words.HEADING_HARD, report.hard),
        (words.HEADING_SOFT, report.soft),
        (words.HEADING_UNCHECKED, report.unchecked),
    ):
        if findings:
            heading(doc, title.format(n=len(findings)), "Heading 1")
            _findings_table(doc, findings)
    if report.status != "quarantined" and not (report.hard or report.soft):
        doc.add_paragraph(words.NO_FINDINGS)
    heading(doc, words.HEADING_PASSED, "Heading 1")
    doc.add_paragraph(passed_text(report))
    heading(doc, words.HEADING_RESUBMIT, "Heading 1")
    for line in words.RESUBMIT:
        doc.add_paragraph(line)
    doc.add_paragraph(words.CLOSING)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()
