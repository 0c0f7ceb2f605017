"""The first run on a new machine: a brand-new HOME and PREFECT_HOME for each command, as a new
user or a new worker host has. Prefect's first start (creating its own database) takes 20-60 s
on a small machine, so these run in subprocesses, each once."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from flows.commands.running import exit_code
from synth.province import generate
from tests.flows.clirun import fresh_env, run_xxgk

pytestmark = pytest.mark.slow


def _clean(done: subprocess.CompletedProcess) -> None:
    assert "Traceback" not in done.stderr, done.stderr
    assert not [line for line in done.stderr.splitlines() if line.startswith("xxgk:")], done.stderr


@pytest.fixture(scope="module")
def data(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The XXGK_HOME the three commands share (each with its own new HOME and PREFECT_HOME)."""
    return tmp_path_factory.mktemp("xxgk-data")


@pytest.fixture(scope="module")
def ingested(tmp_path_factory: pytest.TempPathFactory, data: Path) -> tuple[subprocess.CompletedProcess, Path]:
    province = tmp_path_factory.mktemp("province")
    generate(province, 5, range(2022, 2024), ("docx", "html", "txt"), 0.4, seed=3)
    account = tmp_path_factory.mktemp("ingest-account")
    env = fresh_env(account, XXGK_HOME=str(data))
    args = ["ingest", str(province / "reports"), "--registry", str(province / "registry.csv"), "--json"]
    return run_xxgk(args, env, account), province


def test_ingest_on_a_new_machine(ingested) -> None:
    done, province = ingested
    _clean(done)
    lines = [json.loads(line) for line in done.stdout.splitlines()]
    assert sorted(Path(r["source"]["path"]).name for r in lines) == sorted(
        p.name for p in (province / "reports").iterdir()
    )
    states: dict[str, int] = {}
    for r in lines:
        states[r["state"]] = states.get(r["state"], 0) + 1
    assert states.get("loaded") and not states.get("failed") and not states.get("quarantined")
    assert done.returncode == exit_code(states)  # as documented: 1 when any file was rejected


def test_aggregate_on_a_new_machine(ingested, data: Path, tmp_path: Path) -> None:
    done = run_xxgk(["aggregate", "--year", "2023"], fresh_env(tmp_path, XXGK_HOME=str(data)), tmp_path)
    _clean(done)
    assert done.returncode == 0
    assert "2023 汇总" in done.stdout


def test_backfill_dry_run_on_a_new_machine(ingested, data: Path, tmp_path: Path) -> None:
    done = run_xxgk(["backfill", "--dry-run", "--json"], fresh_env(tmp_path, XXGK_HOME=str(data)), tmp_path)
    _clean(done)
    assert done.returncode == 0
    summary = json.loads(done.stdout)
    assert summary["dry_run"] is True and summary["targets"] > 0 and summary["changed"] == []
