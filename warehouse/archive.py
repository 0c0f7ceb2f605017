"""The raw archive: every submitted file stored once, under its sha256, on any fsspec filesystem.

Backfills re-read originals from here when a parser improves, so the archive is content-addressed
and write-once: `<root>/ab/cd/abcd…` holds the bytes whose sha256 is `abcd…`, storing the same
bytes twice writes nothing, and reading verifies the hash. The root is a folder by default
(`XXGK_HOME/archive`) or any fsspec URL (`s3://…`, `memory://…`) when `XXGK_ARCHIVE_URL` says so.
"""

from __future__ import annotations

import hashlib
import uuid
from dataclasses import dataclass
from pathlib import Path

import fsspec
from fsspec.implementations.local import LocalFileSystem


class ArchiveError(RuntimeError):
    """An archived file is missing or its bytes no longer hash to its name."""


@dataclass(frozen=True)
class Stored:
    sha256: str
    uri: str
    #: False when the same bytes were already archived
    written: bool


def sha256_of(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


class RawArchive:
    """Content-addressed, write-once storage of submitted files."""

    def __init__(self, url: str | Path) -> None:
        self.url = str(url)
        self.fs, root = fsspec.core.url_to_fs(self.url)
        self.root = root.rstrip("/")
        self._local = isinstance(self.fs, LocalFileSystem)

    def path_for(self, sha256: str) -> str:
        if len(sha256) != 64 or any(c not in "0123456789abcdef" for c in sha256):
            raise ValueError(f"not a sha256 hex digest: {sha256!r}")
        return f"{self.root}/{sha256[:2]}/{sha256[2:4]}/{sha256}"

    def uri(self, sha256: str) -> str:
        """The archived file's address, usable with fsspec.open."""
        return self.fs.unstrip_protocol(self.path_for(sha256))

    def exists(self, sha256: str) -> bool:
        return bool(self.fs.exists(self.path_for(sha256)))

    def put(self, data: bytes) -> Stored:
        """Store bytes under their hash unless already there."""
        digest = sha256_of(data)
        path = self.path_for(digest)
        if self.fs.exists(path):
            return Stored(digest, self.uri(digest), False)
        parent = path.rsplit("/", 1)[0]
        self.fs.makedirs(parent, exist_ok=True)
        if self._local:
            # a reader never sees half a file: write beside it, then rename into place
            partial = f"{path}.{uuid.uuid4().hex}.partial"
            try:
                self.fs.pipe_file(partial, data)
                self.fs.mv(partial, path)
            except OSError as exc:  # a full disk: free what was written, and say where
                if self.fs.exists(partial):
                    self.fs.rm_file(partial)
                raise with_filename(exc, partial) from exc
        else:
            self.fs.pipe_file(path, data)
        return Stored(digest, self.uri(digest), True)

    def get(self, sha256: str) -> bytes:
        """The original bytes, checked against their hash."""
        path = self.path_for(sha256)
        if not self.fs.exists(path):
            raise ArchiveError(f"{sha256} is not in the archive at {self.url}")
        data = self.fs.cat_file(path)
        if sha256_of(data) != sha256:
            raise ArchiveError(f"archived file {path} does not hash to its name")
        return data


def with_filename(exc: OSError, path: str) -> OSError:
    """The error with the file it concerns: a failed write (a full disk) names none, and the
    command line says which folder failed by it (flows/errors.py)."""
    if exc.filename is not None:
        return exc
    return type(exc)(exc.errno, exc.strerror or str(exc), path)
