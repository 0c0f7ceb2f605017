"""The mail an agency receives about one file: what it says for hard, soft, quarantined, none."""

from __future__ import annotations

from connectors.quality_report import quality_report
from form.record import Finding, Report, Source
from form.rules import RULES_BY_ID, SEVERITY_ZH

SOURCE = Source(path="inbox/320800_2024.docx", sha256="0" * 64, media_type="docx")
REPORT = Report(source=SOURCE, agency="淮安市人民政府", year=2024)

BALANCE = Finding(
    rule="t3.balance",
    severity="hard",
    cells=["t3.new.natural"],
    printed=63,
    expected=60,
    message="表三「自然人」列：本年新收＋上年结转（63）不等于办理结果总计＋结转下年度（60）",
)
CARRYOVER = Finding(
    rule="carryover.requests",
    severity="hard",
    cells=["t3.carried_in.total"],
    message="表三「上年结转」总计为2，上一年度年报「结转下年度继续办理」为0",
    previous="inbox/320800_2023.docx",
)
LATE = Finding(rule="timeliness.published", severity="soft", message="发布日期2025年4月2日晚于3月31日")
UNCHECKED = Finding(rule="carryover.normative_in_force", severity="not_checkable", message="缺少上一年度年报")


def _numbered(body: str) -> list[str]:
    """The numbered finding lines of the body, in order."""
    return [line for line in body.splitlines() if line[:1].isdigit()]


def test_hard_findings_ask_for_a_corrected_resubmission() -> None:
    subject, body = quality_report(
        REPORT, [LATE, BALANCE, CARRYOVER], file_name="320800_2024.docx", state="rejected"
    )
    assert subject.endswith("淮安市人民政府2024年度年报有2处错误，请更正后重新报送")
    assert body.startswith("淮安市人民政府：\n\n贵单位报送的文件「320800_2024.docx」已于系统中处理。")
    assert "年报未通过校验，数据暂未入库" in body
    # hard findings first, each with the rule's statement and id, then its message
    first, second, third = _numbered(body)
    assert first == f"1. [{SEVERITY_ZH['hard']}] {RULES_BY_ID['t3.balance'].statement_zh}（t3.balance）"
    assert second.startswith(f"2. [{SEVERITY_ZH['hard']}]") and second.endswith("（carryover.requests）")
    assert (
        third
        == f"3. [{SEVERITY_ZH['soft']}] {RULES_BY_ID['timeliness.published'].statement_zh}（timeliness.published）"
    )
    assert f"   {BALANCE.message}" in body.splitlines()
    assert "   上年数据来源：inbox/320800_2023.docx" in body.splitlines()


def test_soft_findings_only_say_the_report_was_loaded() -> None:
    subject, body = quality_report(REPORT, [UNCHECKED, LATE], file_name="r.docx", state="loaded")
    assert subject.endswith("淮安市人民政府2024年度年报已接收（2条提示）")
    assert "年报已通过必须项校验并入库" in body
    assert "错误" not in subject
    assert [line.split("]")[0] for line in _numbered(body)] == [
        f"1. [{SEVERITY_ZH['soft']}",
        f"2. [{SEVERITY_ZH['not_checkable']}",
    ]


def test_no_findings_says_nothing_was_found() -> None:
    subject, body = quality_report(REPORT, [], file_name="r.docx", state="loaded")
    assert subject.endswith("年报已接收（0条提示）")
    assert "未发现问题。" in body
    assert _numbered(body) == []


def test_quarantined_file_names_the_reason_and_asks_to_resubmit() -> None:
    subject, body = quality_report(
        None, [], file_name="scan.pdf", state="quarantined", reason="image-only PDF: no text layer to read"
    )
    assert subject.endswith("scan.pdf 无法读取，请重新报送")
    assert body.startswith("贵单位：")
    assert "该文件无法读取：image-only PDF: no text layer to read。请检查文件后重新报送。" in body
    assert "未发现问题" not in body


def test_quarantined_without_a_reason_says_it_is_unknown() -> None:
    _, body = quality_report(None, [], file_name="x.docx", state="quarantined")
    assert "该文件无法读取：原因不明。" in body


def test_a_report_without_agency_or_year_is_addressed_to_the_unit() -> None:
    anonymous = Report(source=SOURCE)
    subject, body = quality_report(anonymous, [BALANCE], file_name="r.docx", state="rejected")
    assert "贵单位年报有1处错误" in subject and "年度" not in subject
    assert body.startswith("贵单位：")


def test_a_rule_unknown_to_the_form_is_named_by_its_id() -> None:
    odd = Finding(rule="custom.rule", severity="soft", message="说明")
    _, body = quality_report(REPORT, [odd], file_name="r.docx", state="loaded")
    assert _numbered(body) == [f"1. [{SEVERITY_ZH['soft']}] custom.rule（custom.rule）"]
