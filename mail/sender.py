"""Who is sending: this process named as host:pid:start, and whether a named sender is gone.

The outbox writes the name on the rows a sender takes. A later pass on the same host takes back
the rows of a sender whose process no longer exists (killed mid-send) at once; the pid alone is
not enough, since pids are reused, so the process's start time (from /proc) is part of the name.
Where /proc is missing, or the sender ran on another host, nothing is known to be gone and the
rows wait for their lease.
"""

from __future__ import annotations

import os
import socket
from functools import cache
from pathlib import Path


def _start_ticks(pid: int) -> str | None:
    """The process's start time in clock ticks since boot (field 22 of /proc/<pid>/stat), or None."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text(encoding="ascii", errors="replace")
    except OSError:
        return None
    fields = stat.rsplit(")", 1)[-1].split()  # the command name may hold spaces and parentheses
    return fields[19] if len(fields) > 19 else None


@cache
def _host() -> str:
    return socket.gethostname()


def this_sender() -> str:
    """This process's name on the rows it takes."""
    pid = os.getpid()
    return f"{_host()}:{pid}:{_start_ticks(pid) or '?'}"


def is_gone(sender: str) -> bool:
    """True when `sender` ran on this host and its process no longer exists; False when unknown."""
    parts = sender.rsplit(":", 2)
    if len(parts) != 3 or not parts[1].isdigit() or parts[2] == "?":
        return False
    host, pid, started = parts
    if host != _host() or not Path("/proc/self/stat").exists():
        return False
    return _start_ticks(int(pid)) != started
