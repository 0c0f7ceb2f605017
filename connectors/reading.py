"""One file in, one `Report` out, or `UnreadableFile` with a one-line reason naming why.

`reading_of` and `read_file` never raise for a file: every file ends as a `Reading`, its report or
the reason it has none, so one bad file (or a reader's bug) never costs the rest of a batch.
Every file is read under `Limits` (connectors/limits.py: size, markup, nesting, elements, pages,
time), so no file can cost the batch its time or memory either.
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
from connectors.limits import DEFAULT_LIMITS, LimitReached, Limits, check_size, time_limit
from connectors.ocr_reader import read_scan
from connectors.pdf_reader import read_pdf, read_pdf_text
from connectors.report_builder import build_report
from connectors.text_reader import read_text
from form import catalogue as cat
from form.record import Report, Source

#: The largest file read by default (XXGK_MAX_BYTES); larger ones are refused before reading.
MAX_FILE_BYTES = DEFAULT_LIMITS.bytes

#: The template's tables as a reason names them: 二、三、四.
_TABLES = "、".join(cat.TABLE_NUMERALS.values())
_NOT_A_REPORT = f"not an annual report: none of the template's tables ({_TABLES}) found"
_HTML_WITHOUT_TABLES = f"HTML page without tables: none of the report's tables ({_TABLES}) found"

#: What zipfile and zlib raise from inside a damaged or exotic package.
_DAMAGED = (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError)

#: The formats as a reason names them (a media type means little to an agency).
_FORMAT_NAMES = {sniff.DOCX: "Word (.docx)", sniff.HTML: "HTML", sniff.TEXT: "text"}

#: Readers of the formats read in one pass (a PDF is read by `_pdf_report`).
_READERS = {
    sniff.DOCX: read_docx,
    sniff.HTML: read_html,
    sniff.TEXT: read_text,
}


def _pdf_report(data: bytes, source: Source, limits: Limits) -> Report:
    """A PDF's report: from its text layer when that is complete, else from its ruled tables."""
    # the fast text layer is enough when it yields a complete report without a problem;
    # otherwise the ruled tables are found (slower), which keeps blank cells in place
    try:
        text = read_pdf_text(data, limits)
    except NoTextLayer:
        raise _Scan(source, image=False) from None
    report = build_report(text, source)
    if report.problems or not report.cells:
        ruled = build_report(read_pdf(data, limits), source)
        # the ruled tables win unless they read worse (a PDF whose tables have no ruling)
        if not report.cells or len(ruled.problems) <= len(report.problems):
            report = ruled
    return report


def _read_container(kind: str, data: bytes, limits: Limits):
    """The reader's document; a container the standard library cannot open (a damaged deflate
    stream, a zip method or encryption it does not implement) is a damaged file, said so."""
    try:
        return _READERS[kind](data, limits)
    except _DAMAGED as exc:
        raise UnreadableFile(f"damaged {_FORMAT_NAMES.get(kind, kind)} file ({type(exc).__name__}: {exc})") from None


class _Scan(Exception):
    """The file is a scan (a page image, or a PDF without a text layer): it is read by OCR, which
    takes seconds a page, under its own time limit (`Limits.scan_seconds`)."""

    def __init__(self, source: Source, image: bool) -> None:
        super().__init__(source.path)
        self.source, self.image = source, image


def report_from_bytes(data: bytes, path: str, limits: Limits = DEFAULT_LIMITS) -> Report:
    """The report a file's bytes print, read within `limits`; UnreadableFile when none of the
    template's tables is found, `LimitReached` (one) when a limit is."""
    check_size(len(data), limits.bytes, "bytes")
    try:
        with time_limit(limits.seconds):
            return _report(data, path, limits)
    except _Scan as scan:
        with time_limit(limits.scan_seconds, "scan_seconds"):
            return _complete(read_scan(data, scan.source, image=scan.image))


def _report(data: bytes, path: str, limits: Limits) -> Report:
    kind = sniff.media_type(data)
    source = Source(path=path, sha256=hashlib.sha256(data).hexdigest(), media_type=kind)
    if kind == sniff.PDF:
        report = _pdf_report(data, source, limits)
    elif kind in sniff.IMAGES:
        raise _Scan(source, image=True)
    else:
        doc = _read_container(kind, data, limits)
        report = build_report(doc, source)
        if not report.cells and kind == sniff.HTML and not doc.tables:
            raise UnreadableFile(_HTML_WITHOUT_TABLES)
    return _complete(report)


def _complete(report: Report) -> Report:
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


def reading_of(
    data: bytes, path: str, *, media_type: str | None = None, reraise: bool = False, limits: Limits = DEFAULT_LIMITS
) -> Reading:
    """The report in a file's bytes, or why there is none (`reraise`: a reader's bug raises, to debug)."""
    try:
        report = report_from_bytes(data, path, limits)
    except Exception as exc:
        return _failed(path, hashlib.sha256(data).hexdigest(), media_type, exc, reraise)
    return Reading(report.source, report)


def unread(path: str, reason: str) -> Reading:
    """A file whose bytes could not be fetched: keyed by its location, so it is recorded once."""
    sha256 = hashlib.sha256(f"unread:{path}".encode()).hexdigest()
    return Reading(Source(path=path, sha256=sha256, media_type=UNKNOWN_MEDIA_TYPE), None, reason)


def read_file(path: Path, *, reraise: bool = False, limits: Limits = DEFAULT_LIMITS) -> Reading:
    """`read_report`, every failure a reason (`reraise`: a reader's bug raises, to debug)."""
    try:
        report = read_report(path, limits)
    except Exception as exc:
        return _failed(str(path), "", None, exc, reraise)
    return Reading(report.source, report)


def read_report(path: Path, limits: Limits = DEFAULT_LIMITS) -> Report:
    """The report a file prints; UnreadableFile when it cannot be read as one."""
    try:
        info = path.stat()
    except OSError as exc:
        raise UnreadableFile(f"cannot open ({exc.strerror or exc})") from None
    reason = not_a_file(info.st_mode)
    if reason:
        raise UnreadableFile(reason)
    check_size(info.st_size, limits.bytes, "bytes")
    data = read_regular(str(path), limits.bytes)
    if len(data) > limits.bytes:  # it grew after it was measured
        raise LimitReached(f"the file is over {limits.bytes:,} bytes", "bytes")
    return report_from_bytes(data, str(path), limits)
