"""The raw archive keeps each file once under its sha256, on a folder or any fsspec URL."""

from __future__ import annotations

import hashlib
import uuid
from pathlib import Path

import pytest

from warehouse.archive import ArchiveError, RawArchive


def test_folder_archive_stores_once_and_reads_back(tmp_path: Path) -> None:
    archive = RawArchive(tmp_path / "archive")
    data = "二〇二一年度报告".encode()
    first = archive.put(data)
    again = archive.put(data)
    digest = hashlib.sha256(data).hexdigest()
    assert first.sha256 == digest and first.written and not again.written
    stored = tmp_path / "archive" / digest[:2] / digest[2:4] / digest
    assert stored.read_bytes() == data
    assert [p for p in (tmp_path / "archive").rglob("*") if p.is_file()] == [stored]
    assert archive.get(digest) == data and archive.exists(digest)
    assert first.uri.endswith(digest)


def test_a_tampered_or_missing_file_is_an_error(tmp_path: Path) -> None:
    archive = RawArchive(tmp_path)
    stored = archive.put(b"original")
    Path(archive.path_for(stored.sha256)).write_bytes(b"changed")
    with pytest.raises(ArchiveError, match="does not hash"):
        archive.get(stored.sha256)
    with pytest.raises(ArchiveError, match="not in the archive"):
        archive.get(hashlib.sha256(b"never stored").hexdigest())
    with pytest.raises(ValueError):
        archive.path_for("../../etc/passwd")


def test_any_fsspec_url() -> None:
    archive = RawArchive(f"memory://xxgk-{uuid.uuid4().hex}/raw")
    stored = archive.put(b"in memory")
    assert stored.uri.startswith("memory://")
    assert RawArchive(archive.url).get(stored.sha256) == b"in memory"
    assert not archive.put(b"in memory").written
