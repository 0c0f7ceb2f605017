"""Word files: merged cells, tables split in two, the 8-column 小计 variant, cells over paragraphs."""

from __future__ import annotations

import copy

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
