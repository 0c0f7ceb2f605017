"""Every error said in one line: real exceptions from the libraries, explained by what failed."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import create_engine
from sqlalchemy.exc import OperationalError

from flows.errors import EXIT_INFRASTRUCTURE, EXIT_INTERNAL, CommandError, ErrorContext, explain
from flows.settings import Settings

DEAD_WAREHOUSE = "postgresql+psycopg://nobody:secret@127.0.0.1:1/x"


def _raised(action) -> BaseException:
    try:
        action()
    except BaseException as exc:
        return exc
    raise AssertionError("nothing was raised")


def test_an_unreachable_warehouse_is_named_without_its_password() -> None:
    exc = _raised(lambda: create_engine(DEAD_WAREHOUSE).connect())
    assert isinstance(exc, OperationalError)
    error = explain(exc, ErrorContext(warehouse_url=DEAD_WAREHOUSE))
    assert error.line.startswith("xxgk: warehouse postgresql+psycopg://nobody:***@127.0.0.1:1/x: connection failed")
    assert "secret" not in error.line and "\n" not in error.line
    assert error.code == EXIT_INFRASTRUCTURE and "XXGK_WAREHOUSE_URL" in error.hint


def test_the_first_known_cause_explains_a_wrapped_error() -> None:
    def wrapped() -> None:
        try:
            create_engine(DEAD_WAREHOUSE).connect()
        except OperationalError as exc:
            raise RuntimeError("task failed") from exc

    error = explain(_raised(wrapped), ErrorContext(warehouse_url=DEAD_WAREHOUSE))
    assert error.line.startswith("xxgk: warehouse postgresql+psycopg://nobody:***@127.0.0.1:1/x:")


def test_a_file_under_xxgk_home_names_the_home(tmp_path: Path) -> None:
    exc = _raised(lambda: (tmp_path / "no" / "such" / "file").read_bytes())
    error = explain(exc, ErrorContext(home=tmp_path))
    assert error.line == f"xxgk: XXGK_HOME {tmp_path}: no such file or directory ({tmp_path / 'no' / 'such' / 'file'})"
    elsewhere = explain(exc, ErrorContext(home=tmp_path / "other"))
    assert elsewhere.line == f"xxgk: {tmp_path / 'no' / 'such' / 'file'}: no such file or directory"


def test_text_that_is_not_utf8() -> None:
    error = explain(_raised(lambda: "你好".encode("gbk").decode("utf-8")))
    assert error.line.startswith("xxgk: a text file: not UTF-8 (")
    assert "CSV UTF-8" in error.hint


def test_a_bad_setting_names_the_variable(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XXGK_CHUNK_SIZE", "many")
    error = explain(_raised(Settings))
    assert error.line.startswith("xxgk: configuration: XXGK_CHUNK_SIZE: Input should be a valid integer")


def test_anything_else_is_an_internal_error_with_the_debug_hint() -> None:
    error = explain(_raised(lambda: {}["missing"]))
    assert error.line == "xxgk: internal error: KeyError: 'missing'"
    assert error.code == EXIT_INTERNAL and "--debug" in error.hint


def test_a_command_error_is_said_as_given() -> None:
    error = CommandError("registry r.csv", "no such file or directory", "check the path", 2)
    assert explain(error) is error and error.line == "xxgk: registry r.csv: no such file or directory"
