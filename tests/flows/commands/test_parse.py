"""`xxgk parse`, run as a user runs it: bytes on stdout, one line per file."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from tests.conftest import SEED

ROOT = Path(__file__).resolve().parents[3]


def _parse(*paths: bytes) -> subprocess.CompletedProcess[bytes]:
    env = {**os.environ, "LC_ALL": "C.UTF-8"}
    return subprocess.run([sys.executable, "-m", "flows.cli", "parse", "--json", *paths], cwd=ROOT, env=env,
                          capture_output=True, timeout=120)


def test_a_file_name_that_is_not_utf8_gives_a_valid_utf8_json_line(tmp_path: Path) -> None:
    """A `\\xff\\xfe` file name once produced a JSON line that was not UTF-8."""
    name = os.fsencode(tmp_path) + b"/\xff\xfe report.txt"
    Path(os.fsdecode(name)).write_bytes(SEED.read_bytes())
    run = _parse(name)
    assert run.returncode == 0, run.stderr
    (line,) = run.stdout.splitlines()
    record = json.loads(line.decode("utf-8"))  # strict: raises on invalid UTF-8
    assert record["source"]["path"].encode("utf-8", "surrogateescape") == name
    assert record["cells"]["t3.new.total"] is not None


def test_a_named_pipe_is_refused_at_once(tmp_path: Path) -> None:
    """A FIFO once made `parse` wait forever (the timeout above would fail this test)."""
    os.mkfifo(tmp_path / "pipe.docx")
    run = _parse(os.fsencode(tmp_path / "pipe.docx"))
    assert run.returncode == 2
    assert b"pipe.docx: is a named pipe (FIFO), not a file: not read" in run.stderr
