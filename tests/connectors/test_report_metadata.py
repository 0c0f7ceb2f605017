"""Who printed a report and for which year, read from its title, in every reader where a title can
break over lines: fixtures are the real samples with their titles re-wrapped (and, where the
signature would name the agency anyway, without it, so only the title can)."""

from __future__ import annotations

import ctypes
import io
import re
from pathlib import Path

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_raw
import pytest

from connectors.document import Document, Table
from connectors.pdf_reader import read_pdf_text
from connectors.reading import report_from_bytes
from connectors.report_metadata import find_agency, find_published, find_year
from connectors.text_reader import read_text
from tests.conftest import SAMPLES, load_truth
from tests.connectors.docx_build import docx_bytes

HAINING = SAMPLES / "海宁市人民政府办公室_2021.txt"
HAINING_TITLE = "海宁市人民政府办公室\n\n2021年度政府信息公开工作年度报告"
HUAIAN = SAMPLES / "淮安市人民政府_2024.pdf"
#: the signature under the last section: agency, then the date
HAINING_SIGNATURE = re.compile(r"\n[\s\u3000]*海宁市人民政府办公室[\s\u3000]*\n[\s\u3000]*2022年1月24日[\s\u3000]*$")

#: the ways a title breaks: agency and year above the rest (the common one), 政府 left on the
#: first line, and 信息公开 above 工作年度报告
BREAKS = {
    "year above": "海宁市人民政府办公室2021年度\n政府信息公开工作年度报告",
    "government above": "海宁市人民政府办公室2021年度政府\n信息公开工作年度报告",
    "report below": "海宁市人民政府办公室2021年度政府信息公开\n工作年度报告",
}


def truth_of(sample: Path) -> dict:
    return load_truth(sample.with_name(sample.name + ".truth.json"))


def haining_text(broken: str, signed: bool = True) -> str:
    """The real 海宁 report as copied from its web page, its title re-wrapped."""
    text = HAINING.read_text(encoding="utf-8")
    assert HAINING_TITLE in text
    text = text.replace(HAINING_TITLE, broken, 1)
    if not signed:
        text, dropped = HAINING_SIGNATURE.subn("\n", text)
        assert dropped == 1
    return text


def _text_of(obj, textpage) -> str:
    size = pdfium_raw.FPDFTextObj_GetText(obj.raw, textpage.raw, None, 0)
    buffer = (ctypes.c_ushort * size)()
    pdfium_raw.FPDFTextObj_GetText(obj.raw, textpage.raw, buffer, size)
    return bytes(buffer).decode("utf-16-le").rstrip("\x00")


def huaian_pdf_year_above() -> bytes:
    """The real 淮安 PDF with 「2024年」 moved up beside 「淮安市人民政府」: agency and year on the
    first line, 「政府信息公开工作年度报告」 on the second, as Word often lays a title out."""
    pdf = pdfium.PdfDocument(HUAIAN)
    page = pdf[0]
    textpage = page.get_textpage()
    chars = [o for o in page.get_objects() if o.type == pdfium_raw.FPDF_PAGEOBJ_TEXT]
    title = sorted((o for o in chars if o.get_bounds()[1] > 600), key=lambda o: o.get_bounds()[0])
    first = [o for o in title if o.get_bounds()[1] > 660]  # the two lines of the title, left to right
    second = [o for o in title if o.get_bounds()[1] <= 660]
    assert "".join(_text_of(o, textpage) for o in first) == "淮安市人民政府"
    year = [o for o in second if o.get_bounds()[0] < 200]  # 2024 年
    assert "".join(_text_of(o, textpage) for o in year).replace(" ", "") == "2024年"
    right = max(o.get_bounds()[2] for o in first)
    dx = right + 2 - min(o.get_bounds()[0] for o in year)
    dy = min(o.get_bounds()[1] for o in first) - min(o.get_bounds()[1] for o in year)
    for o in year:
        o.transform(pdfium.PdfMatrix().translate(dx, dy))
    page.gen_content()
    out = io.BytesIO()
    pdf.save(out)
    return out.getvalue()


def haining_docx(broken: str, one_paragraph: bool, signed: bool = True) -> bytes:
    """The 海宁 report as a Word file: the title as two paragraphs, or one with a line break."""
    doc = read_text(haining_text(broken, signed).encode("utf-8"))
    blocks = list(doc.blocks)
    if one_paragraph:
        first, second = broken.split("\n")
        at = blocks.index(first)
        assert blocks[at + 1] == second
        blocks[at : at + 2] = [broken]
    return docx_bytes(Document(blocks=blocks))


@pytest.mark.parametrize("broken", list(BREAKS.values()), ids=list(BREAKS))
@pytest.mark.parametrize("signed", [True, False], ids=["signed", "unsigned"])
def test_text_title_broken_over_lines(broken: str, signed: bool) -> None:
    truth = truth_of(HAINING)
    report = report_from_bytes(haining_text(broken, signed).encode("utf-8"), "haining.txt")
    assert (report.agency, report.year) == (truth["agency"], truth["year"])
    assert report.cells == truth["cells"]


def test_pdf_title_broken_over_lines() -> None:
    """The issue's case: every cell right, and the agency read too."""
    data = huaian_pdf_year_above()
    doc = read_pdf_text(data)
    assert doc.paragraphs[:2] == ["淮安市人民政府2024 年", "政府信息公开工作年度报告"]
    truth = truth_of(HUAIAN)
    report = report_from_bytes(data, "huaian.pdf")
    assert (report.agency, report.year, report.version) == (truth["agency"], truth["year"], truth["version"])
    assert report.cells == truth["cells"]


@pytest.mark.slow  # builds Word files with python-docx's cell API
@pytest.mark.parametrize("one_paragraph", [False, True], ids=["two paragraphs", "line break"])
@pytest.mark.parametrize("broken", list(BREAKS.values()), ids=list(BREAKS))
def test_docx_title_broken_over_lines(broken: str, one_paragraph: bool) -> None:
    truth = truth_of(HAINING)
    report = report_from_bytes(haining_docx(broken, one_paragraph, signed=False), "haining.docx")
    assert (report.agency, report.year) == (truth["agency"], truth["year"])
    assert report.cells == truth["cells"]


def test_a_title_on_one_line_names_agency_and_year() -> None:
    doc = Document(blocks=["淮安市人民政府2024年政府信息公开工作年度报告", "一、总体情况"])
    assert (find_agency(doc), find_year(doc)) == ("淮安市人民政府", 2024)


@pytest.mark.parametrize("above", ["淮安市人民政府2024年", "淮安市人民政府2024年度", "2024年淮安市人民政府"])
def test_the_agency_line_above_an_undated_title_is_joined(above: str) -> None:
    doc = Document(blocks=[above, "政府信息公开工作年度报告", "一、总体情况"])
    assert (find_agency(doc), find_year(doc)) == ("淮安市人民政府", 2024)


def test_a_dated_line_that_is_not_part_of_the_title_is_not_joined() -> None:
    """A date above the title (a web page's 发布时间) is no agency; the agency comes from elsewhere."""
    doc = Document(
        blocks=[
            "发布时间：2024年1月20日",
            "政府信息公开工作年度报告",
            "一、总体情况",
            Table(rows=[["x"]]),
            "淮安市人民政府",
            "2025年1月20日",
        ]
    )
    assert find_agency(doc) == "淮安市人民政府"
    assert find_published(doc).isoformat() == "2025-01-20"


def test_a_dated_title_wins_over_an_undated_one_printed_above_it() -> None:
    # a cover line names the report without a year; the title under it names agency and year
    doc = Document(blocks=["政府信息公开工作年度报告", "目录", "清河县教育局2023年政府信息公开工作年度报告", "一、总体情况"])
    assert find_year(doc) == 2023
    assert find_agency(doc) == "清河县教育局"


def test_a_tie_between_years_the_text_names_goes_to_the_first_named_in_every_process() -> None:
    """Found by h4 fuzzing: the tie was broken by a set's order, i.e. by the process's string
    hash seed, so one file's year could change from one run to the next."""
    from connectors.document import Document
    from connectors.report_metadata import find_year_and_source

    for first, second in (("2023", "2024"), ("2024", "2023")):
        doc = Document(blocks=[f"本机关{first}年做了很多工作，{second}年将继续努力。"])
        assert find_year_and_source(doc, None) == (int(first), "text")
