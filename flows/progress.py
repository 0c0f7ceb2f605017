"""How far a run has got, told by the flows to whoever listens (the command line's progress bars).

Flows stay orchestration only: after each chunk they say how many files a stage expects (`add`)
and how many it has done (`advance`). Nobody listens unless a reporter is installed with
`reporting`; then calls go to it. On a worker or in tests nothing is installed and the calls
cost nothing. No terminal code here: the command line brings its own reporter.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Protocol


class Reporter(Protocol):
    def add(self, stage: str, total: int) -> None:
        """`total` more items are expected in `stage` (a stage appears on its first add)."""

    def advance(self, stage: str, done: int) -> None:
        """`done` more items of `stage` are finished."""


class _Nobody:
    def add(self, stage: str, total: int) -> None:
        pass

    def advance(self, stage: str, done: int) -> None:
        pass


_listener: Reporter = _Nobody()


def add(stage: str | None, total: int) -> None:
    if stage is not None:
        _listener.add(stage, total)


def advance(stage: str | None, done: int) -> None:
    if stage is not None:
        _listener.advance(stage, done)


@contextmanager
def reporting(reporter: Reporter) -> Iterator[Reporter]:
    """Send the flows' progress to `reporter` while the block runs."""
    global _listener
    before, _listener = _listener, reporter
    try:
        yield reporter
    finally:
        _listener = before


@dataclass(frozen=True)
class Stages:
    """The stage names a re-reading loop reports under; None: not reported."""

    read: str | None = "read"
    checked: str | None = "checked"
    loaded: str | None = "loaded"

    def add(self, total: int) -> None:
        for stage in (self.read, self.checked, self.loaded):
            add(stage, total)


#: a backfill's reload: every step shown
RELOAD = Stages()
#: the carryover cascade after an ingest: one bar for the submissions checked again
CASCADE = Stages(read=None, checked=None, loaded="re-checked (carryover)")
#: a dry run re-reads and checks, then compares with the warehouse instead of loading
DRY_RUN = Stages(loaded="compared")
