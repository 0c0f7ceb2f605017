"""The bars a person sees: a stage's count, its files per second and the time left, on stderr."""

from __future__ import annotations

import io
import time

from rich.console import Console

from flows import progress
from flows.commands.progress_bars import ProgressBars
from flows.commands.running import shows_progress


def test_bars_show_count_rate_and_time_left() -> None:
    console = Console(file=io.StringIO(), force_terminal=True, width=120, record=True)
    with ProgressBars(console) as bars:
        with bars.waiting("starting Prefect's temporary API"):
            pass
        bars.done("Prefect's temporary API started in 12.3 s")
        with progress.reporting(bars):
            progress.add("read", 40)
            progress.add("read", 10)  # a second round adds to the stage
            for _ in range(3):
                time.sleep(0.05)
                progress.advance("read", 5)
    shown = console.export_text()  # stopping draws the bars a last time
    assert "✓ Prefect's temporary API started in 12.3 s" in shown
    last = shown.rsplit("read", 1)[1]  # the latest refresh of the stage's line
    assert "15/50" in last and "files/s" in last and "ETA 0:00:0" in last


def test_no_bars_for_json_or_a_pipe(capsys) -> None:
    assert not shows_progress(json_output=True)
    assert not shows_progress()  # pytest captures stdout: not a terminal
