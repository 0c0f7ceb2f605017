"""What a quality report tells: the submission's facts, findings by severity with the catalogue's
labels, carryover sources by file name and date, what passed; never a server path."""

from __future__ import annotations

from datetime import datetime

from form import mail as words
from form.record import Finding
from mail.content import Submitted, build_report, file_name_of, scrub_paths, where
from mail.render_html import html_body
from mail.render_text import text_body

SERVER = "/srv/xxgk/inbox/2021/360908-T001_2021.docx"
LAST_YEAR = "/srv/xxgk/archive/2020/360908-T001_2020.docx"
CARRYOVER = Finding(
    rule="carryover.requests",
    severity="hard",
    cells=["t3.carried_in.natural"],
    printed=5,
    expected=7,
    message=f"表三上年结转填报为5，但上一年度年报（{LAST_YEAR}）结转下年度为7。",
    previous=LAST_YEAR,
)
LATE = Finding(rule="timeliness.published", severity="soft", printed="2022-05-01", expected="2022-03-31", message="晚了")
UNREGISTERED = Finding(rule="registry.unregistered", severity="soft", printed="某某局", message="未登记机关")


def submitted(*findings: Finding, state: str = "rejected", reason: str | None = None) -> Submitted:
    return Submitted(7, SERVER, datetime(2022, 1, 10, 9), state, reason, "360908-T001", "某某局", 2021, findings)  # type: ignore[arg-type]


def test_the_facts_of_the_submission() -> None:
    report = build_report(submitted(CARRYOVER))
    assert dict(report.facts()) == {
        words.FIELD_AGENCY: "某某局",
        words.FIELD_YEAR: "2021",
        words.FIELD_FILE: "360908-T001_2021.docx",
        words.FIELD_RECEIVED: "2022年1月10日",
        words.FIELD_STATUS: "退回更正",
    }
    assert "1处错误" in report.subject()


def test_each_status_in_its_words() -> None:
    assert build_report(submitted(LATE, state="loaded")).facts()[-1][1] == "已入库"
    unreadable = build_report(submitted(state="quarantined", reason=f"cannot read {SERVER}"))
    assert unreadable.facts()[-2:] == [(words.FIELD_STATUS, "无法读取"), (words.FIELD_REASON, "cannot read 360908-T001_2021.docx")]
    assert unreadable.passed == [] and "无法读取" in unreadable.subject()


def test_a_scan_held_for_review_says_why_under_its_own_label() -> None:
    """Found rendering the mail: the reason was dropped and read 'unreadable: reason unknown'."""
    held = build_report(submitted(state="review", reason=f"OCR could not decide t3.granted.total in {SERVER}"))
    assert held.facts()[-2:] == [
        (words.FIELD_STATUS, words.STATUS_WORDS["review"]),
        (words.FIELD_REVIEW_REASON, "OCR could not decide t3.granted.total in 360908-T001_2021.docx"),
    ]


def test_a_scan_held_for_review_lists_its_uncertain_cells_apart_and_is_not_called_loaded() -> None:
    """Found rendering the mail: the subject said 已入库 and the cells sat under 提示 (不影响入库)."""
    from expectations.ocr_findings import ocr_findings
    from form.placing_messages import review_summary
    from form.record import OcrNote
    from tests.warehouse.builders import make_report

    notes = [
        OcrNote(cell="t3.new.natural", text="1?", conf=0.41, value=None, uncertain=True),
        OcrNote(cell="t4.review.upheld", text="", conf=0.0, value=None, uncertain=True),
        OcrNote(cell="t3.carried_out.total", text="3", conf=0.38, value=8),
    ]
    scan = make_report("某某局", 2021, media_type="application/pdf").model_copy(update={"ocr": notes})
    reason = review_summary(["t3.new.natural", "t4.review.upheld"])
    held = build_report(submitted(*ocr_findings(scan), state="review", reason=reason))
    assert held.facts()[-1] == (words.FIELD_REVIEW_REASON, reason)
    assert "表三「一、本年新收政府信息公开申请数量」行「自然人」列" in reason
    assert [x.rule for x in held.review] == ["ocr.uncertain", "ocr.uncertain"]
    assert [x.rule for x in held.soft] == ["ocr.corrected"] and held.hard == []
    assert held.subject() == words.SUBJECT_REVIEW.format(agency="某某局", year="2021年度", n=2)
    assert "已入库" not in held.subject()
    assert all(x.expected is None for x in held.review)  # nothing to expect: the read is what to check
    not_read = next(x for x in held.review if x.printed is None)
    assert "未能识别" in not_read.message
    text, html = text_body(held), html_body(held)
    heading = words.HEADING_REVIEW.format(n=2)
    assert heading in text and heading in html
    assert text.index(heading) < text.index(words.HEADING_SOFT.format(n=1))
    # its arithmetic ran on what OCR read (and repaired with it): nothing is called passed yet
    assert held.passed == [] and words.PASSED_PENDING_REVIEW in text and words.PASSED_PENDING_REVIEW in html


def test_a_scan_held_for_review_is_told_what_happens_next_not_to_correct_and_resubmit() -> None:
    """Found reading the mail: a held scan, with nothing wrong in it, ended in 如何重新报送 and
    '请在原文件上更正后…重新报送'."""
    held = build_report(submitted(state="review", reason="OCR could not decide t3.granted.total"))
    for body in (text_body(held), html_body(held)):
        assert words.HEADING_AFTER_REVIEW in body and words.AFTER_REVIEW[0] in body
        assert words.HEADING_RESUBMIT not in body and words.RESUBMIT[0] not in body
    rejected = text_body(build_report(submitted(state="rejected")))
    assert words.HEADING_RESUBMIT in rejected and words.HEADING_AFTER_REVIEW not in rejected


def test_an_unreadable_file_is_explained_in_the_agency_words() -> None:
    scanned = build_report(submitted(state="quarantined", reason="image-only PDF: no text layer to read (OCR it first)"))
    assert scanned.reason == words.UNREADABLE_REASON.format(
        advice=words.UNREADABLE_EXPLAINED[0][1], technical="image-only PDF: no text layer to read (OCR it first)"
    )
    assert build_report(submitted(state="quarantined", reason="something new")).reason == "something new"


def test_a_hard_finding_names_section_row_column_values_and_rule() -> None:
    line = build_report(submitted(CARRYOVER), {LAST_YEAR: datetime(2021, 1, 12)}).hard[0]
    assert line.where == "第三部分 表三「二、上年结转政府信息公开申请数量」行「自然人」列"
    assert (line.printed, line.expected) == ("5", "7")
    assert line.statement.startswith("表三「上年结转」")
    assert line.previous == "上年数据来源：360908-T001_2020.docx（2021年1月12日接收）"


def test_soft_findings_are_advice_and_loader_findings_are_told() -> None:
    report = build_report(submitted(CARRYOVER, LATE, UNREGISTERED))
    assert [f.rule for f in report.hard] == ["carryover.requests"]
    assert [f.rule for f in report.soft] == ["timeliness.published", "registry.unregistered"]
    assert report.soft[1].statement.startswith("报送机关不在机关名录中")
    text = text_body(report)
    assert text.index(words.HEADING_HARD.format(n=1)) < text.index(words.HEADING_SOFT.format(n=2))
    assert "未登记机关" in text


def test_what_passed_and_how_to_resubmit() -> None:
    report = build_report(submitted(CARRYOVER))
    from form.rules import RULES, RULES_BY_ID

    assert len(report.passed) == len(RULES) - 1 and RULES_BY_ID["carryover.requests"].statement_zh not in report.passed
    text = text_body(report)
    assert words.HEADING_PASSED in text and words.RESUBMIT[0] in text


def test_no_server_path_in_any_rendering() -> None:
    report = build_report(submitted(CARRYOVER, LATE, state="rejected"), {LAST_YEAR: datetime(2021, 1, 12)})
    for body in (text_body(report), html_body(report), report.model_dump_json(), report.subject()):
        assert "/srv" not in body and "xxgk/inbox" not in body


def test_paths_are_cut_to_file_names() -> None:
    assert file_name_of("s3://bucket/inbox/a b.docx?version=3") == "a b.docx"
    assert file_name_of("C:\\报送\\某局_2021.docx") == "某局_2021.docx"
    assert scrub_paths("见 /srv/a/b.docx，和 file:///x/y.pdf；比例 1/2") == "见 b.docx，和 y.pdf；比例 1/2"


def test_where_without_a_cell_is_the_whole_report() -> None:
    assert where([]) == words.WHERE_REPORT
    assert where(["t3.new.natural", "t3.new.total"]).endswith(words.WHERE_MORE.format(n=2))


def test_the_content_hash_changes_with_the_findings_only() -> None:
    a, b = build_report(submitted(CARRYOVER)), build_report(submitted(CARRYOVER))
    assert a.content_hash() == b.content_hash()
    assert build_report(submitted(CARRYOVER, LATE)).content_hash() != a.content_hash()
