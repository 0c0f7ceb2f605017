"""Plain text: the web page layout (a cell per tab-indented line), tab rows, pipe tables, GB18030."""

from __future__ import annotations

import pytest

from connectors.document import Document, Table, UnreadableFile
from connectors.report_builder import build_report
from connectors.text_reader import document_from_text, read_text
from form.record import Source
from tests.conftest import SEED_TRUTH, load_truth

SOURCE = Source(path="report.txt", sha256="0" * 64, media_type="text/plain")


@pytest.fixture(scope="module")
def seed_doc(seed_bytes: bytes) -> Document:
    return read_text(seed_bytes)


def _relaid(doc: Document, row: str) -> str:
    """The document printed again with each table row on one line: "pipe" or "tabs"."""
    lines: list[str] = []
    for block in doc.blocks:
        if isinstance(block, str):
            lines += [block, ""]
            continue
        for cells in block.rows:
            flat = [c.replace("\n", "") for c in cells]
            lines.append("| " + " | ".join(flat) + " |" if row == "pipe" else "\t".join(flat))
        lines.append("")
    return "\n".join(lines)


# ---- the web page layout (the seed) --------------------------------------------------------------


def test_seed_reads_as_paragraphs_and_three_tables(seed_doc: Document) -> None:
    assert [len(t.rows) for t in seed_doc.tables] == [14, 28, 4]
    assert seed_doc.paragraphs[:3] == [
        "海宁市人民政府办公室",
        "2021年度政府信息公开工作年度报告",
        "一、总体情况",
    ]
    assert seed_doc.paragraphs[-1] == "2022年1月24日"


def test_lines_without_a_tab_continue_the_cell_above(seed_doc: Document) -> None:
    header = seed_doc.tables[1].rows[2]
    assert header[:4] == ["", "", "商业\n企业", "科研\n机构"]


def test_seed_builds_every_cell_of_its_truth(seed_doc: Document) -> None:
    report = build_report(seed_doc, SOURCE)
    assert report.cells == load_truth(SEED_TRUTH)["cells"]
    assert report.problems == []


def test_cells_one_per_line_make_a_row_until_a_blank_line() -> None:
    doc = document_from_text("标题\n\n\t规章\n\t1\n\t2\n\n\t行政许可\n\t3\n\n正文")
    assert doc.blocks == ["标题", Table([["规章", "1", "2"], ["行政许可", "3"]]), "正文"]


def test_a_tab_on_a_blank_line_is_an_empty_cell() -> None:
    doc = document_from_text("\t自然人\n\t\n\t总计\n")
    assert doc.tables[0].rows == [["自然人", "", "总计"]]


def test_blank_lines_of_ideographic_and_no_break_spaces_end_a_row() -> None:
    doc = document_from_text("\t1\n\u3000\u3000\n\t2\n\u00a0\n\t3")
    assert doc.tables[0].rows == [["1"], ["2"], ["3"]]


def test_a_table_of_empty_cells_is_dropped() -> None:
    assert document_from_text("前言\n\t\n\t\n\n后记").blocks == ["前言", "后记"]


def test_paragraphs_lose_their_indent() -> None:
    assert document_from_text("\u3000\u3000一、总体情况  \n").blocks == ["一、总体情况"]


# ---- rows printed on one line --------------------------------------------------------------------


def test_a_line_with_tabs_between_words_is_a_whole_row() -> None:
    doc = document_from_text("信息内容\t本年制发件数\t本年废止件数\n规章\t0\t1\n\n结束")
    table = Table([["信息内容", "本年制发件数", "本年废止件数"], ["规章", "0", "1"]])
    assert doc.blocks == [table, "结束"]


def test_pipe_table_rows_without_the_rule_line() -> None:
    doc = document_from_text("| 项目 | 数量 |\n|---|:---:|\n| 规章 | 2 |\n说明文字")
    assert doc.blocks == [Table([["项目", "数量"], ["规章", "2"]]), "说明文字"]


@pytest.mark.parametrize("row", ["pipe", "tabs"])
def test_seed_relaid_one_row_per_line_builds_the_same_cells(seed_doc: Document, row: str) -> None:
    doc = document_from_text(_relaid(seed_doc, row))
    report = build_report(doc, SOURCE)
    assert report.cells == load_truth(SEED_TRUTH)["cells"]
    assert (report.agency, report.year) == ("海宁市人民政府办公室", 2021)


# ---- bytes -----------------------------------------------------------------------------------


def test_gb18030_bytes_read_like_utf8(seed_bytes: bytes, seed_doc: Document) -> None:
    gb = seed_bytes.decode("utf-8").encode("gb18030")
    assert gb != seed_bytes
    assert read_text(gb) == seed_doc


def test_bom_and_crlf_read_like_plain_utf8(seed_bytes: bytes, seed_doc: Document) -> None:
    windows = b"\xef\xbb\xbf" + seed_bytes.replace(b"\n", b"\r\n")
    assert read_text(windows) == seed_doc


def test_binary_bytes_are_refused() -> None:
    with pytest.raises(UnreadableFile, match="binary"):
        read_text(bytes(range(256)) * 16)
