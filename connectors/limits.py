"""Bounds on reading one file, so one hostile file costs its own quarantine and never the run.

Each bound reached raises `LimitReached`: an `UnreadableFile` whose reason names the bound and
the setting that moves it (`limit reached: read took over 60 s (XXGK_MAX_SECONDS)`). The
settings live in flows/settings.py; readers get a plain `Limits`.

What each bound holds (README, "Reading limits"):

- `bytes`: the file's size, checked before it is read (from the listing, `stat`, then the bytes).
- `markup_bytes`: what the parsers are handed for one file: a Word package's XML parts
  decompressed (each, and together: python-docx holds every part it parses; sizes from the zip
  directory, which `zipfile` holds a member to) or an HTML/text file's size. lxml needs about 20
  times that in memory, so this bounds a file's parsing memory.
- `depth` and `elements`: the parsed tree's nesting and element count (text: lines), checked
  before any Python walks it, so the walk's time and the objects it builds are bounded.
- `pages`: a PDF's page count, checked before any page is read.
- `seconds`: a deadline per file. In a process's main thread (`xxgk parse`/`check`, worker
  processes) a SIGALRM timer interrupts the read wherever Python code runs next, even inside a
  long C call once it returns; elsewhere (a thread) the readers' loops check the deadline.
"""

from __future__ import annotations

import math
import signal
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, fields
from functools import lru_cache

from lxml import etree

from connectors.document import UnreadableFile

MIB = 1024 * 1024


@dataclass(frozen=True)
class Limits:
    """The bounds one file is read under (defaults far above any real report)."""

    #: seconds one file's reading may take
    seconds: float = 60.0
    #: bytes of the file
    bytes: int = 100 * MIB
    #: bytes handed to the parsers: a Word package's XML parts decompressed, an HTML or text file
    markup_bytes: int = 16 * MIB
    #: elements nested inside one another (XML/HTML)
    depth: int = 128
    #: elements of a parsed tree, or lines of a text file
    elements: int = 500_000
    #: pages of a PDF
    pages: int = 200
    #: seconds reading one scan by OCR may take (seconds a page on a busy machine)
    scan_seconds: float = 900.0


DEFAULT_LIMITS = Limits()


def setting_name(field: str) -> str:
    """The environment variable that sets a bound (flows/settings.py reads it)."""
    return f"XXGK_MAX_{field.upper()}"


SETTING_NAMES = {f.name: setting_name(f.name) for f in fields(Limits)}


class LimitReached(UnreadableFile):
    """A bound reached: the file is quarantined with the bound and its setting named."""

    def __init__(self, what: str, field: str) -> None:
        super().__init__(f"limit reached: {what} ({SETTING_NAMES[field]})")
        self.field = field


def check_size(size: int, limit: int, field: str, what: str = "the file") -> None:
    """Refuse a size over its bound."""
    if size > limit:
        verb = "are" if what.endswith("s decompressed") else "is"
        raise LimitReached(f"{what} {verb} {size:,} bytes, over {limit:,}", field)


@lru_cache(maxsize=8)
def _deeper_than(depth: int) -> etree.XPath:
    # an element `depth` child steps below the root: evaluated in C, linear in the elements
    return etree.XPath("boolean(" + "/".join(["*"] * depth) + ")")


_ELEMENTS = etree.XPath("count(descendant-or-self::*)")


def check_tree(root: etree._Element, limits: Limits) -> None:
    """Refuse a parsed tree nested deeper or holding more elements than the limits allow."""
    if _deeper_than(limits.depth)(root):
        raise LimitReached(f"elements nested over {limits.depth} deep", "depth")
    count = int(_ELEMENTS(root))
    if count > limits.elements:
        raise LimitReached(f"{count:,} elements, over {limits.elements:,}", "elements")


def check_count(count: int, limit: int, field: str, what: str) -> None:
    """Refuse a count (lines, pages) over its bound."""
    if count > limit:
        raise LimitReached(f"{count:,} {what}, over {limit:,}", field)


class _OutOfTime(BaseException):
    """The deadline passed. A BaseException, so no reader's `except Exception` can swallow it (and,
    say, fall back to another reader); `time_limit` turns it into `LimitReached`."""


_DEADLINE: ContextVar[float | None] = ContextVar("xxgk_read_deadline", default=None)


def check_time() -> None:
    """Stop the read when its deadline has passed (called from the readers' loops)."""
    deadline = _DEADLINE.get()
    if deadline is not None and time.monotonic() > deadline:
        raise _OutOfTime


def _on_alarm(signum: int, frame: object) -> None:
    raise _OutOfTime


def _can_alarm() -> bool:
    """True in a main thread where nobody else uses SIGALRM or the real-time timer."""
    if not hasattr(signal, "setitimer") or threading.current_thread() is not threading.main_thread():
        return False
    return signal.getsignal(signal.SIGALRM) in (signal.SIG_DFL, signal.SIG_IGN) and not signal.getitimer(
        signal.ITIMER_REAL
    )[0]


@contextmanager
def time_limit(seconds: float, field: str = "seconds") -> Iterator[None]:
    """Read within `seconds`: `LimitReached` (XXGK_MAX_SECONDS) when they pass. Nested, the outer
    limit stands."""
    if _DEADLINE.get() is not None or not math.isfinite(seconds):
        yield
        return
    token = _DEADLINE.set(time.monotonic() + seconds)
    alarm = _can_alarm()
    previous = signal.signal(signal.SIGALRM, _on_alarm) if alarm else None
    try:
        try:
            if alarm:
                signal.setitimer(signal.ITIMER_REAL, seconds)
            yield
        finally:
            try:
                if alarm:
                    _disarm(previous)
            finally:
                _DEADLINE.reset(token)
    except _OutOfTime:
        raise LimitReached(f"read took over {seconds:g} s", field) from None


def _disarm(previous: object) -> None:
    try:
        signal.setitimer(signal.ITIMER_REAL, 0)
    finally:  # the alarm may have rung just before: the timer is one-shot, so it is off now
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
