"""Inboxes are folders, single files or fsspec URLs; every file is listed once, by name."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import sysconfig
import tempfile
from pathlib import Path

import fsspec
import pytest

from connectors.document import UnreadableFile
from connectors.reading import MAX_FILE_BYTES, read_report
from connectors.sources import HIDDEN_FILE, HIDDEN_FOLDER, LINKED_FOLDER, fetch, list_inbox, read_bytes

ROOT = Path(__file__).resolve().parents[2]


def test_folder_lists_files_recursively_recording_hidden_ones(tmp_path: Path) -> None:
    (tmp_path / "sub").mkdir()
    (tmp_path / ".git").mkdir()
    (tmp_path / ".git" / "HEAD").write_bytes(b"x")
    (tmp_path / "a.docx").write_bytes(b"a")
    (tmp_path / "sub" / "b.html").write_bytes(b"b")
    (tmp_path / ".DS_Store").write_bytes(b"x")
    listed = {Path(f.url).name: f for f in list_inbox(str(tmp_path))}
    assert sorted(listed) == [".DS_Store", ".git", "a.docx", "b.html"]
    assert {n: f.refused for n, f in listed.items() if f.refused} == {".DS_Store": HIDDEN_FILE, ".git": HIDDEN_FOLDER}
    assert all(listed[n].received_at is not None and listed[n].size == 1 for n in ("a.docx", "b.html"))
    with pytest.raises(UnreadableFile, match="hidden file"):
        fetch(listed[".DS_Store"])


def test_a_named_pipe_is_recorded_and_never_opened(tmp_path: Path) -> None:
    """A FIFO once blocked `ingest` and `parse` forever."""
    os.mkfifo(tmp_path / "pipe.docx")
    (entry,) = list_inbox(str(tmp_path))
    assert entry.refused is not None and "named pipe" in entry.refused
    with pytest.raises(UnreadableFile, match="named pipe"):
        read_bytes(str(tmp_path / "pipe.docx"))  # listed as a file, then swapped for a pipe
    with pytest.raises(UnreadableFile, match="named pipe"):
        read_report(tmp_path / "pipe.docx")


def test_a_link_out_of_the_inbox_is_recorded_not_followed(tmp_path: Path) -> None:
    """A link to /dev/zero once made `parse` read without end."""
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    (tmp_path / "elsewhere.txt").write_text("secret")
    (inbox / "zero.docx").symlink_to("/dev/zero")
    (inbox / "out.txt").symlink_to(tmp_path / "elsewhere.txt")
    (inbox / "in.txt").write_text("report")
    (inbox / "again.txt").symlink_to(inbox / "in.txt")
    (inbox / "folder").symlink_to(tmp_path)
    listed = {Path(f.url).name: f.refused for f in list_inbox(str(inbox))}
    assert listed["in.txt"] is None and listed["again.txt"] is None
    assert "outside the inbox" in listed["zero.docx"] and "outside the inbox" in listed["out.txt"]
    assert listed["folder"] == LINKED_FOLDER
    with pytest.raises(UnreadableFile, match="device"):
        read_report(inbox / "zero.docx")
    assert list_inbox(str(inbox / "zero.docx"))[0].refused == "is a device, not a file: not read"


def _python_for_nobody() -> str | None:
    """A Python 3.11 the user nobody can run (a venv's interpreter may live under /root)."""
    for candidate in (sys.executable, "/usr/bin/python3.11", "/usr/local/bin/python3.11"):
        try:
            run = subprocess.run([candidate, "-c", "import sys; print(sys.version_info[:2])"], user="nobody",
                                 capture_output=True, text=True, timeout=30)
        except (OSError, subprocess.SubprocessError):
            continue
        if run.returncode == 0 and run.stdout.strip() == "(3, 11)":
            return candidate
    return None


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() != 0, reason="needs root to list as another user")
def test_a_folder_that_cannot_be_listed_is_recorded() -> None:
    """Files inside an unreadable folder were once skipped with no message (listed as user nobody:
    root reads every folder)."""
    python = _python_for_nobody()
    if python is None:
        pytest.skip("no Python 3.11 the user nobody can run")
    path = os.pathsep.join([str(ROOT), sysconfig.get_paths()["purelib"], sysconfig.get_paths()["platlib"]])
    with tempfile.TemporaryDirectory() as tmp:
        inbox = Path(tmp) / "inbox"
        (inbox / "locked").mkdir(parents=True)
        (inbox / "locked" / "r.txt").write_text("x")
        (inbox / "ok.txt").write_text("x")
        for p in (Path(tmp), inbox):
            p.chmod(0o755)
        (inbox / "locked").chmod(0o700)
        code = "import json, sys; from connectors.sources import list_inbox; " \
               "print(json.dumps([[f.url, f.refused] for f in list_inbox(sys.argv[1])]))"
        out = subprocess.run(
            [python, "-c", code, str(inbox)], user="nobody", cwd=ROOT, capture_output=True, text=True, check=True,
            env={"PYTHONPATH": path, "PATH": os.environ.get("PATH", "")},
        ).stdout
    listed = dict(json.loads(out))
    assert listed[str(inbox / "ok.txt")] is None
    assert "cannot be listed" in listed[str(inbox / "locked")]


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
    with pytest.raises(UnreadableFile, match=r"limit reached: .* over .* \(XXGK_MAX_BYTES\)"):
        read_bytes(str(big))
