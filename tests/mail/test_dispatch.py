"""The outbox on a real warehouse (SQLite and PostgreSQL): queued once per content, sent once,
failed sends retried with backoff, resends on request, quarantined files told when identifiable."""

from __future__ import annotations

import time
from datetime import datetime, timedelta
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser
from pathlib import Path

from sqlalchemy import Engine

from mail.dispatch import identify, queue_reports, send_due
from mail.transport import DeliveryError, FolderTransport
from warehouse import outbox
from warehouse.loader import Loader

from ..warehouse.builders import checked, hard, make_report, quarantined, soft

NOW = datetime(2025, 2, 1, 8, 0)
SENDER = "xxgk@province.example"


def _load(engine: Engine, *items) -> list[int]:
    result = Loader(engine).load_chunk(list(items))
    return [s.submission_key for s in result.submissions if s.outcome != "unchanged"]


def _eml(folder: Path) -> list[EmailMessage]:
    return [BytesParser(policy=policy.default).parse(p.open("rb")) for p in sorted(folder.glob("*.eml"))]


class Down:
    """A transport whose server is down."""

    where = "smtp://down"

    def send(self, msg: EmailMessage, name: str) -> None:
        raise DeliveryError("ConnectionRefusedError: [Errno 111] Connection refused")


def test_queued_once_and_sent_once(registered: Engine, tmp_path: Path) -> None:
    report = make_report("淮安市洪泽区人民政府", 2021)
    keys = _load(registered, checked(report, [hard(), soft()]))
    assert queue_reports(registered, keys, NOW) == 1
    assert queue_reports(registered, keys, NOW) == 0  # a rerun queues nothing
    folder = tmp_path / "outbox"
    assert send_due(registered, FolderTransport(folder), SENDER, now=NOW).sent == 1
    assert send_due(registered, FolderTransport(folder), SENDER, now=NOW).sent == 0  # nothing twice
    [mail] = _eml(folder)
    assert mail["To"].addresses[0].addr_spec == "gk@hz.example"
    assert "1处错误" in mail["Subject"]
    with registered.connect() as conn:
        [row] = outbox.status_rows(conn)
    assert (row.state, row.attempts, row.sent_via) == ("sent", 1, str(folder))


def test_a_changed_resubmission_sends_a_new_report(registered: Engine, tmp_path: Path) -> None:
    first = make_report("淮安市洪泽区人民政府", 2021)
    queue_reports(registered, _load(registered, checked(first, [hard()], NOW)), NOW)
    send_due(registered, FolderTransport(tmp_path), SENDER, now=NOW)
    fixed = make_report("淮安市洪泽区人民政府", 2021, salt="fixed")
    queue_reports(registered, _load(registered, checked(fixed, [], NOW + timedelta(days=1))), NOW)
    send_due(registered, FolderTransport(tmp_path), SENDER, now=NOW)
    subjects = [m["Subject"] for m in _eml(tmp_path)]
    assert len(subjects) == 2 and "错误" in subjects[0] and subjects[1].endswith("年报已入库")


def test_a_failed_send_is_retried_after_its_backoff(registered: Engine, tmp_path: Path) -> None:
    queue_reports(registered, _load(registered, checked(make_report("洪泽区教育局", 2021), [soft()])), NOW)
    failed = send_due(registered, Down(), SENDER, now=NOW)
    assert (failed.sent, failed.failed) == (0, 1)
    with registered.connect() as conn:
        [row] = outbox.status_rows(conn)
    assert row.state == "failed" and row.attempts == 1 and "Connection refused" in row.last_error
    assert row.next_attempt_at == NOW + outbox.BACKOFF_FIRST
    assert send_due(registered, FolderTransport(tmp_path), SENDER, now=NOW + timedelta(minutes=1)).sent == 0
    assert send_due(registered, FolderTransport(tmp_path), SENDER, now=NOW + timedelta(minutes=5)).sent == 1
    with registered.connect() as conn:
        [row] = outbox.status_rows(conn)
    assert (row.state, row.attempts, row.last_error) == ("sent", 2, None)


def test_backoff_doubles_up_to_its_ceiling() -> None:
    assert [outbox.backoff(n).total_seconds() / 60 for n in (1, 2, 3)] == [5, 10, 20]
    assert outbox.backoff(20) == outbox.BACKOFF_MAX


def test_resend_queues_the_latest_report_again(registered: Engine, tmp_path: Path) -> None:
    queue_reports(registered, _load(registered, checked(make_report("淮安市人民政府", 2021), [hard()])), NOW)
    send_due(registered, FolderTransport(tmp_path), SENDER, now=NOW)
    with registered.begin() as conn:
        assert outbox.resend(conn, "320800", 2021, NOW) == 1
        assert outbox.resend(conn, "320800", 2019, NOW) == 0
    assert send_due(registered, FolderTransport(tmp_path), SENDER, now=NOW).sent == 1
    with registered.connect() as conn:
        [row] = outbox.status_rows(conn)
    assert (row.state, row.resends) == ("sent", 1)
    assert len(_eml(tmp_path)) == 2


def test_a_quarantined_file_is_told_to_the_agency_its_name_names(registered: Engine, tmp_path: Path) -> None:
    keys = _load(
        registered,
        quarantined("/srv/inbox/洪泽区教育局2021年政府信息公开年报.pdf", "no text layer"),
        quarantined("/srv/inbox/320812-D02_2021.docx", "not a zip file"),
        quarantined("/srv/inbox/scan0001.pdf", "no text layer"),
    )
    assert queue_reports(registered, keys, NOW) == 3
    done = send_due(registered, FolderTransport(tmp_path), SENDER, now=NOW)
    assert done.sent == 2
    mails = _eml(tmp_path)
    assert sorted(m["To"].addresses[0].addr_spec for m in mails) == ["jy@hz.example", "jy@qjp.example"]
    assert all("无法读取" in m["Subject"] and "/srv" not in m.as_string() for m in mails)
    with registered.connect() as conn:
        states = sorted(r.state for r in outbox.status_rows(conn))
        assert states == ["no_address", "sent", "sent"]
        assert len(outbox.unsendable(conn)) == 1


def test_identify_by_id_token_or_longest_name() -> None:
    registry = [("320813", "淮安市洪泽区人民政府", "a@x"), ("320813-D02", "洪泽区教育局", "b@x"), ("320812-D02", "清江浦区教育局", "c@x")]
    assert identify("320813-D02_2021.docx", registry).agency_id == "320813-D02"
    assert identify("淮安市洪泽区人民政府2021年报.pdf", registry).agency_id == "320813"
    assert identify("教育局2021.pdf", registry) is None
    assert identify("scan.pdf", registry) is None


def test_an_agency_without_a_usable_address_is_kept_for_the_summary(registered: Engine, tmp_path: Path) -> None:
    from sqlalchemy import update

    from warehouse.schema import DimAgency

    with registered.begin() as conn:
        conn.execute(update(DimAgency).where(DimAgency.agency_id == "321300").values(email="gk@sq.example,\r\nBcc: x@evil.example"))
        conn.execute(update(DimAgency).where(DimAgency.agency_id == "321302").values(email=None))
    keys = _load(
        registered,
        checked(make_report("宿迁市人民政府", 2021), [soft()]),
        checked(make_report("宿迁市宿城区人民政府", 2021), [soft()]),
    )
    assert queue_reports(registered, keys, NOW) == 2
    done = send_due(registered, FolderTransport(tmp_path), SENDER, now=NOW)
    assert (done.sent, done.no_address) == (0, 1)
    assert _eml(tmp_path) == []
    with registered.connect() as conn:
        rows = outbox.unsendable(conn)
    assert sorted(r.agency_id for r in rows) == ["321300", "321302"]


def test_two_senders_do_not_both_send_a_row(registered: Engine, tmp_path: Path) -> None:
    """A row another run sent after this one listed it as due is skipped, not sent again."""
    queue_reports(registered, _load(registered, checked(make_report("淮安市人民政府", 2021), [hard()])), NOW)
    with registered.connect() as conn:
        [row] = outbox.due(conn, NOW)
    assert send_due(registered, FolderTransport(tmp_path / "a"), SENDER, now=NOW).sent == 1
    with registered.begin() as conn:
        assert outbox.claim(conn, row.outbox_key, NOW) is False


def test_a_row_left_sending_by_a_dead_sender_is_due_again_after_its_lease(registered: Engine, tmp_path: Path) -> None:
    queue_reports(registered, _load(registered, checked(make_report("淮安市人民政府", 2021), [hard()])), NOW)
    with registered.begin() as conn:
        [row] = outbox.due(conn, NOW)
        assert outbox.claim(conn, row.outbox_key, NOW)  # ...and the sender dies here
    assert send_due(registered, FolderTransport(tmp_path), SENDER, now=NOW + timedelta(minutes=1)).sent == 0
    assert send_due(registered, FolderTransport(tmp_path), SENDER, now=NOW + outbox.LEASE).sent == 1


def test_many_due_rows_are_sent_page_by_page(registered: Engine, tmp_path: Path) -> None:
    for n, name in enumerate(("淮安市人民政府", "宿迁市人民政府", "盐城市人民政府", "镇江市人民政府", "洪泽区教育局")):
        queue_reports(registered, _load(registered, checked(make_report(name, 2021, salt=str(n)), [soft()])), NOW)
    assert send_due(registered, FolderTransport(tmp_path), SENDER, now=NOW, page=2).sent == 5
    assert len(_eml(tmp_path)) == 5


def test_a_file_replaced_before_its_mail_went_out_is_not_told(registered: Engine, tmp_path: Path) -> None:
    """Two files of the same agency and year in one run: the agency hears of the latest only."""
    first = checked(make_report("淮安市人民政府", 2021), [hard()], NOW)
    second = checked(make_report("淮安市人民政府", 2021, salt="fixed"), [], NOW + timedelta(hours=1))
    queue_reports(registered, _load(registered, first), NOW)
    queue_reports(registered, _load(registered, second), NOW)
    assert send_due(registered, FolderTransport(tmp_path), SENDER, now=NOW).sent == 1
    [mail] = _eml(tmp_path)
    assert "错误" not in mail["Subject"]
    with registered.connect() as conn:
        assert sorted(r.state for r in outbox.status_rows(conn)) == ["sent", "superseded"]


class Slow(FolderTransport):
    """A folder whose every message takes `seconds` to hand over (a slow server)."""

    def __init__(self, folder: Path, seconds: float) -> None:
        super().__init__(folder)
        self.seconds = seconds

    def send(self, msg: EmailMessage, name: str) -> None:
        time.sleep(self.seconds)
        super().send(msg, name)


def _five_due(engine: Engine) -> None:
    for n, name in enumerate(("淮安市人民政府", "宿迁市人民政府", "盐城市人民政府", "镇江市人民政府", "洪泽区教育局")):
        queue_reports(engine, _load(engine, checked(make_report(name, 2021, salt=str(n)), [soft()])), NOW)


def test_a_pass_bounded_in_time_leaves_the_rest_due_for_the_next(registered: Engine, tmp_path: Path) -> None:
    _five_due(registered)
    first = send_due(registered, Slow(tmp_path, 0.4), SENDER, now=NOW, page=10, limit_seconds=1.0)
    assert 1 <= first.sent < 5 and first.left == 5 - first.sent
    with registered.connect() as conn:
        rows = outbox.status_rows(conn)
    released = [r for r in rows if r.state != "sent"]
    assert {(r.state, r.attempts, r.next_attempt_at) for r in released} == {("pending", 0, NOW)}
    second = send_due(registered, FolderTransport(tmp_path), SENDER, now=NOW)
    assert (first.sent + second.sent, second.left) == (5, 0)
    assert len(_eml(tmp_path)) == 5  # each once


def test_no_time_sends_nothing(registered: Engine, tmp_path: Path) -> None:
    _five_due(registered)
    done = send_due(registered, FolderTransport(tmp_path), SENDER, now=NOW, limit_seconds=0)
    assert (done.sent, done.left) == (0, 5)


def test_a_page_claimed_by_one_sender_is_not_claimed_by_another(registered: Engine) -> None:
    _five_due(registered)
    with registered.begin() as conn:
        first = outbox.claim_page(conn, NOW, 3)
    with registered.begin() as conn:
        second = outbox.claim_page(conn, NOW, 10)
    assert len(first) == 3 and len(second) == 2
    assert not {r.outbox_key for r in first} & {r.outbox_key for r in second}
    with registered.begin() as conn:
        assert outbox.claim_page(conn, NOW + outbox.LEASE - timedelta(seconds=1), 10) == []
