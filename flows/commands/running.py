"""Running a flow from the command line: Prefect quiet unless asked, a spinner while it works."""

from __future__ import annotations

import os
from collections.abc import Callable
from typing import Any

from rich.console import Console

#: exit codes scripts can rely on (the highest that applies)
EXIT_OK, EXIT_REJECTED, EXIT_UNREADABLE, EXIT_FAILED = 0, 1, 2, 3


def quiet_prefect(verbose: bool = False) -> None:
    """Keep Prefect's own logging (and the ephemeral server's shutdown noise) off the terminal."""
    if not verbose:
        os.environ.setdefault("PREFECT_LOGGING_LEVEL", "WARNING")
        os.environ.setdefault("PREFECT_SERVER_LOGGING_LEVEL", "CRITICAL")


def run_flow(label: str, flow: Callable[..., Any], console: Console | None = None, **params: Any) -> Any:
    """Run a flow in this process (Prefect's ephemeral API unless PREFECT_API_URL is set)."""
    console = console or Console(stderr=True)
    if console.is_terminal:
        with console.status(label):
            return flow(**params)
    return flow(**params)


def exit_code(states: dict[str, int]) -> int:
    if states.get("failed"):
        return EXIT_FAILED
    if states.get("quarantined"):
        return EXIT_UNREADABLE
    if states.get("rejected"):
        return EXIT_REJECTED
    return EXIT_OK
