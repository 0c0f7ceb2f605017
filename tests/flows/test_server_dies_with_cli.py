"""The temporary Prefect server never outlives `xxgk` (issue 14: it was left running after the
command was killed): interrupted (SIGINT), terminated (SIGTERM) or killed (SIGKILL) — while the
server starts or once it answers — the server process is gone within seconds.

Only the command's own process is signalled, as `kill PID` does, not its process group (a
terminal's Ctrl-C signals the whole group, which would stop the server by itself)."""

from __future__ import annotations

import os
import signal
import subprocess
import time
import urllib.request
from pathlib import Path

import pytest

from tests.conftest import SEED
from tests.flows.clirun import XXGK, fresh_env
from tests.flows.crashing import record

pytestmark = pytest.mark.slow


def _children(pid: int) -> list[int]:
    """Processes whose parent is `pid`."""
    out = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[-1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            out.append(int(stat.parent.name))
    return out


def _cmdline(pid: int) -> list[str]:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().decode(errors="replace").split("\0")
    except OSError:
        return []


def _alive(pid: int) -> bool:
    """Running, not a zombie waiting to be reaped."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[-1].split()[0]
    except OSError:
        return False
    return state != "Z"


def _server_of(cli: subprocess.Popen, timeout: float = 120) -> int:
    """The pid of the uvicorn server the command started."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        for pid in _children(cli.pid):
            if any("uvicorn" in part for part in _cmdline(pid)):
                return pid
        assert cli.poll() is None, f"the command ended (code {cli.returncode}) before its server started"
        time.sleep(0.1)
    raise AssertionError("the command started no temporary server")


def _answers(server: int, timeout: float = 180) -> None:
    args = _cmdline(server)
    port = args[args.index("--port") + 1]
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/api/health", timeout=2) as r:
                if r.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    raise AssertionError("the temporary server never answered")


@pytest.fixture(scope="module")
def account(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One account for the three runs: Prefect's database is created once, not three times."""
    return tmp_path_factory.mktemp("account")


@pytest.mark.parametrize(
    ("sig", "when"),
    [(signal.SIGINT, "starting"), (signal.SIGTERM, "starting"), (signal.SIGKILL, "answering")],
    ids=["SIGINT-while-starting", "SIGTERM-while-starting", "SIGKILL-once-answering"],
)
def test_the_temporary_server_is_gone_soon_after_the_command(account: Path, sig: signal.Signals, when: str) -> None:
    env = fresh_env(account, XXGK_WORKERS="1")
    cli = subprocess.Popen(
        [str(XXGK), "ingest", str(SEED)], env=env, cwd=account, stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL, start_new_session=True,
    )
    server = None
    try:
        server = _server_of(cli)
        if when == "answering":
            _answers(server)
        os.kill(cli.pid, sig)
        cli.wait(timeout=60)
        ended = time.monotonic()
        while _alive(server) and time.monotonic() < ended + 10:
            time.sleep(0.1)
        gone = not _alive(server)
        record(f"server-{sig.name}", {
            "section": "crash", "what": f"temporary Prefect server after {sig.name} to the command ({when})",
            "server_gone": gone, "seconds_after_command": round(time.monotonic() - ended, 1),
        })
        assert gone, f"the server outlived the command ({sig.name}) by 10 s"
    finally:
        if cli.poll() is None:
            os.killpg(cli.pid, signal.SIGKILL)
            cli.wait()
        if server is not None and _alive(server):  # a failed test leaves no server behind
            os.kill(server, signal.SIGKILL)
