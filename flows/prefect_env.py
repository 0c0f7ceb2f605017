"""Prefect's environment, picked in one place: quiet, no telemetry, and time for its first start.

Prefect reads its settings from the environment when it is first imported, so `configure` runs
before any module imports Prefect. `start_api` then makes sure there is an API to talk to before
a flow runs: the server `PREFECT_API_URL` names (asked once, so a dead one is said plainly), or
Prefect's own temporary (ephemeral) server, started here so the wait can be timed and shown.

The first start of the temporary server on a new machine creates and migrates Prefect's SQLite
database under `PREFECT_HOME`; on 2 busy cores that took 23-33 s (later starts 17-22 s), while
Prefect gives up after 20 s. `STARTUP_TIMEOUT_SECONDS` is a ceiling, not a wait: a server that
dies is reported at once, one that answers is used at once.

The temporary server is a child process Prefect stops at a normal exit (and on Ctrl-C, which
ends the command through KeyboardInterrupt). A command killed by SIGTERM or SIGKILL runs no
exit handler, so a watcher (`_WATCH`, a few lines of Python in a process of its own) waits for
the command's process to go and then stops the server: it never outlives the command by more
than a second or so. Chosen over PR_SET_PDEATHSIG, which Linux ties to the thread that started
the child (here a short-lived starter thread), so the server would die with that thread.
"""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
import warnings
from collections.abc import Callable
from pathlib import Path

from flows.errors import EXIT_CONFIGURATION, CommandError, first_line, require_writable

#: how long the temporary server may take to answer (Prefect's own default, 20 s, is too short
#: for a first start on a small machine); PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS wins
STARTUP_TIMEOUT_SECONDS = 240
_TIMEOUT_VARIABLE = "PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS"


def defaults() -> None:
    """No telemetry, for every use of the flows (command line, workers, tests)."""
    os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
    os.environ.setdefault("DO_NOT_TRACK", "1")


def configure(verbose: bool = False) -> None:
    """The command line's Prefect: quiet on the terminal unless asked, patient on its first start.

    Quiet means Prefect's console handler shows nothing: a failing task would print its
    traceback there, while the command says what failed in one line. The run's log still goes
    to the API (the UI shows it); `--verbose` prints it too.
    """
    defaults()
    os.environ.setdefault(_TIMEOUT_VARIABLE, str(STARTUP_TIMEOUT_SECONDS))
    # a PREFECT_HOME it cannot create is said once, in one line, before the temporary API starts
    warnings.filterwarnings("ignore", message="Failed to create the Prefect home directory")
    if not verbose:
        os.environ.setdefault("PREFECT_LOGGING_HANDLERS_CONSOLE_LEVEL", "CRITICAL")
        os.environ.setdefault("PREFECT_LOGGING_LEVEL", "WARNING")
        # the temporary server's own noise at shutdown ("database is locked", flushing events)
        os.environ.setdefault("PREFECT_SERVER_LOGGING_LEVEL", "CRITICAL")


def configured_api_url() -> str | None:
    """The server PREFECT_API_URL names (environment or Prefect profile), or None."""
    from prefect.settings import get_current_settings

    url = get_current_settings().api.url
    return str(url) if url else None


def startup_timeout() -> int:
    from prefect.settings import get_current_settings

    return int(get_current_settings().server.ephemeral.startup_timeout_seconds)


def first_start() -> bool:
    """True when the temporary server has no database yet: its first start creates it (slower)."""
    from prefect.settings import get_current_settings

    folder = _database_folder()
    if folder is None:
        return False
    database = get_current_settings().server.database.connection_url.get_secret_value()
    return not Path(database.split(":///", 1)[-1]).exists()


def _database_folder() -> Path | None:
    """Where the temporary server keeps its SQLite database (None: another database)."""
    from prefect.settings import get_current_settings

    url = get_current_settings().server.database.connection_url
    database = url.get_secret_value() if url is not None else ""
    if not database.startswith("sqlite"):
        return None
    return Path(database.split(":///", 1)[-1]).parent


def _writable_database_folder() -> None:
    """The temporary server's folder must take its database: a server that cannot create it
    exits, and Prefect restarts it again and again until the startup timeout."""
    folder = _database_folder()
    if folder is not None:
        require_writable(folder, "PREFECT_HOME")


def _check_server(url: str) -> None:
    import httpx

    try:
        response = httpx.get(f"{url.rstrip('/')}/health", timeout=10)
        response.raise_for_status()
    except httpx.HTTPError as exc:
        raise CommandError(
            f"Prefect server {url}",
            f"does not answer ({first_line(exc) or type(exc).__name__})",
            "start it (`prefect server start`), or unset PREFECT_API_URL to use a temporary local one",
        ) from exc


#: the watcher's program: argv = the command's pid, the server's pid. When its parent (the
#: command) is gone it stops the server — if the pid still is that server (same start time).
_WATCH = """
import os, signal, sys, time
parent, server = int(sys.argv[1]), int(sys.argv[2])
def started(pid):
    try:
        with open(f"/proc/{pid}/stat") as f:
            return f.read().rsplit(")", 1)[-1].split()[19]
    except (OSError, IndexError):
        return None
born = started(server)
while os.getppid() == parent:
    time.sleep(0.2)
for sig, wait in ((signal.SIGTERM, 5.0), (signal.SIGKILL, 0.0)):
    if born is None or started(server) != born:
        break
    try:
        os.kill(server, sig)
    except OSError:
        break
    end = time.monotonic() + wait
    while time.monotonic() < end and started(server) == born:
        time.sleep(0.1)
"""


def _watch(server_pid: int) -> None:
    """Start the watcher that stops the temporary server once this process is gone (module doc)."""
    if os.name != "posix" or not Path(f"/proc/{server_pid}").exists():
        return
    subprocess.Popen(
        [sys.executable, "-c", _WATCH, str(os.getpid()), str(server_pid)],
        stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, close_fds=True,
    )


def _start_temporary(timeout: int) -> Callable[[], None]:
    """Start the temporary server in a thread; the function that waits for it (raising CommandError)."""
    from prefect.server.api.server import SubprocessASGIServer
    from prefect.settings import get_current_settings

    server = SubprocessASGIServer()
    if server.running:
        return lambda: None
    failure: list[BaseException] = []
    run_server = server._run_uvicorn_command

    def run_watched() -> subprocess.Popen:
        process = run_server()
        _watch(process.pid)  # at once: a command killed a moment later leaves no server behind
        return process

    server._run_uvicorn_command = run_watched  # type: ignore[method-assign]

    def start() -> None:
        try:
            server.start(timeout=timeout)
        except BaseException as exc:  # handed to the waiting thread
            failure.append(exc)

    home = get_current_settings().home
    starter = threading.Thread(target=start, name="prefect-api-start", daemon=True)
    starter.start()

    def wait() -> None:
        while starter.is_alive():
            starter.join(0.2)
            process = server.server_process
            if process is not None and process.poll() not in (None, 3):  # 3: port taken, Prefect retries
                raise CommandError(
                    "Prefect's temporary API",
                    f"its server process exited with code {process.returncode}",
                    f"run again with --verbose to see its log; Prefect's database is under PREFECT_HOME ({home})",
                )
        if failure:
            raise CommandError(
                "Prefect's temporary API",
                f"did not answer within {timeout} s",
                f"the first start creates Prefect's database under PREFECT_HOME ({home}), slow on a busy "
                f"machine: set {_TIMEOUT_VARIABLE} higher, or point PREFECT_API_URL at a running "
                "server (`prefect server start`)",
            ) from failure[0]

    return wait


def start_api() -> float:
    """Make sure a Prefect API answers before a flow runs; the seconds it took."""
    return begin_api()()


def begin_api() -> Callable[[], float]:
    """Start making sure a Prefect API answers; the function that waits until it does and gives
    the seconds since the start. The temporary server starts in the background meanwhile (its
    start is seconds of one core), so the caller can import and start other things."""
    started = time.monotonic()
    url = configured_api_url()
    if url:

        def check() -> float:
            _check_server(url)
            return time.monotonic() - started

        return check
    from prefect.settings import get_current_settings

    if not get_current_settings().server.ephemeral.enabled:
        raise CommandError(
            "Prefect",
            "no API: PREFECT_API_URL is not set and the temporary server is disabled",
            "set PREFECT_API_URL to a running server, or PREFECT_SERVER_EPHEMERAL_ENABLED=true",
            EXIT_CONFIGURATION,
        )
    _writable_database_folder()
    wait = _start_temporary(startup_timeout())

    def waited() -> float:
        wait()
        return time.monotonic() - started

    return waited
