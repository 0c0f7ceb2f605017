"""The flows' progress on a terminal (stderr): Prefect's start with its elapsed seconds, then one
bar per stage with files per second and the time left."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from types import TracebackType

from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    ProgressColumn,
    SpinnerColumn,
    Task,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)
from rich.text import Text

#: stage names are padded to this width so the bars line up
STAGE_WIDTH = 24


class _Rate(ProgressColumn):
    """Files per second of a stage."""

    def render(self, task: Task) -> Text:
        if not task.speed:
            return Text("")
        return Text(f"{task.speed:6.1f} files/s", style="progress.data.speed")


class _Left(TimeRemainingColumn):
    """The time a stage has left, marked as such; nothing once it is done."""

    def render(self, task: Task) -> Text:
        if task.finished:
            return Text("")
        return Text.assemble(("ETA ", "progress.remaining"), super().render(task))


class ProgressBars:
    """A `flows.progress.Reporter` drawing rich progress bars; use it as a context manager."""

    def __init__(self, console: Console | None = None) -> None:
        self.console = console or Console(stderr=True)
        self._bars = Progress(
            SpinnerColumn(finished_text="[green]✓[/]"),
            TextColumn("{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            _Rate(),
            _Left(),
            TimeElapsedColumn(),
            console=self.console,
        )
        self._stages: dict[str, int] = {}

    def __enter__(self) -> ProgressBars:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self._bars.stop()

    @contextmanager
    def waiting(self, description: str) -> Iterator[None]:
        """A spinner with the seconds elapsed while the block runs (Prefect's start)."""
        with Progress(
            SpinnerColumn(), TextColumn("{task.description}"), TimeElapsedColumn(), console=self.console, transient=True
        ) as status:
            status.add_task(description, total=None)
            yield

    def done(self, line: str) -> None:
        self.console.print(f"[green]✓[/] {line}", highlight=False)

    def add(self, stage: str, total: int) -> None:
        if not self._stages:
            self._bars.start()
        if stage in self._stages:
            task = self._stages[stage]
            self._bars.update(task, total=(self._bars.tasks[task].total or 0) + total)
        else:
            self._stages[stage] = self._bars.add_task(f"{stage:<{STAGE_WIDTH}}", total=total)

    def advance(self, stage: str, done: int) -> None:
        if stage in self._stages:
            self._bars.advance(self._stages[stage], done)
