"""Where submissions come from: files, folders, or any fsspec URL (s3://, memory://, …).

Listing and reading are the only I/O here; what a file is and what it says is `reading`'s job.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

import fsspec
from fsspec.core import url_to_fs

from connectors.document import UnreadableFile
from connectors.reading import MAX_FILE_BYTES


@dataclass(frozen=True)
class InboxFile:
    """One file in an inbox: where it is, how big, and when it arrived (its modification time)."""

    url: str
    size: int | None
    received_at: datetime | None

    @property
    def name(self) -> str:
        return self.url.rstrip("/").rsplit("/", 1)[-1]


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


def list_inbox(location: str) -> list[InboxFile]:
    """Every file at a location: the file itself, or a folder's files (recursively), by name."""
    fs, root = url_to_fs(location)
    protocol = fs.protocol[0] if isinstance(fs.protocol, tuple | list) else fs.protocol
    if not fs.exists(root):
        raise FileNotFoundError(f"{location}: no such file or folder")
    infos = {root: fs.info(root)} if fs.isfile(root) else fs.find(root, detail=True)
    out = []
    for path, info in sorted(infos.items()):
        if info.get("type") == "directory" or _hidden(path[len(root) :]):
            continue
        url = path if protocol in ("file", "local") else fs.unstrip_protocol(path)
        out.append(InboxFile(url=url, size=info.get("size"), received_at=_modified(info)))
    return out


def read_bytes(url: str) -> bytes:
    """The file's bytes, refusing one too large to be a report before reading it."""
    with fsspec.open(url, "rb") as handle:
        data = handle.read(MAX_FILE_BYTES + 1)
    if len(data) > MAX_FILE_BYTES:
        raise UnreadableFile(f"refused: larger than {MAX_FILE_BYTES:,} bytes, too large for an annual report")
    return data
