"""The mail an agency receives: every finding, hard ones first, and what happened to the file."""

from __future__ import annotations

from connectors.quality_report import quality_report
from form.record import Finding, Report, Source
from form.rules import RULES_BY_ID, SEVERITY_ZH

SOURCE = Source(path="r.docx", sha256="0", media_type="x")


def test_quality_report_names_every_finding() -> None:
    report = Report(source=SOURCE, agency="淮安市人民政府", year=2024)
    findings = [
        Finding(rule="t3.balance", severity="hard", cells=["t3.new.natural"], message="表三「自然人」列不平衡"),
        Finding(rule="timeliness.published", severity="soft", message="发布晚于3月31日"),
    ]
    subject, body = quality_report(report, findings, file_name="r.docx", state="rejected")
    assert "1处错误" in subject and "淮安市人民政府2024年度" in subject
    assert body.index("表三「自然人」列不平衡") < body.index("发布晚于3月31日")
    assert "（t3.balance）" in body and "（timeliness.published）" in body


def test_hard_findings_come_first_with_severity_word_statement_and_last_years_source() -> None:
    report = Report(source=SOURCE, agency="淮安市人民政府", year=2024)
    findings = [
        Finding(rule="timeliness.published", severity="soft", message="晚发布"),
        Finding(rule="carryover.requests", severity="hard", message="结转不符", previous="/2023/淮安.docx"),
    ]
    _, body = quality_report(report, findings, file_name="r.docx", state="rejected")
    lines = body.splitlines()
    first = lines.index(f"1. [{SEVERITY_ZH['hard']}] {RULES_BY_ID['carryover.requests'].statement_zh}（carryover.requests）")
    assert lines[first + 1 : first + 3] == ["   结转不符", "   上年数据来源：/2023/淮安.docx"]
    assert lines[first + 3].startswith(f"2. [{SEVERITY_ZH['soft']}]")


def test_an_accepted_report_with_advice_only_says_it_was_loaded() -> None:
    report = Report(source=SOURCE, agency="东安县教育局", year=2023)
    findings = [Finding(rule="blank.totals", severity="soft", message="总计栏留空")]
    subject, body = quality_report(report, findings, file_name="r.docx", state="loaded")
    assert "已接收（1条提示）" in subject
    assert "已通过必须项校验并入库" in body and "未通过" not in body


def test_an_unreadable_file_is_named_with_its_reason_and_no_agency() -> None:
    subject, body = quality_report(None, [], file_name="scan.pdf", state="quarantined", reason="不是年报")
    assert "scan.pdf 无法读取" in subject
    assert body.startswith("贵单位：")
    assert "该文件无法读取：不是年报。" in body and "未发现问题" not in body
