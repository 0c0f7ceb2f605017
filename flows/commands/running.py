"""Running a flow from the command line: Prefect configured and started first (timed, and shown
on a terminal), then the flow, with its progress bars on stderr when a person is watching."""

from __future__ import annotations

import importlib
import sys
from collections.abc import Callable
from contextlib import ExitStack
from typing import Any

from flows import prefect_env, progress
from flows.errors import EXIT_FAILED, EXIT_OK, EXIT_REJECTED, EXIT_UNREADABLE


def shows_progress(json_output: bool = False) -> bool:
    """Progress bars only for a person at a terminal: not with --json, not when output is piped."""
    return not json_output and sys.stdout.isatty() and sys.stderr.isatty()


def _api_words() -> tuple[str, str]:
    """What the status row says while Prefect starts, and once it is up (with {s} seconds)."""
    url = prefect_env.configured_api_url()
    if url:
        return f"connecting to Prefect at {url}", "Prefect server answered in {s:.1f} s"
    if prefect_env.first_start():
        return (
            "starting Prefect's temporary API (first start: creating its database)",
            "Prefect's temporary API started in {s:.1f} s (first start)",
        )
    return "starting Prefect's temporary API", "Prefect's temporary API started in {s:.1f} s"


def _flow_named(flow: Callable[..., Any] | str) -> Callable[..., Any]:
    if not isinstance(flow, str):
        return flow
    module, _, name = flow.partition(":")
    return getattr(importlib.import_module(module), name)


def run_flow(
    flow: Callable[..., Any] | str, show_progress: bool = False, *, workers_ahead: bool = False, **params: Any
) -> Any:
    """Run a flow in this process, on the API PREFECT_API_URL names or a temporary local one.

    The flow's module is imported first when `flow` names it ("flows.ingest:ingest"); then Prefect's
    temporary API starts in the background (seconds of one core), and with `workers_ahead` the
    local worker processes start meanwhile and import what the tasks need (flows/runners.py
    `warm_pool`), so the other core is not left idle while the API starts."""
    with ExitStack() as stack:

        def start() -> tuple[Callable[..., Any], Callable[[], float]]:
            # every import before the API's start thread: importing in two threads at once failed a
            # new account's first `make demo` once ("No module named 'flows.batches'", Python 3.11)
            chosen = _flow_named(flow)
            if workers_ahead:
                from flows.runners import warm_pool
                from flows.settings import get_settings
                from flows.tasks import warm_worker
            wait = prefect_env.begin_api()  # the flow waits for it, the worker processes do not
            if workers_ahead:
                stack.enter_context(warm_pool(get_settings(), warm_worker))
            return chosen, wait

        if not show_progress:
            chosen, wait = start()
            wait()
            return chosen(**params)
        from flows.commands.progress_bars import ProgressBars

        starting, ready = _api_words()
        with ProgressBars() as bars:
            with bars.waiting(starting):
                chosen, wait = start()
                seconds = wait()
            bars.done(ready.format(s=seconds))
            with progress.reporting(bars):
                return chosen(**params)


def exit_code(states: dict[str, int]) -> int:
    """A run's exit code from its files' states: the highest that applies (flows/errors.py)."""
    if states.get("failed"):
        return EXIT_FAILED
    if states.get("quarantined"):
        return EXIT_UNREADABLE
    if states.get("rejected") or states.get("review"):  # a scan held for review waits on a person too
        return EXIT_REJECTED
    return EXIT_OK
