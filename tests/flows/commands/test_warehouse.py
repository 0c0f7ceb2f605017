"""`xxgk warehouse …` and `xxgk registry …` against the configured warehouse URL, on both databases."""

from __future__ import annotations

import argparse
from collections.abc import Iterator
from pathlib import Path

import pytest

from flows.commands import registry as registry_command
from flows.commands import warehouse as warehouse_command
from flows.settings import get_settings
from tests.warehouse.builders import REGISTRY_CSV, checked, make_report
from warehouse import migrate
from warehouse.engine import engine_scope
from warehouse.loader import Loader


def _run(*argv: str) -> int:
    parser = argparse.ArgumentParser(prog="xxgk")
    sub = parser.add_subparsers(dest="command", required=True)
    warehouse_command.register(sub)
    registry_command.register(sub)
    args = parser.parse_args(argv)
    return args.handler(args)


@pytest.fixture
def configured(empty_url: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    monkeypatch.setenv("XXGK_WAREHOUSE_URL", empty_url)
    get_settings.cache_clear()
    yield empty_url
    get_settings.cache_clear()


def test_warehouse_upgrade_current_downgrade(configured: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert _run("warehouse", "current") == 0
    assert "empty" in capsys.readouterr().out
    assert _run("warehouse", "upgrade") == 0
    assert f"empty → {migrate.head()}" in capsys.readouterr().out
    assert _run("warehouse", "current") == 0
    assert "up to date" in capsys.readouterr().out
    assert _run("warehouse", "downgrade", "base") == 0
    assert migrate.current(configured) is None
    assert _run("warehouse", "downgrade", "base") == 2


def test_registry_commands(configured: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    registry_file = tmp_path / "registry.csv"
    registry_file.write_text(REGISTRY_CSV, encoding="utf-8")
    assert _run("registry", "load", str(registry_file)) == 2  # no schema yet
    assert "xxgk warehouse upgrade" in capsys.readouterr().err
    _run("warehouse", "upgrade")
    assert _run("registry", "load", str(registry_file)) == 0
    assert "17 agencies" in capsys.readouterr().out

    with engine_scope(configured) as engine:
        Loader(engine).load([checked(make_report("宿城区卫生健康局", 2021))])
    assert _run("registry", "list-unregistered") == 0
    listing = capsys.readouterr().out
    assert "宿城区卫生健康局" in listing and "2021" in listing

    assert _run("registry", "map", "宿城区卫生健康局", "--agency", "nobody") == 2
    assert "not a registered agency" in capsys.readouterr().err
    assert _run("registry", "map", "宿城区卫生健康局", "--agency", "321302-D02") == 0
    assert "moved 1 submission" in capsys.readouterr().out
    assert _run("registry", "list-unregistered") == 0
    assert "no unregistered agencies" in capsys.readouterr().out

    broken = tmp_path / "broken.csv"
    broken.write_text("agency_id,name,level,region_code\nA,甲,bureau,1\n", encoding="utf-8")
    assert _run("registry", "load", str(broken)) == 2
    assert "6 digits" in capsys.readouterr().err


def test_registry_load_refuses_a_bad_email_by_its_line(configured: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A newline or a list in an e-mail field: refused with the row's line, one line each, exit 2."""
    _run("warehouse", "upgrade")
    capsys.readouterr()
    lines = REGISTRY_CSV.rstrip("\n").split("\n")
    lines[2] = lines[2].replace("gk@ha.example", '"gk@ha.example\nBcc: x@evil.example"')
    lines[4] = lines[4].replace("wh@hz.example", "wh@hz.example;boss@hz.example")
    bad = tmp_path / "bad.csv"
    bad.write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert _run("registry", "load", str(bad)) == 2
    err = capsys.readouterr().err.splitlines()
    assert err == [
        "xxgk: line 3: email 'gk@ha.example\\nBcc: x@evil.example' holds a line break, a space or another control character",
        "xxgk: line 6: email 'wh@hz.example;boss@hz.example' holds a list (one address per agency)",
    ]
    with engine_scope(configured) as engine, engine.connect() as conn:
        from sqlalchemy import text

        assert conn.execute(text("SELECT count(*) FROM dim_agency")).scalar() == 0  # nothing loaded
