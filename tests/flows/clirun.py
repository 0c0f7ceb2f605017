"""Running `xxgk` as a user would: in a subprocess, with an environment built from scratch."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
from pathlib import Path

#: the console script installed beside the interpreter running the tests
XXGK = Path(sys.executable).parent / "xxgk"


def fresh_env(tmp: Path, **extra: str) -> dict[str, str]:
    """This environment without any XXGK_* or PREFECT_* setting, with a brand-new HOME and
    PREFECT_HOME (a new account on a new machine), plus `extra`."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("XXGK_", "PREFECT_"))}
    home = tmp / "home"
    home.mkdir(parents=True, exist_ok=True)
    env.update(HOME=str(home), PREFECT_HOME=str(home / ".prefect"), XXGK_HOME=str(tmp / "xxgk-data"))
    env.update(extra)
    return env


def run_xxgk(
    args: list[str], env: dict[str, str], cwd: Path, timeout: int = 600, prefix: list[str] | None = None
) -> subprocess.CompletedProcess:
    return subprocess.run(
        [*(prefix or []), str(XXGK), *args], env=env, cwd=cwd, capture_output=True, text=True, timeout=timeout
    )


def without_write_permission() -> list[str] | None:
    """A command prefix under which folder permissions hold, also for root (root ignores them
    unless it gives up CAP_DAC_OVERRIDE); None when that is impossible here."""
    if os.geteuid() != 0:
        return []
    setpriv = shutil.which("setpriv")
    return [setpriv, "--bounding-set=-dac_override,-dac_read_search", "--"] if setpriv else None


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]
