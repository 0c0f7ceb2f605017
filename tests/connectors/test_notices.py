"""Who is told what after a load: placed files with hard or soft findings, to agencies with an e-mail, once."""

from __future__ import annotations

from connectors.notices import agencies_to_tell, notice_key, notices
from form.record import Finding, Report, Source
from warehouse.records import CheckedSubmission, SubmissionResult

HARD = Finding(rule="t3.balance", severity="hard", message="表三不平衡")
SOFT = Finding(rule="blank.totals", severity="soft", message="总计栏留空")
NOT_CHECKABLE = Finding(rule="carryover.requests", severity="not_checkable", message="无法核对")
EMAILS = {"320800": "gk@ha.example", "320900": "gk@yc.example"}


def checked(name: str, *findings: Finding, readable: bool = True) -> CheckedSubmission:
    source = Source(path=f"inbox/2024/{name}.docx", sha256=name.encode().hex().ljust(64, "0"), media_type="x")
    report = Report(source=source, agency=f"{name}人民政府", year=2024) if readable else None
    return CheckedSubmission.of(source, report, list(findings), None if readable else "unreadable")


def placed(item: CheckedSubmission, outcome: str, agency_id: str | None) -> SubmissionResult:
    return SubmissionResult(
        sha256=item.source.sha256,
        path=item.source.path,
        outcome=outcome,  # type: ignore[arg-type]
        submission_key=1,
        agency_id=agency_id,
    )


def test_a_placed_file_with_findings_is_told_to_its_agency() -> None:
    rejected, loaded = checked("淮安", HARD, SOFT), checked("盐城", SOFT)
    found = notices(
        [rejected, loaded], [placed(rejected, "rejected", "320800"), placed(loaded, "loaded", "320900")], EMAILS
    )
    assert [(n.recipient, n.key) for n in found] == [
        ("gk@ha.example", notice_key(rejected.source.sha256, "320800")),
        ("gk@yc.example", notice_key(loaded.source.sha256, "320900")),
    ]
    assert "1处错误" in found[0].subject
    assert "淮安.docx" in found[0].body and "表三不平衡" in found[0].body and "总计栏留空" in found[0].body
    assert "已接收（1条提示）" in found[1].subject


def test_not_checkable_alone_and_no_findings_are_not_worth_a_mail() -> None:
    quiet, unsure = checked("淮安"), checked("盐城", NOT_CHECKABLE)
    results = [placed(quiet, "loaded", "320800"), placed(unsure, "loaded", "320900")]
    assert notices([quiet, unsure], results, EMAILS) == []
    assert agencies_to_tell([quiet, unsure], results) == []


def test_only_loaded_or_rejected_files_are_told() -> None:
    """Bytes already stored were told when they arrived; a quarantined file has no agency."""
    again, unreadable = checked("淮安", HARD), checked("盐城", readable=False)
    results = [placed(again, "unchanged", "320800"), placed(unreadable, "quarantined", None)]
    assert notices([again, unreadable], results, EMAILS) == []


def test_an_agency_without_a_contact_e_mail_is_not_written_to() -> None:
    item = checked("淮安", HARD)
    assert notices([item], [placed(item, "rejected", "320800")], {}) == []
    assert agencies_to_tell([item], [placed(item, "rejected", "320800")]) == ["320800"]


def test_the_same_bytes_twice_in_a_chunk_make_one_notice() -> None:
    """The load places the first copy and leaves the second unchanged; the agency hears once."""
    first, second = checked("淮安", HARD), checked("淮安", HARD)
    results = [placed(first, "rejected", "320800"), placed(second, "unchanged", "320800")]
    found = notices([first, second], results, EMAILS)
    assert [n.key for n in found] == [notice_key(first.source.sha256, "320800")]


def test_agencies_to_tell_are_those_with_findings_worth_telling() -> None:
    a, b, c = checked("淮安", SOFT), checked("盐城"), checked("宿迁", HARD)
    results = [placed(a, "loaded", "320800"), placed(b, "loaded", "320900"), placed(c, "rejected", "321300")]
    assert agencies_to_tell([a, b, c], results) == ["320800", "321300"]
