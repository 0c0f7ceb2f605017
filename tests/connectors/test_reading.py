"""Every file ends as a Reading: its report, or one line saying why there is none."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from connectors import reading
from connectors.reading import INTERNAL_ERROR, read_file, reading_of, unread
from tests.conftest import SEED


def test_a_report_reads_with_its_source() -> None:
    data = SEED.read_bytes()
    got = reading_of(data, "inbox/seed.txt")
    assert got.reason is None and got.report is not None and got.report.cells
    assert got.source == got.report.source
    assert (got.source.path, got.source.sha256) == ("inbox/seed.txt", hashlib.sha256(data).hexdigest())


def test_a_file_that_is_no_report_gets_its_reason_and_its_hash() -> None:
    data = b"%PDF-1.4 truncated"
    got = reading_of(data, "inbox/x.pdf", media_type="application/pdf")
    assert got.report is None and got.reason
    assert got.source.sha256 == hashlib.sha256(data).hexdigest() and got.source.media_type == "application/pdf"


def test_a_readers_bug_is_a_reason_unless_debugging(monkeypatch: pytest.MonkeyPatch) -> None:
    """A bug in a reader quarantines the file with the error; --debug lets it raise."""

    def broken(data: bytes, path: str, *limits: object):
        raise ZeroDivisionError("division by zero")

    monkeypatch.setattr(reading, "report_from_bytes", broken)
    got = reading_of(b"anything", "inbox/a.txt")
    assert got.report is None
    assert got.reason == INTERNAL_ERROR.format(kind="ZeroDivisionError", error="division by zero")
    with pytest.raises(ZeroDivisionError):
        reading_of(b"anything", "inbox/a.txt", reraise=True)


def test_a_file_never_fetched_is_keyed_by_its_location() -> None:
    first, again = unread("s3://inbox/a.docx", "cannot read (timeout)"), unread("s3://inbox/a.docx", "other")
    assert first.source.sha256 == again.source.sha256 != unread("s3://inbox/b.docx", "x").source.sha256
    assert (first.report, first.reason, first.source.media_type) == (None, "cannot read (timeout)", "unknown")


def test_read_file_names_a_missing_file(tmp_path: Path) -> None:
    got = read_file(tmp_path / "gone.docx")
    assert got.report is None and got.reason is not None and got.reason.startswith("cannot open")
    assert got.source.path == str(tmp_path / "gone.docx")
