"""Word files: merged cells, tables split in two, the 8-column 小计 variant, cells over paragraphs."""

from __future__ import annotations

import copy
import io
import zipfile

import pytest

from connectors.docx_reader import read_docx
from connectors.report_builder import build_report
from connectors.text_reader import read_text
from form.catalogue import T3_ORGANISATION_COLUMNS
from form.record import Source
from tests.conftest import SEED_TRUTH, load_truth
from tests.connectors.docx_build import docx_bytes

SOURCE = Source(path="seed.docx", sha256="0" * 64, media_type="docx")


@pytest.fixture(scope="module")
def seed_doc(seed_bytes):
    return read_text(seed_bytes)


@pytest.mark.parametrize(
    "layout",
    [dict(merge=False), dict(merge=True), dict(merge=True, split_table_at=12)],
    ids=["plain", "merged-cells", "table-split-in-two"],
)
@pytest.mark.slow  # builds Word files with python-docx's cell API
def test_docx_reads_every_cell(seed_doc, layout) -> None:
    report = build_report(read_docx(docx_bytes(seed_doc, **layout)), SOURCE)
    truth = load_truth(SEED_TRUTH)
    assert report.cells == truth["cells"]
    assert (report.agency, report.year, report.version) == ("海宁市人民政府办公室", 2021, "2021")
    assert report.problems == []


@pytest.mark.slow  # builds Word files with python-docx's cell API
def test_merged_label_cells_are_not_repeated(seed_doc) -> None:
    doc = read_docx(docx_bytes(seed_doc, merge=True))
    t3 = max(doc.tables, key=lambda t: len(t.rows))
    firsts = [r[0] for r in t3.rows]
    assert sum("本年度办理结果" in c for c in firsts) == 1


def _with_subtotal(doc):
    """The seed with a 小计 column after 其他 in table 3, as some agencies print it."""
    doc = copy.deepcopy(doc)
    t3 = max(doc.tables, key=lambda t: len(t.rows))
    for row in t3.rows:
        if "其他" in row and "商业\n企业" in row:
            row.insert(row.index("其他") + 1, "小计")
        elif len(row) >= 8 and row[-1].isdigit():
            values = row[-7:]
            row.insert(len(row) - 1, str(sum(int(v) for v in values[1:6])))
    return doc


@pytest.mark.slow  # builds Word files with python-docx's cell API
def test_eight_column_variant_reads_the_subtotal_as_entities(seed_doc) -> None:
    report = build_report(read_docx(docx_bytes(_with_subtotal(seed_doc))), SOURCE)
    truth = load_truth(SEED_TRUTH)["cells"]
    assert {k: v for k, v in report.cells.items() if not k.endswith(".entities")} == truth
    assert report.cells["t3.new.entities"] == sum(truth[f"t3.new.{c}"] for c in T3_ORGANISATION_COLUMNS)
    assert report.cells["t3.new.total"] == truth["t3.new.total"]


def _variant(data: bytes, change, *, general: bool) -> bytes:
    """The Word file with its body XML changed; `general`: an inert custom XML element in every table,
    so the reader takes its step-by-step path instead of the one-pass reading of plain tables."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            blob = src.read(info)
            if info.filename == "word/document.xml":
                xml = change(blob.decode("utf-8"))
                if general:
                    xml = xml.replace("</w:tbl>", '<w:customXml w:element="inert"/></w:tbl>')
                blob = xml.encode("utf-8")
            dst.writestr(info, blob)
    return out.getvalue()


def _every(n: int, old: str, new: str):
    def change(xml: str) -> str:
        parts = xml.split(old)
        return "".join(p + (new if i % n == n - 1 else old) for i, p in enumerate(parts[:-1])) + parts[-1]

    return change


@pytest.mark.parametrize(
    "change",
    [
        lambda xml: xml,
        _every(5, "</w:t></w:r>", "</w:t><w:br/><w:t>甲</w:t><w:tab/><w:cr/></w:r>"),
        _every(3, "</w:p></w:tc>", "</w:p><w:p/><w:p><w:r><w:t>\n</w:t></w:r></w:p></w:tc>"),
        _every(4, "<w:r>", '<w:hyperlink w:history="1"><w:r><w:t>链</w:t></w:r></w:hyperlink><w:r>'),
        _every(6, "</w:p></w:tc>", "</w:p><w:ins><w:r><w:t>旁</w:t></w:r></w:ins></w:tc>"),
        _every(7, "</w:p></w:tc>", "</w:p><w:tbl><w:tr><w:tc><w:p><w:r><w:t>内</w:t></w:r></w:p></w:tc></w:tr></w:tbl></w:tc>"),
        _every(4, "<w:tcPr>", "<w:tcPr><w:hMerge/>"),
        _every(3, "<w:tcPr>", '<w:tcPr><w:tcPrChange w:id="1" w:author="a"><w:tcPr><w:vMerge/></w:tcPr></w:tcPrChange>'),
        _every(5, "<w:tcPr>", '<w:tcPr><w:vMerge w:val="restart"/><w:vMerge/><w:hMerge w:val="restart"/>'),
    ],
    ids=[
        "as-built", "breaks-and-tabs", "empty-paragraphs", "hyperlinks", "text-beside-paragraphs", "nested-tables",
        "merged-across", "merge-in-a-tracked-change", "first-merge-counts",
    ],
)
@pytest.mark.slow  # builds Word files with python-docx's cell API
def test_plain_tables_read_as_the_step_by_step_walk_reads_them(seed_doc, change) -> None:
    """The one-pass reading of plain tables gives exactly what the general walk gives."""
    data = docx_bytes(seed_doc, merge=True)
    fast, general = read_docx(_variant(data, change, general=False)), read_docx(_variant(data, change, general=True))
    assert fast.blocks == general.blocks
    assert fast.tables


def _nested_docx(depth: int) -> bytes:
    """A Word file whose one table holds a table, which holds a table, … `depth` deep."""
    from docx import Document as new_docx

    w = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
    inner = "<w:p><w:r><w:t>deep</w:t></w:r></w:p>"
    for level in range(depth):
        inner = f"<w:tbl><w:tr><w:tc><w:p><w:r><w:t>L{level}</w:t></w:r></w:p>{inner}</w:tc></w:tr></w:tbl><w:p/>"
    body = f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document {w}><w:body>{inner}</w:body></w:document>'
    template = io.BytesIO()
    new_docx().save(template)
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(template.getvalue())) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            dst.writestr(info.filename, body.encode() if info.filename == "word/document.xml" else src.read(info))
    return out.getvalue()


def test_nested_tables_are_each_read_once() -> None:
    """Each level of nesting once doubled the walk (17 deep took 8 s, 24 deep about 19 minutes):
    every table was walked again from each table around it, and listed again each time."""
    doc = read_docx(_nested_docx(16))
    assert [t.rows[0][0].split()[0] for t in doc.tables] == [f"L{level}" for level in reversed(range(16))]


def test_core_properties_that_are_not_core_properties_leave_no_title(seed_doc) -> None:
    """bench/fuzz.py found it: a docProps/core.xml with another root element made python-docx raise
    AttributeError instead of reading the report."""
    data = docx_bytes(seed_doc, merge=True)
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            body = src.read(info)
            if info.filename == "docProps/core.xml":
                body = b'<?xml version="1.0" encoding="UTF-8"?><notCoreProperties xmlns="urn:x"/>'
            dst.writestr(info, body)
    doc = read_docx(out.getvalue())
    assert doc.title is None and doc.tables
