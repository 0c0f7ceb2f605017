"""Crash-safe mail (issue 14): a chunk's quality reports are queued in the load's own transaction,
and a sender that died mid-send has its rows taken back at once by the next pass on this host."""

from __future__ import annotations

import subprocess
import sys
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller
from sqlalchemy import Connection, Engine, func, select

from mail.dispatch import queue_chunk_reports, send_due, utc_now
from mail.sender import is_gone, this_sender
from mail.transport import FolderTransport, SmtpConfig, SmtpTransport
from tests.flows.clirun import free_port
from warehouse import outbox
from warehouse.loader import Loader
from warehouse.records import LoadResult
from warehouse.schema import DimSubmission, Outbox

from ..warehouse.builders import checked, hard, make_report, soft

SENDER = "xxgk@province.example"


def _count(engine: Engine, table) -> int:
    with engine.connect() as conn:
        return conn.execute(select(func.count()).select_from(table)).scalar_one()


def test_a_load_queues_its_reports_in_its_own_transaction(registered: Engine) -> None:
    items = [checked(make_report("淮安市洪泽区人民政府", 2021), [hard()]), checked(make_report("淮安市人民政府", 2021), [soft()])]
    result = Loader(registered, after_chunk=queue_chunk_reports).load_chunk(items)
    assert result.queued == 2
    with registered.connect() as conn:
        rows = outbox.status_rows(conn)
    assert sorted(r.submission_key for r in rows) == sorted(s.submission_key for s in result.submissions)
    again = Loader(registered, after_chunk=queue_chunk_reports).load_chunk(items)  # a rerun: unchanged
    assert again.queued == 0 and _count(registered, Outbox.__table__) == 2


class Inbox:
    """An SMTP server's handler keeping every message it accepted."""

    def __init__(self) -> None:
        self.received: list[EmailMessage] = []

    async def handle_DATA(self, server, session, envelope) -> str:
        self.received.append(BytesParser(policy=policy.default).parsebytes(envelope.content))
        return "250 OK"


class Killed(BaseException):
    """Stands for the process dying after the reports were queued, before the commit."""


def test_a_chunk_that_dies_before_its_commit_keeps_neither_its_load_nor_its_mail(registered: Engine) -> None:
    def queue_then_die(conn: Connection, result: LoadResult) -> int:
        assert queue_chunk_reports(conn, result) == 1  # built from the uncommitted rows
        raise Killed

    item = checked(make_report("淮安市洪泽区人民政府", 2021), [hard()])
    with pytest.raises(Killed):
        Loader(registered, after_chunk=queue_then_die).load_chunk([item])
    assert _count(registered, DimSubmission.__table__) == 0
    assert _count(registered, Outbox.__table__) == 0
    rerun = Loader(registered, after_chunk=queue_chunk_reports).load_chunk([item])  # nothing was lost
    assert (rerun.submissions[0].outcome, rerun.queued) == ("rejected", 1)


def test_a_reload_whose_findings_changed_queues_the_new_report_in_its_transaction(registered: Engine) -> None:
    report = make_report("淮安市洪泽区人民政府", 2021)
    Loader(registered, after_chunk=queue_chunk_reports).load_chunk([checked(report, [hard()])])
    reloaded = Loader(registered, after_chunk=queue_chunk_reports).reload_chunk([checked(report, [])])
    assert reloaded.queued == 1
    same = Loader(registered, after_chunk=queue_chunk_reports).reload_chunk([checked(report, [])])
    assert same.queued == 0  # unchanged: nothing queued twice
    with registered.connect() as conn:
        assert sorted(r.state for r in outbox.status_rows(conn)) == ["pending", "superseded"]


def _dead_sender() -> str:
    """The name a sender process had, after it exited."""
    code = "from mail.sender import this_sender; print(this_sender())"
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.strip()


def test_a_sender_is_gone_only_when_its_process_is() -> None:
    assert not is_gone(this_sender())
    assert is_gone(_dead_sender())
    assert not is_gone("another-host:1:1")  # unknown: its rows wait for the lease
    assert not is_gone("garbled")


def test_rows_held_by_a_dead_sender_are_sent_at_once_by_the_next_pass(registered: Engine, tmp_path: Path) -> None:
    items = [checked(make_report(n, 2021), [soft()]) for n in ("淮安市洪泽区人民政府", "淮安市人民政府")]
    Loader(registered, after_chunk=queue_chunk_reports).load_chunk(items)
    with registered.begin() as conn:
        assert len(outbox.claim_page(conn, utc_now(), 10, _dead_sender())) == 2  # ...and that sender was killed
    assert send_due(registered, FolderTransport(tmp_path), SENDER).sent == 2
    assert len(list(tmp_path.glob("*.eml"))) == 2


def test_rows_held_by_a_live_sender_are_left_to_it(registered: Engine, tmp_path: Path) -> None:
    Loader(registered, after_chunk=queue_chunk_reports).load_chunk([checked(make_report("淮安市人民政府", 2021), [soft()])])
    with registered.begin() as conn:
        assert len(outbox.claim_page(conn, utc_now(), 10, this_sender())) == 1
    assert send_due(registered, FolderTransport(tmp_path), SENDER).sent == 0


class Dies(SmtpTransport):
    """A real SMTP transport whose process dies (an exception nothing catches) after `alive` mails."""

    def __init__(self, config: SmtpConfig, alive: int) -> None:
        super().__init__(config)
        self.alive = alive

    def send(self, msg: EmailMessage, name: str = "") -> None:
        if self.alive == 0:
            raise Killed
        self.alive -= 1
        super().send(msg, name)


def test_through_smtp_each_mail_is_recorded_as_it_goes_so_a_dead_sender_doubles_none(registered: Engine) -> None:
    """Killed after two of five mails: those two are recorded sent, the next pass sends the other
    three; the server receives each mail once (recorded per page, it would receive two twice)."""
    names = ("淮安市洪泽区人民政府", "淮安市人民政府", "宿迁市人民政府", "盐城市人民政府", "镇江市人民政府")
    Loader(registered, after_chunk=queue_chunk_reports).load_chunk([checked(make_report(n, 2021), [soft()]) for n in names])
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    try:
        config = SmtpConfig(host="127.0.0.1", port=controller.port, security="none")
        with pytest.raises(Killed):
            send_due(registered, Dies(config, alive=2), SENDER)
        with registered.connect() as conn:
            assert sorted(r.state for r in outbox.status_rows(conn)) == ["sending"] * 3 + ["sent"] * 2
        later = utc_now() + outbox.LEASE  # this process lives on: its rows wait for their lease
        assert send_due(registered, SmtpTransport(config), SENDER, now=later).sent == 3
    finally:
        controller.stop()
    subjects = [str(msg["Subject"]) for msg in inbox.received]
    assert len(subjects) == 5 and len(set(subjects)) == 5


def test_an_unflushed_mark_leaves_the_connection_durable_for_the_next_transaction(registered: Engine) -> None:
    """The pool hands the same connection to the next load: it must flush its commits again."""
    setting = "PRAGMA synchronous" if registered.dialect.name == "sqlite" else "SHOW synchronous_commit"
    with registered.connect() as conn:
        before = conn.exec_driver_sql(setting).scalar_one()
    with outbox.unflushed(registered) as conn:
        during = conn.exec_driver_sql(setting).scalar_one()
    with registered.connect() as conn:
        after = conn.exec_driver_sql(setting).scalar_one()
    assert str(during) in ("0", "off") and after == before and str(before) not in ("0", "off")
