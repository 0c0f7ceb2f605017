"""The Word attachment's document.xml, written as text, is the document python-docx writes for the
same report (the reference below builds it call by call, as the attachment was built before h5)."""

from __future__ import annotations

import io
import re
import zipfile
from datetime import datetime

from docx.oxml.ns import qn
from docx.shared import Cm, Pt

from form import mail as words
from form.record import Finding
from mail.content import QualityReport, Submitted, build_report
from mail.render_docx import docx_bytes, grid_table, heading, new_document
from mail.render_text import passed_text

FINDINGS = [
    Finding(rule="t3.balance", severity="hard", cells=["t3.new.natural", "t3.carried_in.natural"], printed=12, expected=14,
            message="表三「自然人」列：<不平衡> & 说明\n第二行\t制表"),
    Finding(rule="carryover.requests", severity="hard", cells=["t3.carried_in.total"], printed=3, expected=5,
            message="上年结转不一致", previous="/srv/xxgk/2023/a_2023.docx"),
    Finding(rule="timeliness.published", severity="soft", printed="2025-04-15", expected="2025-03-31", message="晚于期限"),
    Finding(rule="registry.unregistered", severity="soft", printed="某某镇人民政府", message="不在名录中"),
]
COLUMNS = (words.COL_NO, words.COL_WHERE, words.COL_PRINTED, words.COL_EXPECTED, words.COL_RULE, words.COL_DETAIL)
WIDTHS = (Cm(1.3), Cm(3.6), Cm(1.7), Cm(1.7), Cm(3.4), Cm(4.3))


def _report(state: str = "rejected", findings=FINDINGS) -> QualityReport:
    sub = Submitted(7, "/srv/in/a_2024.docx", datetime(2025, 1, 20), state, "not a zip file",  # type: ignore[arg-type]
                    "X1", "某局 <&> \"引号\"", 2024, findings)
    return build_report(sub, {"/srv/xxgk/2023/a_2023.docx": datetime(2024, 1, 18)})


def _widths(table, widths) -> None:
    table.autofit = False
    for column, width in zip(table.columns, widths, strict=True):
        column.width = width
    for row in table.rows:
        for cell, width in zip(row.cells, widths, strict=True):
            cell.width = width


def _heading_face(run) -> None:
    run.font.name = words.FONT_HEADING
    fonts = run.element.get_or_add_rPr().find(qn("w:rFonts"))
    for slot in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(slot), words.FONT_HEADING)


def reference(report: QualityReport) -> str:
    """document.xml as python-docx writes the report."""
    doc = new_document()
    heading(doc, words.TITLE, "Title")
    doc.add_paragraph(words.GREETING.format(agency=report.agency))
    doc.add_paragraph(words.OPENING_UNREADABLE if report.status == "quarantined" else words.OPENING)
    facts = grid_table(doc, 0, 2)
    for label, value in report.facts():
        row = facts.add_row().cells
        row[0].text, row[1].text = label, value
    _widths(facts, (Cm(3.0), Cm(13.0)))
    doc.add_paragraph(words.STATUS_EXPLAINED[report.status]).paragraph_format.space_before = Pt(8)
    for title, findings in ((words.HEADING_HARD, report.hard), (words.HEADING_SOFT, report.soft),
                            (words.HEADING_UNCHECKED, report.unchecked)):
        if findings:
            heading(doc, title.format(n=len(findings)), "Heading 1")
            table = grid_table(doc, 1, len(COLUMNS))
            for cell, label in zip(table.rows[0].cells, COLUMNS, strict=True):
                cell.text = label
                for run in cell.paragraphs[0].runs:
                    _heading_face(run)
            for n, f in enumerate(findings, start=1):
                detail = f.message + (f"\n{f.previous}" if f.previous else "")
                values = (str(n), f.where, f.printed or words.BLANK_VALUE, f.expected or words.BLANK_VALUE, f.statement, detail)
                for cell, value in zip(table.add_row().cells, values, strict=True):
                    cell.text = value
            _widths(table, WIDTHS)
    if report.status != "quarantined" and not (report.hard or report.soft):
        doc.add_paragraph(words.NO_FINDINGS)
    heading(doc, words.HEADING_PASSED, "Heading 1")
    doc.add_paragraph(passed_text(report))
    title, steps = words.next_steps(report.status)
    heading(doc, title, "Heading 1")
    for line in steps:
        doc.add_paragraph(line)
    doc.add_paragraph(words.CLOSING)
    out = io.BytesIO()
    doc.save(out)
    return _document(out.getvalue())


def _document(docx: bytes) -> str:
    """word/document.xml without what does not change the document (layout whitespace, xml:space)."""
    xml = zipfile.ZipFile(io.BytesIO(docx)).read("word/document.xml").decode("utf-8")
    return re.sub(r">\s+<", "><", xml).replace(' xml:space="preserve"', "")


def test_the_written_document_is_the_one_python_docx_writes() -> None:
    for report in (_report(), _report(findings=[]), _report("quarantined", [])):
        assert _document(docx_bytes(report)) == reference(report)


def test_every_other_part_of_the_package_is_python_docx_s() -> None:
    out = zipfile.ZipFile(io.BytesIO(docx_bytes(_report())))
    template = zipfile.ZipFile(io.BytesIO(new_document_bytes()))
    assert sorted(out.namelist()) == sorted(template.namelist())
    for name in template.namelist():
        if name != "word/document.xml":
            assert out.read(name) == template.read(name), name


def new_document_bytes() -> bytes:
    out = io.BytesIO()
    new_document().save(out)
    return out.getvalue()
