"""One file in, one `Report` out, or `UnreadableFile` with a one-line reason naming why.

`reading_of` and `read_file` never raise for a file: every file ends as a `Reading`, its report or
the reason it has none, so one bad file (or a reader's bug) never costs the rest of a batch.
"""

from __future__ import annotations

import hashlib
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path

from connectors import sniff
from connectors.document import NoTextLayer, UnreadableFile
from connectors.docx_reader import read_docx
from connectors.file_kinds import not_a_file, read_regular
from connectors.html_reader import read_html
from connectors.ocr_reader import read_scan
from connectors.pdf_reader import read_pdf, read_pdf_text
from connectors.report_builder import build_report
from connectors.text_reader import read_text
from form import catalogue as cat
from form.record import Report, Source

#: The largest file a report can plausibly be; larger ones are refused before reading.
MAX_FILE_BYTES = 200 * 1024 * 1024

#: The template's tables as a reason names them: 二、三、四.
_TABLES = "、".join(cat.TABLE_NUMERALS.values())
_NOT_A_REPORT = f"not an annual report: none of the template's tables ({_TABLES}) found"
_HTML_WITHOUT_TABLES = f"HTML page without tables: none of the report's tables ({_TABLES}) found"

#: What zipfile and zlib raise from inside a damaged or exotic package.
_DAMAGED = (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError)

#: Readers of the formats read in one pass (a PDF is read by `_pdf_report`).
_READERS = {
    sniff.DOCX: read_docx,
    sniff.HTML: read_html,
    sniff.TEXT: read_text,
}


def _pdf_report(data: bytes, source: Source) -> Report:
    """A PDF's report: from its text layer when that is complete, else from its ruled tables."""
    # the fast text layer is enough when it yields a complete report without a problem;
    # otherwise the ruled tables are found (slower), which keeps blank cells in place
    try:
        text = read_pdf_text(data)
    except NoTextLayer:
        return read_scan(data, source, image=False)
    report = build_report(text, source)
    if report.problems or not report.cells:
        ruled = build_report(read_pdf(data), source)
        # the ruled tables win unless they read worse (a PDF whose tables have no ruling)
        if not report.cells or len(ruled.problems) <= len(report.problems):
            report = ruled
    return report


def _read_container(kind: str, data: bytes):
    """The reader's document; a container the standard library cannot open (a damaged deflate
    stream, a zip method or encryption it does not implement) is a damaged file, said so."""
    try:
        return _READERS[kind](data)
    except _DAMAGED as exc:
        raise UnreadableFile(f"damaged {kind} file ({type(exc).__name__}: {exc})") from None


def report_from_bytes(data: bytes, path: str) -> Report:
    """The report a file's bytes print; UnreadableFile when none of the template's tables is found."""
    kind = sniff.media_type(data)
    source = Source(path=path, sha256=hashlib.sha256(data).hexdigest(), media_type=kind)
    if kind == sniff.PDF:
        report = _pdf_report(data, source)
    elif kind in sniff.IMAGES:
        report = read_scan(data, source, image=True)
    else:
        doc = _read_container(kind, data)
        report = build_report(doc, source)
        if not report.cells and kind == sniff.HTML and not doc.tables:
            raise UnreadableFile(_HTML_WITHOUT_TABLES)
    if not report.cells:
        raise UnreadableFile(_NOT_A_REPORT)
    return report


@dataclass(frozen=True)
class Reading:
    """A file read: its report, or the one-line reason it has none (then `report` is None)."""

    source: Source
    report: Report | None = None
    reason: str | None = None


#: What a reader's own failure is reported as: the file is quarantined with it, never lost.
INTERNAL_ERROR = "internal error while reading ({kind}: {error}); please report it"
#: The media type of a file nothing could be read from.
UNKNOWN_MEDIA_TYPE = "unknown"


def _failed(path: str, sha256: str, media_type: str | None, exc: Exception, reraise: bool) -> Reading:
    if isinstance(exc, UnreadableFile):
        reason = str(exc)
    elif reraise:
        raise exc
    else:
        reason = INTERNAL_ERROR.format(kind=type(exc).__name__, error=exc)
    return Reading(Source(path=path, sha256=sha256, media_type=media_type or UNKNOWN_MEDIA_TYPE), None, reason)


def reading_of(data: bytes, path: str, *, media_type: str | None = None, reraise: bool = False) -> Reading:
    """The report in a file's bytes, or why there is none (`reraise`: a reader's bug raises, to debug)."""
    try:
        report = report_from_bytes(data, path)
    except Exception as exc:
        return _failed(path, hashlib.sha256(data).hexdigest(), media_type, exc, reraise)
    return Reading(report.source, report)


def unread(path: str, reason: str) -> Reading:
    """A file whose bytes could not be fetched: keyed by its location, so it is recorded once."""
    sha256 = hashlib.sha256(f"unread:{path}".encode()).hexdigest()
    return Reading(Source(path=path, sha256=sha256, media_type=UNKNOWN_MEDIA_TYPE), None, reason)


def read_file(path: Path, *, reraise: bool = False) -> Reading:
    """`read_report`, every failure a reason (`reraise`: a reader's bug raises, to debug)."""
    try:
        report = read_report(path)
    except Exception as exc:
        return _failed(str(path), "", None, exc, reraise)
    return Reading(report.source, report)


def read_report(path: Path) -> Report:
    """The report a file prints; UnreadableFile when it cannot be read as one."""
    try:
        info = path.stat()
    except OSError as exc:
        raise UnreadableFile(f"cannot open ({exc.strerror or exc})") from None
    reason = not_a_file(info.st_mode)
    if reason:
        raise UnreadableFile(reason)
    if info.st_size > MAX_FILE_BYTES:
        raise UnreadableFile(f"refused: {info.st_size:,} bytes is too large for an annual report")
    data = read_regular(str(path), MAX_FILE_BYTES)
    if len(data) > MAX_FILE_BYTES:  # it grew after it was measured
        raise UnreadableFile(f"refused: larger than {MAX_FILE_BYTES:,} bytes, too large for an annual report")
    return report_from_bytes(data, str(path))
