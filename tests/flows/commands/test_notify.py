"""`xxgk notify`: sends what is due once, `--status` lists the outbox without any password,
`--resend` sends the latest report again; on both databases, through a real SMTP server."""

from __future__ import annotations

import argparse
from collections.abc import Iterator
from contextlib import suppress

import pytest
from aiosmtpd.controller import Controller

from flows.commands import notify as notify_command
from flows.settings import get_settings
from mail.dispatch import queue_reports
from tests.flows.clirun import free_port
from tests.mail.test_smtp import Inbox
from tests.warehouse.builders import REGISTRY_CSV, checked, hard, make_report
from warehouse import migrate
from warehouse.engine import engine_scope
from warehouse.loader import Loader
from warehouse.registry import load_registry_rows
from warehouse.registry_file import parse_registry

PASSWORD = "never-Show-this-9"


def _run(*argv: str) -> int:
    parser = argparse.ArgumentParser(prog="xxgk")
    sub = parser.add_subparsers(dest="command", required=True)
    notify_command.register(sub)
    args = parser.parse_args(["notify", *argv])
    return args.handler(args)


@pytest.fixture
def queued(warehouse_url: str) -> str:
    migrate.upgrade(warehouse_url)
    rows, _ = parse_registry(REGISTRY_CSV)
    with engine_scope(warehouse_url) as engine:
        with engine.begin() as conn:
            load_registry_rows(conn, rows, as_of=2024)
        result = Loader(engine).load_chunk([checked(make_report("淮安市人民政府", 2021), [hard()])])
        queue_reports(engine, [s.submission_key for s in result.submissions])
    return warehouse_url


@pytest.fixture
def smtp(queued: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[Controller, Inbox]]:
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    for name, value in {
        "XXGK_WAREHOUSE_URL": queued, "XXGK_SMTP_HOST": "127.0.0.1", "XXGK_SMTP_PORT": str(controller.port),
        "XXGK_SMTP_SECURITY": "none", "XXGK_SMTP_PASSWORD": PASSWORD, "XXGK_MAIL_FROM": "xxgk@js.example",
        "XXGK_MAIL_CC": "office@js.example, archive@js.example",
    }.items():
        monkeypatch.setenv(name, value)
    get_settings.cache_clear()
    yield controller, inbox
    get_settings.cache_clear()
    with suppress(AssertionError, RuntimeError):  # a test may have stopped it already
        controller.stop()


def test_notify_sends_once_and_resends_on_request(smtp, capsys: pytest.CaptureFixture[str]) -> None:
    _controller, inbox = smtp
    assert _run() == 0
    assert _run() == 0
    assert len(inbox.received) == 1
    assert inbox.received[0][0] == ["gk@ha.example", "office@js.example", "archive@js.example"]
    assert _run("--resend", "320800", "2021") == 0
    assert len(inbox.received) == 2
    capsys.readouterr()
    assert _run("--status") == 0
    out = capsys.readouterr().out
    assert "sent" in out and "gk@ha.example" in out and PASSWORD not in out


def test_a_failed_send_exits_3_and_shows_no_password(smtp, capsys: pytest.CaptureFixture[str], monkeypatch) -> None:
    controller, _inbox = smtp
    controller.stop()
    monkeypatch.setenv("XXGK_SMTP_USER", "xxgk")
    get_settings.cache_clear()
    assert _run() == 3
    assert _run("--status", "--json") == 0
    out = capsys.readouterr().out
    assert "failed" in out and PASSWORD not in out


def test_resend_of_nothing_is_refused(smtp) -> None:
    from flows.errors import CommandError

    with pytest.raises(CommandError, match="no quality report"):
        _run("--resend", "999999", "2021")
