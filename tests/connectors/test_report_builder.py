"""The row walk on its own: text lines without ruled tables, labels over lines, typos."""

from __future__ import annotations

import pdfplumber

from connectors.document import Document, Table
from connectors.report_builder import build_report
from connectors.text_reader import read_text
from form.record import Source
from tests.conftest import SAMPLES, SEED_TRUTH, load_truth

SOURCE = Source(path="x", sha256="0" * 64, media_type="text/plain")
PDF = SAMPLES / "淮安市人民政府_2024.pdf"


def test_pdf_text_lines_without_ruled_tables_are_read() -> None:
    """A PDF whose tables have no ruling: only its text lines remain, labels broken over lines."""
    with pdfplumber.open(PDF) as pdf:
        lines = [line for page in pdf.pages for line in (page.extract_text() or "").splitlines()]
    report = build_report(Document(blocks=[line for line in lines if line.strip()]), SOURCE)
    truth = load_truth(PDF.with_name(PDF.name + ".truth.json"))
    assert report.cells == truth["cells"]
    assert (report.agency, report.year, report.version) == (truth["agency"], truth["year"], truth["version"])


def test_mistyped_label_keeps_its_place_in_the_printed_order(seed_bytes) -> None:
    text = seed_bytes.decode("utf-8").replace("2.其他法律行政法规禁止公开", "2.其他法律行政止公开")
    text = text.replace("5.属于三类内部事务信息", "5.属于三类内步信息")
    report = build_report(read_text(text.encode("utf-8")), SOURCE)
    assert report.cells == load_truth(SEED_TRUTH)["cells"]


def test_other_handling_printed_as_one_row_on_2021_tables(seed_bytes) -> None:
    text = seed_bytes.decode("utf-8")
    start = text.index("\t（六）其他处理")
    end = text.index("\t（七）总计")
    one_row = "\t（六）其他处理\n" + "".join(f"\t{v}\n" for v in (1, 0, 0, 0, 0, 0, 1)) + "\n\t\n"
    report = build_report(read_text((text[:start] + one_row + text[end:]).encode("utf-8")), SOURCE)
    assert report.version == "2021"
    assert report.cells["t3.other_all.natural"] == 1 and report.cells["t3.other_all.total"] == 1
    assert not any(k.startswith("t3.other_other") for k in report.cells)
    assert report.problems == []


def test_table_four_printed_as_three_labelled_rows() -> None:
    rows = [["行政复议", "结果维持", "结果纠正", "其他结果", "尚未审结", "总计"]]
    rows += [[label, *map(str, range(i, i + 5))] for i, label in ((1, "行政复议"), (6, "未经复议直接起诉"), (11, "复议后起诉"))]
    report = build_report(Document(blocks=[Table(rows)]), SOURCE)
    assert report.cells["t4.review.upheld"] == 1
    assert report.cells["t4.suit_direct.upheld"] == 6
    assert report.cells["t4.suit_after_review.total"] == 15


def test_markdown_style_text_tables(seed_bytes) -> None:
    """Text pasted as pipe tables, table 4's header left outside its table."""
    doc = read_text(seed_bytes)
    lines = []
    for block in doc.blocks:
        if isinstance(block, str):
            lines.append(block)
            continue
        width = max(len(r) for r in block.rows)
        data_rows = [r for r in block.rows if len(r) == 15 and all(c.isdigit() for c in r)]
        if data_rows:
            lines += ["行政复议行政诉讼", "| " + " | ".join(data_rows[0]) + " |"]
            continue
        lines.append("|" + "---|" * width)
        lines += ["| " + " | ".join(c.replace("\n", "") for c in r) + " |" for r in block.rows]
    report = build_report(read_text("\n".join(lines).encode("utf-8")), SOURCE)
    assert report.cells == load_truth(SEED_TRUTH)["cells"]


def test_cells_one_per_line_without_tabs(seed_bytes) -> None:
    """Text copied by a browser that drops the tabs: every cell a bare line, labels and numbers."""
    flat = "\n".join(line.strip() for line in seed_bytes.decode("utf-8").splitlines() if line.strip())
    report = build_report(read_text(flat.encode("utf-8")), SOURCE)
    assert report.cells == load_truth(SEED_TRUTH)["cells"]
    assert report.agency == "海宁市人民政府办公室"


def test_pdf_ruled_tables_path_reads_every_cell() -> None:
    """The slower pdfplumber path (used when the text layer alone leaves a problem)."""
    from connectors.pdf_reader import read_pdf

    report = build_report(read_pdf(PDF.read_bytes()), SOURCE)
    truth = load_truth(PDF.with_name(PDF.name + ".truth.json"))
    assert report.cells == truth["cells"]
    assert report.problems == []
    assert list(report.narrative) == ["一", "二", "三", "四", "五", "六"]
