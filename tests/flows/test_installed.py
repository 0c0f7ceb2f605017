"""Installed with pip (not editable) into a new virtualenv and run from outside the checkout: the
demo's first stage, `xxgk rules` and the served deployments find what they need in the package.

Installing the dependencies takes about two minutes on a small machine (pip's cache or the
configured index), so this runs once, marked slow."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from flows import demo

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[2]
#: what a checkout holds that is no part of the package's sources
NOT_SOURCES = shutil.ignore_patterns(".venv", ".git", "xxgk-data", "build", "dist", "*.egg-info", "__pycache__", ".*_cache")


def _run(args: list[str], cwd: Path, timeout: int = 900) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("XXGK_", "PREFECT_", "PYTHON"))}
    env.update(HOME=str(cwd), XXGK_HOME=str(cwd / "xxgk-data"), COLUMNS="300")
    done = subprocess.run(args, cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout)
    assert done.returncode == 0, f"{' '.join(args)}\n{done.stdout[-2000:]}\n{done.stderr[-3000:]}"
    assert "Traceback" not in done.stderr
    return done


@pytest.fixture(scope="module")
def venv(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A new virtualenv with xxgk installed from a copy of this checkout (not editable)."""
    where = tmp_path_factory.mktemp("installed")
    source = where / "source"
    shutil.copytree(ROOT, source, ignore=NOT_SOURCES, symlinks=True)
    base = getattr(sys, "_base_executable", sys.executable)
    subprocess.run([base, "-m", "venv", str(where / "venv")], check=True, timeout=300)
    pip = [str(where / "venv" / "bin" / "python"), "-m", "pip", "install", "--quiet"]
    _run([*pip, "-c", str(source / "constraints.txt"), str(source)], where)
    shutil.rmtree(source)  # nothing can be read from a checkout any more
    return where / "venv"


def test_nothing_is_imported_from_a_checkout(venv: Path, tmp_path: Path) -> None:
    done = _run([str(venv / "bin" / "python"), "-c", "import flows, deployments; print(flows.__file__, deployments.__file__)"], tmp_path)
    assert all(str(venv) in path for path in done.stdout.split())


def test_the_demos_first_stage_from_an_installed_package(venv: Path, tmp_path: Path) -> None:
    done = _run([str(venv / "bin" / "python"), "-m", "flows.demo", "--stages", "1"], tmp_path)
    for report in demo.sample_reports():
        assert report.name in done.stdout
    assert "1. real published reports" in done.stdout


def test_rules_from_an_installed_package(venv: Path, tmp_path: Path) -> None:
    done = _run([str(venv / "bin" / "xxgk"), "rules", "--json"], tmp_path)
    assert '"id": "t3.balance"' in done.stdout


def test_serve_finds_its_deployments_in_an_installed_package(venv: Path, tmp_path: Path) -> None:
    code = "from flows.deployments import runner_deployments; print([d.entrypoint for d in runner_deployments()])"
    done = _run([str(venv / "bin" / "python"), "-c", code], tmp_path)
    assert "flows.ingest.ingest" in done.stdout and "flows.backfill.backfill" in done.stdout
