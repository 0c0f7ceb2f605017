"""Named points where a crash test can hold a process, so its SIGKILL lands exactly there.

`XXGK_PAUSE_AT=<point>[:<n>]` makes the process that reaches `<point>` for the n-th time (default
the first) write its pid to `XXGK_PAUSE_MARKER` and sleep; the test waits for the file and kills
the process. Unset (always, outside tests) a point costs one dictionary lookup. The pause changes
nothing the code does: it is the crash, placed, not a stand-in for any step.
"""

from __future__ import annotations

import os
import threading
import time
from collections import Counter
from pathlib import Path

#: how long a paused process waits for its kill (a test that forgot it gets it back eventually)
PAUSE_SECONDS = 600
_seen: Counter[str] = Counter()
_lock = threading.Lock()


def reached(point: str) -> None:
    """Pause here when `XXGK_PAUSE_AT` names this point and its count (see the module doc)."""
    spec = os.environ.get("XXGK_PAUSE_AT")
    if not spec:
        return
    name, _, nth = spec.partition(":")
    if name != point:
        return
    with _lock:
        _seen[point] += 1
        if _seen[point] != int(nth or 1):
            return
    marker = os.environ.get("XXGK_PAUSE_MARKER")
    if marker:
        Path(marker).write_text(f"{os.getpid()} {point}\n", encoding="utf-8")
    time.sleep(PAUSE_SECONDS)
