"""A recognisable report with a defect is still read; the defect is named down to the cell."""

from __future__ import annotations

import json
from pathlib import Path

from flows.cli import main
from form.catalogue import cells
from tests.conftest import SEED, SEED_TRUTH, load_truth


def _parse(path: Path, capsys) -> tuple[int, dict]:
    code = main(["parse", "--json", str(path)])
    return code, json.loads(capsys.readouterr().out)


def test_missing_table_drops_its_cells_with_one_problem(tmp_path: Path, capsys) -> None:
    text = SEED.read_text(encoding="utf-8")
    start = text.index("四、政府信息公开行政复议")
    end = text.index("五、存在的主要问题")
    damaged = tmp_path / "no_table4.txt"
    damaged.write_text(text[:start] + text[end:], encoding="utf-8")
    code, record = _parse(damaged, capsys)
    assert code == 0
    t4 = {c.id for c in cells("2021", 4)}
    assert not t4 & set(record["cells"])
    assert [p for p in record["problems"] if p["cell"] == "t4"] and len(record["problems"]) == 1
    truth = load_truth(SEED_TRUTH)["cells"]
    assert record["cells"] == {k: v for k, v in truth.items() if k not in t4}


def test_text_in_a_number_cell_is_null_with_its_raw_text(tmp_path: Path, capsys) -> None:
    text = SEED.read_text(encoding="utf-8")
    marker = "\t行政规范性文件\n\t22\n"
    assert marker in text
    damaged = tmp_path / "text_cell.txt"
    damaged.write_text(text.replace(marker, "\t行政规范性文件\n\t详见附件\n"), encoding="utf-8")
    code, record = _parse(damaged, capsys)
    assert code == 0
    assert record["cells"]["t2.normative.issued"] is None
    assert record["problems"] == [
        {"cell": "t2.normative.issued", "raw": "详见附件", "reason": "not a number"}
    ]
    assert record["cells"]["t2.normative.repealed"] == 42


def test_dashes_and_full_width_digits(tmp_path: Path, capsys) -> None:
    text = SEED.read_text(encoding="utf-8")
    text = text.replace("\t行政规范性文件\n\t22\n\t42\n", "\t行政规范性文件\n\t２２\n\t—\n")
    edited = tmp_path / "marks.txt"
    edited.write_text(text, encoding="utf-8")
    _, record = _parse(edited, capsys)
    assert record["cells"]["t2.normative.issued"] == 22
    assert record["cells"]["t2.normative.repealed"] is None
    assert record["problems"] == []


def test_gb18030_text_is_detected(tmp_path: Path, capsys) -> None:
    gbk = tmp_path / "gbk.txt"
    gbk.write_bytes(SEED.read_text(encoding="utf-8").encode("gb18030"))
    code, record = _parse(gbk, capsys)
    assert code == 0
    assert record["cells"] == load_truth(SEED_TRUTH)["cells"]


def test_text_in_a_single_value_row_keeps_the_row(tmp_path: Path, capsys) -> None:
    text = SEED.read_text(encoding="utf-8")
    damaged = tmp_path / "penalty_text.txt"
    damaged.write_text(text.replace("\t行政处罚\n\t0\n", "\t行政处罚\n\t不详\n"), encoding="utf-8")
    code, record = _parse(damaged, capsys)
    assert code == 0
    assert record["cells"]["t2.penalty.decisions"] is None
    assert record["problems"] == [{"cell": "t2.penalty.decisions", "raw": "不详", "reason": "not a number"}]


def test_text_value_before_a_padded_blank_keeps_its_place(capsys, tmp_path: Path) -> None:
    """2019 政府集中采购 printed as 见附件 | amount | (empty padding cell)."""
    from connectors.document import Document, Table
    from connectors.report_builder import build_report
    from form.record import Source

    rows = [
        ["信息内容", "采购项目数量", "采购总金额", ""],
        ["规范性文件", "1", "1", "1"],
        ["政府集中采购", "见附件", "75394432.52元", ""],
    ]
    report = build_report(Document(blocks=[Table(rows)]), Source(path="x", sha256="0", media_type="t"))
    assert report.version == "2019"
    assert report.cells["t2.procurement.projects"] is None
    assert report.cells["t2.procurement.amount"] == 7539.443252
    assert {"cell": "t2.procurement.projects", "raw": "见附件", "reason": "not a number"} in [
        p.model_dump() for p in report.problems
    ]
