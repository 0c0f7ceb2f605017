"""`xxgk check` end to end: real reports pass, errors exit 1, unreadable files exit 2, --previous pairs."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest

from flows import cli
from tests.conftest import SEED, real_reports

SPEC_KEYS = {"source", "agency", "year", "status", "findings"}
FINDING_KEYS = {"rule", "severity", "cells", "printed", "expected", "message", "previous"}


def xxgk(argv: list[str], capsys) -> tuple[int, str, str]:
    """Run `xxgk …` through the front door, as a user would."""
    code = cli.main(argv)
    out = capsys.readouterr()
    return code, out.out, out.err


def lines(out: str) -> list[dict]:
    return [json.loads(line) for line in out.splitlines() if line.strip()]


def seed_variant(path: Path, agency: str, year: int, carried_out: int | None = None) -> Path:
    """The seed report printed by another agency name, for another year, optionally carrying requests out."""
    text = SEED.read_text(encoding="utf-8").replace("海宁市人民政府办公室", agency)
    text = text.replace("2021年度政府信息公开工作年度报告", f"{year}年度政府信息公开工作年度报告")
    text = text.replace("须与2020年度", f"须与{year - 1}年度").replace(
        "2022年1月24日", f"{year + 1}年1月24日"
    )
    out = text.splitlines()
    if carried_out is not None:  # 自然人 and 总计 of 四、结转下年度继续办理 (leaves that report unbalanced)
        at = next(i for i, line in enumerate(out) if "四、结转下年度继续办理" in line)
        out[at + 1] = out[at + 7] = f"\t{carried_out}"
    path.write_text("\n".join(out) + "\n", encoding="utf-8")
    return path


def test_real_reports_and_the_seed_pass(capsys) -> None:
    files = [str(p) for p, _ in real_reports()]
    code, out, err = xxgk(["check", "--json", *files], capsys)
    assert code == 0, err
    records = lines(out)
    assert [r["source"]["path"] for r in records] == files
    for r in records:
        assert set(r) == SPEC_KEYS and r["status"] == "pass"
        assert all(set(f) == FINDING_KEYS for f in r["findings"])
        assert [f for f in r["findings"] if f["severity"] == "hard"] == []


def test_a_hard_finding_exits_1(tmp_path, capsys) -> None:
    bad = seed_variant(tmp_path / "bad.txt", "海宁市人民政府办公室", 2021, carried_out=2)
    code, out, _ = xxgk(["check", "--json", str(bad)], capsys)
    assert code == 1
    (record,) = lines(out)
    assert record["status"] == "fail"
    balance = [f for f in record["findings"] if f["rule"] == "t3.balance"]
    assert [f["cells"][0] for f in balance] == ["t3.new.natural", "t3.new.total"]
    assert balance[0]["severity"] == "hard" and balance[0]["expected"] == 65 and balance[0]["printed"] == 63
    assert balance[0]["message"].startswith("表三「自然人」列")


def test_an_unreadable_file_exits_2_and_says_why(tmp_path, capsys) -> None:
    junk = tmp_path / "junk.txt"
    junk.write_text("hello\n", encoding="utf-8")
    code, out, err = xxgk(["check", "--json", str(SEED), str(junk)], capsys)
    assert code == 2
    assert f"xxgk: {junk}: not an annual report" in err
    records = lines(out)
    assert [r["status"] for r in records] == ["pass", "unreadable"]
    assert records[1]["reason"].startswith("not an annual report") and records[1]["findings"] == []
    # the unreadable file is still named by its bytes, in the same shape as a readable one's source
    assert set(records[1]["source"]) == set(records[0]["source"]) == {"path", "sha256", "media_type"}
    assert records[1]["source"]["path"] == str(junk)
    assert records[1]["source"]["sha256"] == hashlib.sha256(b"hello\n").hexdigest()


def test_source_is_the_same_object_in_parse_check_and_for_a_missing_file(tmp_path, capsys) -> None:
    code, out, _ = xxgk(["parse", "--json", str(SEED)], capsys)
    assert code == 0
    (parsed,) = lines(out)
    code, out, _ = xxgk(["check", "--json", str(SEED)], capsys)
    (checked,) = lines(out)
    assert checked["source"] == parsed["source"]
    assert set(parsed["source"]) == {"path", "sha256", "media_type"} and parsed["source"]["media_type"]
    missing = tmp_path / "missing.docx"
    code, out, _ = xxgk(["check", "--json", str(missing)], capsys)
    assert code == 2
    (record,) = lines(out)
    assert record["source"] == {"path": str(missing), "sha256": None, "media_type": None}


def test_unreadable_wins_over_hard_findings(tmp_path, capsys) -> None:
    bad = seed_variant(tmp_path / "bad.txt", "海宁市人民政府办公室", 2021, carried_out=2)
    code, _, _ = xxgk(["check", str(bad), str(tmp_path / "missing.docx")], capsys)
    assert code == 2


def test_previous_pairs_across_name_variants_and_names_the_report(tmp_path, capsys) -> None:
    last = seed_variant(tmp_path / "2021.txt", "海宁市人民政府办公室", 2021, carried_out=2)
    this = seed_variant(tmp_path / "2022.txt", "嘉兴市海宁市人民政府办公室", 2022)
    code, out, _ = xxgk(["check", "--json", str(this), "--previous", str(last)], capsys)
    assert code == 1
    (record,) = lines(out)
    carry = [f for f in record["findings"] if f["rule"] == "carryover.requests"]
    assert [(f["severity"], f["cells"], f["printed"], f["expected"], f["previous"]) for f in carry] == [
        ("hard", ["t3.carried_in.natural"], 0, 2, str(last)),
        ("hard", ["t3.carried_in.total"], 0, 2, str(last)),
    ]
    assert str(last) in carry[0]["message"]
    # last year as printed by the seed carried nothing out: the carryover holds, and is checked
    last_ok = seed_variant(tmp_path / "2021ok.txt", "海宁市人民政府办公室", 2021)
    code, out, _ = xxgk(["check", "--json", str(this), "--previous", str(last_ok)], capsys)
    assert code == 0
    (record,) = lines(out)
    assert [f for f in record["findings"] if f["rule"] == "carryover.requests"] == []
    # the in-force count is now checked too: the seed's 201 is not last year's 201 + issued − repealed
    (normative,) = [f for f in record["findings"] if f["rule"] == "carryover.normative_in_force"]
    assert normative["severity"] == "soft" and normative["previous"] == str(last_ok)


def test_without_previous_the_carryover_is_not_checkable(tmp_path, capsys) -> None:
    this = seed_variant(tmp_path / "2022.txt", "嘉兴市海宁市人民政府办公室", 2022)
    other = seed_variant(tmp_path / "other.txt", "海宁市教育局", 2021)
    code, out, _ = xxgk(["check", "--json", str(this), "--previous", str(other)], capsys)
    assert code == 0
    (record,) = lines(out)
    carry = [f for f in record["findings"] if f["rule"] == "carryover.requests"]
    assert [(f["severity"], f["previous"]) for f in carry] == [("not_checkable", None)]
    assert "未提供同一机关2021年度的年报" in carry[0]["message"]


def test_two_candidates_for_last_year_are_listed(tmp_path, capsys) -> None:
    a = seed_variant(tmp_path / "a.txt", "海宁市人民政府办公室", 2021)
    b = seed_variant(tmp_path / "b.txt", "嘉兴市海宁市人民政府办公室", 2021, carried_out=1)
    this = seed_variant(tmp_path / "2022.txt", "海宁市人民政府办公室", 2022)
    _, out, _ = xxgk(["check", "--json", str(this), "--previous", str(a), str(b)], capsys)
    (record,) = lines(out)
    # the exact name wins: a, not b
    assert [f for f in record["findings"] if f["rule"] == "carryover.requests"] == []
    c = seed_variant(tmp_path / "c.txt", "海宁市人民政府办公室", 2021, carried_out=3)
    _, out, _ = xxgk(["check", "--json", str(this), "--previous", str(a), str(c)], capsys)
    (record,) = lines(out)
    (carry,) = [f for f in record["findings"] if f["rule"] == "carryover.requests"]
    assert carry["severity"] == "not_checkable"
    assert str(a) in carry["message"] and str(c) in carry["message"]


def test_files_checked_together_pair_with_each_other(tmp_path, capsys) -> None:
    last = seed_variant(tmp_path / "2021.txt", "海宁市人民政府办公室", 2021, carried_out=2)
    this = seed_variant(tmp_path / "2022.txt", "海宁市人民政府办公室", 2022)
    _, out, _ = xxgk(["check", "--json", str(last), str(this)], capsys)
    records = lines(out)
    assert [f["previous"] for f in records[1]["findings"] if f["rule"] == "carryover.requests"] == [
        str(last)
    ] * 2


def test_human_output_is_a_table_per_file_in_chinese(tmp_path, capsys) -> None:
    bad = seed_variant(tmp_path / "bad.txt", "海宁市人民政府办公室", 2021, carried_out=2)
    code, out, _ = xxgk(["check", str(bad), str(SEED)], capsys)
    assert code == 1
    assert "未通过" in out and "通过" in out
    assert "t3.balance" in out and "勾稽关系" in out
    assert "共检查 2 份年报：1 份有错误" in out


@pytest.mark.slow  # builds GX Data Docs
def test_data_docs_once_into_the_named_folder(tmp_path, capsys) -> None:
    docs = tmp_path / "docs"
    code, _, err = xxgk(["check", "--json", "--data-docs", str(docs), str(SEED)], capsys)
    assert code == 0
    index = next(docs.rglob("index.html"))
    assert f"Data Docs: {index}" in err
    # a second run into the same folder adds to it
    code, _, _ = xxgk(["check", "--json", "--data-docs", str(docs), str(SEED)], capsys)
    assert code == 0
