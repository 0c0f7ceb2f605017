"""Where submissions come from: files, folders, or any fsspec URL (s3://, memory://, …).

Listing and reading are the only I/O here; what a file is and what it says is `reading`'s job.
"""

from __future__ import annotations

import os
import stat
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import fsspec
from fsspec.core import url_to_fs

from connectors.document import UnreadableFile
from connectors.file_kinds import not_a_file, read_regular
from connectors.limits import DEFAULT_LIMITS, LimitReached, check_size


@dataclass(frozen=True)
class InboxFile:
    """One entry of an inbox: where it is, how big, when it arrived (its modification time), and,
    for what is listed but not read (a pipe, a device, a hidden file, a folder that cannot be
    listed), why: every entry ends with a record, nothing is skipped silently."""

    url: str
    size: int | None
    received_at: datetime | None
    refused: str | None = None

    @property
    def name(self) -> str:
        return self.url.rstrip("/").rsplit("/", 1)[-1]


HIDDEN_FILE = "is a hidden file (its name starts with '.'): not read"
HIDDEN_FOLDER = "is a hidden folder (its name starts with '.'): its files are not read"
LINKED_FOLDER = "is a link to a folder: not followed"


def _modified(info: dict) -> datetime | None:
    for key in ("mtime", "LastModified", "last_modified", "created"):
        value = info.get(key)
        if isinstance(value, datetime):
            return value if value.tzinfo else value.replace(tzinfo=UTC)
        if isinstance(value, int | float):
            return datetime.fromtimestamp(value, tz=UTC)
    return None


def _hidden(path: str) -> bool:
    return any(part.startswith(".") for part in path.split("/") if part)


def _local_file(path: Path, root: Path) -> InboxFile:
    """A path under a local inbox as an entry: a regular file, or what it is instead."""
    url = str(path)
    try:
        info = path.lstat()
        if stat.S_ISLNK(info.st_mode):
            target = path.resolve()
            if target != root and root not in target.parents:
                return InboxFile(url, None, None, f"is a link to {target}, outside the inbox: not read")
            info = path.stat()
    except OSError as exc:
        return InboxFile(url, None, None, f"cannot be read ({exc.strerror or exc})")
    when = datetime.fromtimestamp(info.st_mtime, tz=UTC)
    return InboxFile(url, info.st_size, when, not_a_file(info.st_mode))


def _local_inbox(root: Path) -> list[InboxFile]:
    """Every entry under a local folder, by name, without following links to folders."""
    if not root.is_dir() or root.is_symlink():  # named on its own: a link is followed, once
        return [_local_file(root, root.resolve().parent)]
    real = root.resolve()
    out: list[InboxFile] = []

    def unlisted(error: OSError) -> None:
        out.append(InboxFile(str(error.filename), None, None, f"is a folder that cannot be listed ({error.strerror})"))

    for folder, subfolders, names in os.walk(root, onerror=unlisted):
        here = Path(folder)
        for name in list(subfolders):
            sub = here / name
            if name.startswith(".") or sub.is_symlink():
                subfolders.remove(name)
                out.append(InboxFile(str(sub), None, None, HIDDEN_FOLDER if name.startswith(".") else LINKED_FOLDER))
        for name in names:
            entry = _local_file(here / name, real)
            if name.startswith(".") and entry.refused is None:
                entry = InboxFile(entry.url, entry.size, entry.received_at, HIDDEN_FILE)
            out.append(entry)
    return sorted(out, key=lambda f: f.url)


def list_inbox(location: str) -> list[InboxFile]:
    """Every entry at a location: the file itself, or a folder's entries (recursively), by name."""
    fs, root = url_to_fs(location)
    protocol = fs.protocol[0] if isinstance(fs.protocol, tuple | list) else fs.protocol
    local = protocol in ("file", "local")
    if not (os.path.lexists(root) if local else fs.exists(root)):
        raise FileNotFoundError(f"{location}: no such file or folder")
    if local:
        return _local_inbox(Path(root))
    infos = {root: fs.info(root)} if fs.isfile(root) else fs.find(root, detail=True)
    out = []
    for path, info in sorted(infos.items()):
        if info.get("type") == "directory":
            continue
        refused = HIDDEN_FILE if _hidden(path[len(root) :]) else None
        out.append(InboxFile(fs.unstrip_protocol(path), info.get("size"), _modified(info), refused))
    return out


def fetch(item: InboxFile, max_bytes: int = DEFAULT_LIMITS.bytes) -> bytes:
    """An inbox entry's bytes; UnreadableFile with its reason for an entry that is not read, and
    `LimitReached` (XXGK_MAX_BYTES) for one larger than `max_bytes`, before reading it."""
    if item.refused:
        raise UnreadableFile(item.refused)
    if item.size is not None:
        check_size(item.size, max_bytes, "bytes")
    return read_bytes(item.url, max_bytes)


def read_bytes(url: str, max_bytes: int = DEFAULT_LIMITS.bytes) -> bytes:
    """The file's bytes, refusing one larger than `max_bytes` without reading it all (and, for a
    local path, anything but a regular file)."""
    fs, path = url_to_fs(url)
    protocol = fs.protocol[0] if isinstance(fs.protocol, tuple | list) else fs.protocol
    if protocol in ("file", "local"):
        data = read_regular(path, max_bytes)
    else:
        with fsspec.open(url, "rb") as handle:
            data = handle.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise LimitReached(f"the file is over {max_bytes:,} bytes", "bytes")
    return data
