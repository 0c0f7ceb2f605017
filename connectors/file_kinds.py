"""Only regular files are read: what anything else in an inbox is, said as the reason it is not read.

A named pipe blocks a reader forever and a link to /dev/zero never ends, so the kind of a path is
asked before it is opened, and asked again of the open handle (the path may change in between).
"""

from __future__ import annotations

import os
import stat

from connectors.document import UnreadableFile

_KINDS = (
    (stat.S_ISDIR, "is a folder, not a file"),
    (stat.S_ISFIFO, "is a named pipe (FIFO), not a file: not read"),
    (stat.S_ISCHR, "is a device, not a file: not read"),
    (stat.S_ISBLK, "is a device, not a file: not read"),
    (stat.S_ISSOCK, "is a socket, not a file: not read"),
)


def not_a_file(mode: int) -> str | None:
    """Why a path of this mode is not read, or None for a regular file."""
    if stat.S_ISREG(mode):
        return None
    return next((reason for test, reason in _KINDS if test(mode)), "is not a regular file: not read")


def read_regular(path: str, limit: int) -> bytes:
    """Up to `limit` + 1 bytes of a regular file; UnreadableFile for anything else.

    Opened without blocking, so a FIFO put in place of a file is refused instead of waited on.
    """
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
    except OSError as exc:
        raise UnreadableFile(f"cannot open ({exc.strerror or exc})") from None
    with os.fdopen(fd, "rb") as handle:
        reason = not_a_file(os.fstat(fd).st_mode)
        if reason:
            raise UnreadableFile(reason)
        os.set_blocking(fd, True)
        try:
            return handle.read(limit + 1)
        except OSError as exc:
            raise UnreadableFile(f"cannot read ({exc.strerror or exc})") from None
