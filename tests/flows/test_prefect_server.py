"""The deployments on a real Prefect server: applied with `prefect deploy`, run by a process worker.

A server is started on 127.0.0.1 (its own PREFECT_HOME), the work pool and deployments of
deployments/prefect.yaml are applied as an operator would, a worker executes the backfill
deployment run with parameters through the API, and the warehouse shows what it did.
Everything runs in subprocesses with an explicit environment, apart from this session's
temporary Prefect API.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import text

from synth.province import generate
from warehouse.engine import engine_scope
from warehouse.queries import facts_for

#: starts a real Prefect server and a process worker
pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _run(args: list[str], env: dict[str, str], timeout: int = 180) -> subprocess.CompletedProcess:
    done = subprocess.run(args, env=env, cwd=ROOT, capture_output=True, text=True, timeout=timeout)
    assert done.returncode == 0, f"{' '.join(args)}\n{done.stdout[-2000:]}\n{done.stderr[-3000:]}"
    return done


def _stop(proc: subprocess.Popen) -> None:
    proc.terminate()
    try:
        proc.wait(timeout=20)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


@pytest.fixture(scope="module")
def server_env(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, str]]:
    home = tmp_path_factory.mktemp("prefect-home")
    port = _free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("PREFECT_")}
    env.update(
        PREFECT_HOME=str(home),
        PREFECT_SERVER_ANALYTICS_ENABLED="false",
        DO_NOT_TRACK="1",
        PREFECT_API_URL=f"http://127.0.0.1:{port}/api",
        PREFECT_LOGGING_LEVEL="WARNING",
    )
    log = (home / "server.log").open("w")
    server = subprocess.Popen(
        [str(BIN / "prefect"), "server", "start", "--host", "127.0.0.1", "--port", str(port)],
        env=env, stdout=log, stderr=subprocess.STDOUT, cwd=home,
    )
    deadline = time.monotonic() + 120
    while True:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/api/health", timeout=2) as r:
                if r.status == 200:
                    break
        except OSError:
            pass
        if server.poll() is not None or time.monotonic() > deadline:
            _stop(server)
            pytest.fail(f"prefect server did not start: {(home / 'server.log').read_text()[-2000:]}")
        time.sleep(1)
    try:
        yield env
    finally:
        _stop(server)
        log.close()


def test_backfill_deployment_runs_through_the_api(server_env, tmp_path) -> None:
    province = tmp_path / "province"
    generate(province, 8, range(2021, 2023), ("html", "txt"), 0.0, seed=5)
    env = dict(server_env, XXGK_HOME=str(tmp_path / "home"))
    _run([str(BIN / "xxgk"), "ingest", "--registry", str(province / "registry.csv"), str(province / "reports")], env)

    url = f"sqlite:///{(tmp_path / 'home' / 'warehouse.sqlite').resolve()}"
    with engine_scope(url) as engine:
        with engine.connect() as conn:
            agency, year = conn.execute(
                text("SELECT agency_id, year FROM fact_application WHERE year = 2022 ORDER BY agency_id LIMIT 1")
            ).one()
            true_value = facts_for(conn, agency, year)["t3.new.total"]
        with engine.begin() as conn:  # what an old parser might have read wrong
            conn.execute(
                text(
                    "UPDATE fact_application SET value = value + 5 WHERE agency_id = :a AND year = :y "
                    "AND outcome_id = 'new' AND applicant_type_id = 'total'"
                ),
                {"a": agency, "y": year},
            )

    prefect = str(BIN / "prefect")
    _run([prefect, "work-pool", "create", "xxgk", "--type", "process"], env)
    _run([prefect, "--no-prompt", "deploy", "--all", "--prefect-file", "deployments/prefect.yaml"], env)
    for name in ("ingest/ingest-submission-season", "aggregate/aggregate-after-deadline", "backfill/backfill"):
        shown = _run([prefect, "deployment", "inspect", name], env).stdout
        assert "'work_pool_name': 'xxgk'" in shown, shown
    assert "0 6 1 2 *" in _run([prefect, "deployment", "inspect", "aggregate/aggregate-after-deadline"], env).stdout

    worker_log = (tmp_path / "worker.log").open("w")
    worker = subprocess.Popen(
        [prefect, "worker", "start", "--pool", "xxgk", "--type", "process"],
        env=env, cwd=ROOT, stdout=worker_log, stderr=subprocess.STDOUT,
    )
    try:
        trigger = (
            "from prefect.deployments import run_deployment\n"
            f"run = run_deployment('backfill/backfill', parameters={{'years': [{year}], 'agencies': ['{agency}']}},"
            " timeout=300)\n"
            "print(run.state.type.value)\n"
        )
        done = _run([sys.executable, "-c", trigger], env, timeout=360)
        assert done.stdout.strip().splitlines()[-1] == "COMPLETED", (tmp_path / "worker.log").read_text()[-3000:]
    finally:
        _stop(worker)
        worker_log.close()

    with engine_scope(url) as engine, engine.connect() as conn:
        assert facts_for(conn, agency, year)["t3.new.total"] == true_value
        modes = {r[0] for r in conn.execute(text("SELECT mode FROM load_audit"))}
    assert "reload" in modes
    shutil.rmtree(tmp_path / "home", ignore_errors=True)
