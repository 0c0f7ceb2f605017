"""Inboxes are folders, single files or fsspec URLs; every file is listed once, by name."""

from __future__ import annotations

from pathlib import Path

import fsspec
import pytest

from connectors.document import UnreadableFile
from connectors.reading import MAX_FILE_BYTES
from connectors.sources import list_inbox, read_bytes


def test_folder_lists_files_recursively_skipping_hidden(tmp_path: Path) -> None:
    (tmp_path / "sub").mkdir()
    (tmp_path / "a.docx").write_bytes(b"a")
    (tmp_path / "sub" / "b.html").write_bytes(b"b")
    (tmp_path / ".DS_Store").write_bytes(b"x")
    listed = list_inbox(str(tmp_path))
    assert [Path(f.url).name for f in listed] == ["a.docx", "b.html"]
    assert all(f.received_at is not None and f.size == 1 for f in listed)


def test_single_file(tmp_path: Path) -> None:
    one = tmp_path / "r.txt"
    one.write_text("x")
    assert [f.url for f in list_inbox(str(one))] == [str(one)]


def test_fsspec_url() -> None:
    mem = fsspec.filesystem("memory")
    mem.pipe("/xxgk-test-inbox/2023/r.txt", b"report")
    try:
        listed = list_inbox("memory://xxgk-test-inbox")
        assert [f.name for f in listed] == ["r.txt"]
        assert read_bytes(listed[0].url) == b"report"
    finally:
        mem.rm("/xxgk-test-inbox", recursive=True)


def test_missing_location_is_named(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError, match="nope"):
        list_inbox(str(tmp_path / "nope"))


@pytest.mark.slow  # writes a file over the size limit
def test_oversized_file_is_refused_without_reading_it_all(tmp_path: Path) -> None:
    big = tmp_path / "big.pdf"
    with big.open("wb") as f:
        f.truncate(MAX_FILE_BYTES + 10)
    with pytest.raises(UnreadableFile, match="too large"):
        read_bytes(str(big))
