"""Prefect's environment, picked in one place: defaults that never override the user's, the first
start recognised, and an API checked before a flow runs."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest
from prefect.settings import (
    PREFECT_API_URL,
    PREFECT_HOME,
    PREFECT_SERVER_DATABASE_CONNECTION_URL,
    temporary_settings,
)

from flows import prefect_env
from flows.errors import CommandError
from tests.flows.clirun import free_port

QUIET = ("PREFECT_LOGGING_HANDLERS_CONSOLE_LEVEL", "PREFECT_LOGGING_LEVEL", "PREFECT_SERVER_LOGGING_LEVEL")
TIMEOUT = "PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS"


def test_configure_sets_defaults_and_keeps_the_users_values(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in (*QUIET, TIMEOUT, "PREFECT_SERVER_ANALYTICS_ENABLED"):
        monkeypatch.delenv(name, raising=False)
    prefect_env.configure()
    assert os.environ[TIMEOUT] == str(prefect_env.STARTUP_TIMEOUT_SECONDS)
    assert os.environ["PREFECT_LOGGING_HANDLERS_CONSOLE_LEVEL"] == "CRITICAL"
    assert os.environ["PREFECT_SERVER_ANALYTICS_ENABLED"] == "false"
    monkeypatch.setenv(TIMEOUT, "600")
    monkeypatch.setenv("PREFECT_LOGGING_HANDLERS_CONSOLE_LEVEL", "DEBUG")
    prefect_env.configure()
    assert os.environ[TIMEOUT] == "600" and os.environ["PREFECT_LOGGING_HANDLERS_CONSOLE_LEVEL"] == "DEBUG"


def test_verbose_leaves_prefects_console_alone(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in QUIET:
        monkeypatch.delenv(name, raising=False)
    prefect_env.configure(verbose=True)
    assert not any(name in os.environ for name in QUIET)


def test_the_first_start_is_recognised_by_a_missing_database(tmp_path: Path) -> None:
    # the database where Prefect keeps it by default (a test harness may have pointed it elsewhere)
    with temporary_settings(updates={PREFECT_HOME: tmp_path}, restore_defaults={PREFECT_SERVER_DATABASE_CONNECTION_URL}):
        assert prefect_env.first_start()
        (tmp_path / "prefect.db").write_bytes(b"")
        assert not prefect_env.first_start()


def test_a_configured_server_that_does_not_answer_is_said_plainly() -> None:
    url = f"http://127.0.0.1:{free_port()}/api"
    with temporary_settings(updates={PREFECT_API_URL: url}):
        assert prefect_env.configured_api_url() == url
        with pytest.raises(CommandError) as raised:
            prefect_env.start_api()
    assert raised.value.line == f"xxgk: Prefect server {url}: does not answer ([Errno 111] Connection refused)"
    assert "prefect server start" in raised.value.hint


@pytest.mark.slow  # starts Prefect's test API
def test_a_running_server_is_used_at_once(prefect_api) -> None:
    started = time.monotonic()
    assert prefect_env.start_api() < 10
    assert time.monotonic() - started < 10
