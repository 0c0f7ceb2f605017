"""PDFs: the fast text layer and the ruled tables of a real report; files that cannot be read."""

from __future__ import annotations

import pytest

from connectors.document import Document, UnreadableFile
from connectors.pdf_reader import read_pdf, read_pdf_text
from connectors.reading import report_from_bytes
from connectors.report_builder import build_report
from form.layout import PAGE_FOOTER
from form.record import Source
from tests.conftest import SAMPLES, load_truth
from tests.connectors import pdf_build

SAMPLE = SAMPLES / "淮安市人民政府_2024.pdf"
SOURCE = Source(path=SAMPLE.name, sha256="0" * 64, media_type="application/pdf")
READERS = [read_pdf_text, read_pdf]


@pytest.fixture(scope="module")
def sample() -> bytes:
    return SAMPLE.read_bytes()


@pytest.fixture(scope="module")
def fast(sample: bytes) -> Document:
    return read_pdf_text(sample)


@pytest.fixture(scope="module")
def ruled(sample: bytes) -> Document:
    return read_pdf(sample)


def _truth() -> dict:
    return load_truth(SAMPLE.with_name(SAMPLE.name + ".truth.json"))


# ---- the real sample -------------------------------------------------------------------------


def test_text_layer_is_lines_without_tables(fast: Document) -> None:
    assert fast.wrapped and fast.tables == []
    assert fast.blocks[:2] == ["淮安市人民政府", "2024 年政府信息公开工作年度报告"]
    # a paragraph broken at the page margin stays broken: lines, not paragraphs
    assert fast.blocks[2].endswith("《中华人民共和国政府")


def test_text_layer_drops_the_page_footers(sample: bytes, fast: Document) -> None:
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(sample)
    # every page's text starts with its footer (- 1 -, - 2 -, …) in content order
    firsts = [pdf[i].get_textpage().get_text_range().splitlines()[0].strip() for i in range(len(pdf))]
    pdf.close()
    assert firsts == [f"- {n} -" for n in range(1, 7)]
    assert not [b for b in fast.blocks if PAGE_FOOTER.match(b)]


def test_text_layer_builds_every_cell_of_the_truth(fast: Document) -> None:
    report = build_report(fast, SOURCE)
    truth = _truth()
    assert report.cells == truth["cells"]
    assert (report.agency, report.year, report.version) == (truth["agency"], truth["year"], truth["version"])
    assert report.problems == []


def test_ruled_tables_joined_across_pages(ruled: Document) -> None:
    # table 二 and table 三 each run over two pages; the framed one-column boxes are no tables
    assert [len(t.rows) for t in ruled.tables] == [14, 28, 4]
    assert not ruled.wrapped
    t3 = ruled.tables[1]
    assert max(len(r) for r in t3.rows) == 10
    assert any("本年新收" in c for c in t3.rows[3])


def test_ruled_reading_joins_wrapped_lines_into_paragraphs(ruled: Document) -> None:
    opening = next(p for p in ruled.paragraphs if p.startswith("本报告由"))
    assert "《中华人民共和国政府信息公开条例》" in opening
    assert opening.endswith("。")
    assert "一、总体情况" in ruled.paragraphs


def test_ruled_tables_build_every_cell_of_the_truth(ruled: Document) -> None:
    report = build_report(ruled, SOURCE)
    assert report.cells == _truth()["cells"]
    assert report.problems == []


# ---- files that cannot be read -----------------------------------------------------------------


@pytest.mark.parametrize("reader", READERS, ids=lambda r: r.__name__)
def test_encrypted_pdf_is_refused(reader) -> None:
    with pytest.raises(UnreadableFile, match="^encrypted PDF: cannot read without the password$"):
        reader(pdf_build.encrypted_pdf())


def test_the_encrypted_pdf_opens_with_its_password() -> None:
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(pdf_build.encrypted_pdf(), password="secret")
    assert pdf[0].get_textpage().get_text_range().strip() == pdf_build.TEXT


@pytest.mark.parametrize("reader", READERS, ids=lambda r: r.__name__)
def test_image_only_pdf_is_refused(reader) -> None:
    with pytest.raises(UnreadableFile, match="^image-only PDF: no text layer"):
        reader(pdf_build.image_only_pdf())


def test_cid_only_pdf_is_refused_by_the_ruled_reading() -> None:
    with pytest.raises(UnreadableFile, match="no Unicode mapping"):
        read_pdf(pdf_build.cid_only_pdf())


def test_cid_only_pdf_gives_the_fast_reading_nothing_and_the_file_its_reason() -> None:
    data = pdf_build.cid_only_pdf()
    assert build_report(read_pdf_text(data), SOURCE).cells == {}
    with pytest.raises(UnreadableFile, match="no Unicode mapping"):
        report_from_bytes(data, "scan.pdf")


@pytest.mark.parametrize("reader", READERS, ids=lambda r: r.__name__)
def test_truncated_pdf_is_damaged(reader, sample: bytes) -> None:
    with pytest.raises(UnreadableFile, match="^damaged PDF"):
        reader(sample[:20000])


@pytest.mark.parametrize("reader", READERS, ids=lambda r: r.__name__)
def test_too_many_pages_are_refused(reader) -> None:
    with pytest.raises(UnreadableFile, match=r"^limit reached: 201 pages, over 200 \(XXGK_MAX_PAGES\)"):
        reader(pdf_build.blank_pages_pdf(201))


@pytest.mark.parametrize("reader", READERS, ids=lambda r: r.__name__)
def test_a_plain_text_layer_is_read(reader) -> None:
    assert reader(pdf_build.text_pdf()).blocks == [pdf_build.TEXT]
