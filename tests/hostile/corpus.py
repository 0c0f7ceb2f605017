"""A hostile inbox, generated: every kind of bad file the reliability issue names, each with the
outcome it must end in, beside a province of good generated reports.

`build(root)` writes `root/inbox` (what is ingested), `root/outside` (what the inbox's links point
at) and `root/registry.csv`, and returns the kinds with their files and the good files. Each kind
says what must happen to its files:

- `quarantined` with a reason holding one of `reason` (lower-cased substrings);
- `read`: loaded or rejected, and `xxgk parse --json` names a problem holding `problem`
  (a cell id, or what the reader replaced);
- `rejected` with a finding whose rule id is in `reason`;
- `loaded` (a file the issue saw misread that must now be read as any other);
- `first_loaded`: identical copies, the first loaded and every other `unchanged`.

The same arguments give the same files (the generator and every mutation are seeded).
"""

from __future__ import annotations

import io
import os
import zipfile
from dataclasses import dataclass, field, replace
from pathlib import Path

from docx import Document as new_docx
from PIL import Image

from synth.province import build as build_province
from synth.province import generate
from synth.writers import writer_for
from tests.conftest import SAMPLES
from tests.connectors import pdf_build

#: how many files each kind gets (special files included)
COPIES = 10
#: the good reports ingested beside the hostile ones
GOOD = 100
AGENCIES = 90
YEARS = range(2019, 2025)
SEED = 14


#: every kind `build` writes, in order (the tests are parametrized by it)
KIND_NAMES = (
    "empty",
    "truncated_docx",
    "non_report_docx",
    "image_only_pdf",
    "html_without_tables",
    "zip_bomb",
    "binary_as_text",
    "truncated_pdf",
    "xxe_docx",
    "billion_laughs_docx",
    "truncated_zip",
    "encrypted_pdf",
    "cid_only_pdf",
    "legacy_doc",
    "rtf",
    "image",
    "docx_no_body",
    "docx_strong_encryption",
    "docx_unknown_compression",
    "docx_bad_deflate",
    "nested_tables_24",
    "fifo",
    "symlink_to_dev_zero",
    "symlink_out_of_inbox",
    "hidden_dot_file",
    "unreadable_folder",
    "ff_fe_file_name",
    "wrong_extension",
    "utf16_bom_text",
    "utf16le_without_bom",
    "gb18030_one_bad_byte",
    "utf8_one_bad_byte",
    "lying_meta_charset",
    "html_long_leading_comment",
    "big_html",
    "thousand_digit_count",
    "fee_1e30",
    "text_in_number_cell",
    "year_1900",
    "year_2099",
    "missing_table",
    "title_without_year",
    "duplicate_identical",
)


@dataclass
class Kind:
    name: str
    #: quarantined · read · rejected · loaded · first_loaded
    outcome: str
    #: lower-case substrings: one must be in the reason (quarantined) or name a rule (rejected)
    reason: tuple[str, ...] = ()
    #: for `read`: a substring one of the file's parse problems must hold (its cell or reason)
    problem: str | None = None
    #: set when the outcome the issue demands waits for another change (xfail, strict)
    waits_for: str | None = None
    files: list[Path] = field(default_factory=list)


@dataclass
class Corpus:
    inbox: Path
    registry: Path
    kinds: list[Kind]
    good: list[Path]

    @property
    def hostile_files(self) -> int:
        return sum(len(k.files) for k in self.kinds)


# ------------------------------------------------------------------ containers and formats


def _docx_bytes(word) -> bytes:
    out = io.BytesIO()
    word.save(out)
    return out.getvalue()


def _rezip(data: bytes, replace_parts: dict[str, bytes], method: int = zipfile.ZIP_DEFLATED) -> bytes:
    """A copy of a zip package with some parts replaced."""
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", method) as dst:
        for info in src.infolist():
            dst.writestr(info.filename, replace_parts.get(info.filename, src.read(info)))
    return out.getvalue()


def _non_report_docx(i: int) -> bytes:
    word = new_docx()
    word.add_paragraph(f"会议纪要 第{i}期")
    word.add_paragraph("本次会议讨论了食堂菜单。")
    table = word.add_table(rows=2, cols=2)
    table.cell(0, 0).text = "菜名"
    table.cell(1, 0).text = "价格"
    return _docx_bytes(word)


def _document_xml(body: bytes) -> bytes:
    return (
        b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        b'<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">' + body + b"</w:document>"
    )


def _with_document(xml: bytes) -> bytes:
    return _rezip(_docx_bytes(new_docx()), {"word/document.xml": xml})


def _xxe_docx(i: int) -> bytes:
    xml = (
        b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        b'<!DOCTYPE w:document [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
        b'<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
        b"<w:body><w:p><w:r><w:t>&xxe;%d</w:t></w:r></w:p></w:body></w:document>" % i
    )
    return _rezip(_docx_bytes(new_docx()), {"word/document.xml": xml})


def _billion_laughs_docx(i: int) -> bytes:
    entities = b'<!ENTITY lol0 "lol%d">' % i + b"".join(
        b'<!ENTITY lol%d "%s">' % (n, b"&lol%d;" % (n - 1) * 10) for n in range(1, 10)
    )
    xml = (
        b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<!DOCTYPE w:document [' + entities + b"]>"
        b'<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
        b"<w:body><w:p><w:r><w:t>&lol9;</w:t></w:r></w:p></w:body></w:document>"
    )
    return _rezip(_docx_bytes(new_docx()), {"word/document.xml": xml})


def zip_bomb() -> bytes:
    """400 MiB of zeros in ~400 KiB."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        with z.open("word/document.xml", "w", force_zip64=True) as member:
            block = b"\0" * (1 << 20)
            for _ in range(400):
                member.write(block)
    return out.getvalue()


def _commented(data: bytes, i: int) -> bytes:
    """The zip with an archive comment: a new file of the same content (the comment is last)."""
    comment = b"copy %d" % i
    return data[:-2] + len(comment).to_bytes(2, "little") + comment


def _nested_docx(depth: int, i: int) -> bytes:
    """Tables nested `depth` deep (a 6 KB file took 19 minutes at 24 deep before the reader was linear)."""
    cell = b"<w:p><w:r><w:t>%d</w:t></w:r></w:p>" % i
    for _ in range(depth):
        row = b"<w:tr><w:tc>" + cell + b"<w:p/></w:tc><w:tc><w:p><w:r><w:t>x</w:t></w:r></w:p></w:tc></w:tr>"
        cell = b"<w:tbl>" + row + b"</w:tbl><w:p/>"
    return _with_document(_document_xml(b"<w:body>" + cell + b"</w:body>"))


def _flagged(data: bytes, flag: int = 0, method: int | None = None) -> bytes:
    """The package with document.xml's general-purpose flag or compression method rewritten in
    both its local header and its central directory entry (what an exotic zip tool writes)."""
    buf = bytearray(data)
    name = b"word/document.xml"
    for sig, flag_at, method_at, name_at in ((b"PK\x03\x04", 6, 8, 30), (b"PK\x01\x02", 8, 10, 46)):
        start = 0
        while (at := buf.find(sig, start)) >= 0:
            start = at + 4
            if buf[at + name_at : at + name_at + len(name)] == name:
                if flag:
                    buf[at + flag_at] |= flag
                if method is not None:
                    buf[at + method_at : at + method_at + 2] = method.to_bytes(2, "little")
    return bytes(buf)


def _image_only_pdf(i: int) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (600 + i, 800), "white").save(out, format="PDF")
    return out.getvalue()


def _png(i: int) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (40 + i, 40), "white").save(out, format="PNG")
    return out.getvalue()


# ------------------------------------------------------------------ the corpus


def _write(path: Path, data: bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return path


def _bytes_kind(inbox: Path, kind: Kind, ext: str, make) -> Kind:
    kind.files = [_write(inbox / kind.name / f"{kind.name}_{i}.{ext}", make(i)) for i in range(COPIES)]
    return kind


def build(root: Path, *, unreadable_folder: bool = True) -> Corpus:
    """The hostile inbox and the good reports under `root` (see the module's docstring).

    `unreadable_folder`: include a folder whose mode forbids listing (meaningful only when the
    ingest runs without root's override of permissions).
    """
    inbox, outside, staging = root / "inbox", root / "outside", root / "province"
    inbox.mkdir(parents=True)
    outside.mkdir()
    generate(staging, AGENCIES, YEARS, ("docx", "html", "txt"), 0.0, SEED)
    province = build_province(AGENCIES, YEARS, ("docx", "html", "txt"), 0.0, SEED)
    # the first reports (every year of the first agencies) are the good ones; the others are bases
    reports = list(province.reports)
    good_reports, bases = reports[:GOOD], reports[GOOD:]
    good = []
    for r in good_reports:
        target = inbox / "good" / r.file
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes((staging / "reports" / r.file).read_bytes())
        good.append(target)
    by_format: dict[str, list] = {"docx": [], "html": [], "txt": []}
    for r in bases:
        by_format[r.layout.format].append(r)

    def take(fmt: str | None = None, avoid: set[str] | None = None, since: int = 0):
        """The next base report (of `fmt`), of an agency not in `avoid`, for a year from `since`."""
        pool = by_format[fmt] if fmt else max(by_format.values(), key=len)
        at = next(i for i, r in enumerate(pool) if r.agency_id not in (avoid or ()) and r.year >= since)
        r = pool.pop(at)
        # printed in UTF-8, so the kinds below choose the encoding themselves
        return replace(r, layout=replace(r.layout, encoding="utf-8"), texts=dict(r.texts), cells=dict(r.cells))

    def printed(r) -> bytes:
        return writer_for(r.layout.format)(r)

    kinds: list[Kind] = []
    add = kinds.append
    sample_pdf = (SAMPLES / "淮安市人民政府_2024.pdf").read_bytes()

    # ---- what test_unreadable.py refuses, and more containers
    empty = Kind("empty", "quarantined", ("empty",))  # one file: every empty file has the same bytes
    empty.files = [_write(inbox / "empty" / "empty.txt", b"")]
    add(empty)
    add(_bytes_kind(inbox, Kind("truncated_docx", "quarantined", ("truncated",)), "docx",
                    lambda i: _non_report_docx(i)[: 1500 + i]))
    add(_bytes_kind(inbox, Kind("non_report_docx", "quarantined", ("not an annual report",)), "docx", _non_report_docx))
    add(_bytes_kind(inbox, Kind("image_only_pdf", "quarantined", ("no text layer",)), "pdf", _image_only_pdf))
    add(_bytes_kind(inbox, Kind("html_without_tables", "quarantined", ("without tables",)), "html",
                    lambda i: f"<html><body><p>政府信息公开 {i}</p></body></html>".encode()))
    bomb = zip_bomb()
    add(_bytes_kind(inbox, Kind("zip_bomb", "quarantined", ("zip bomb",)), "docx", lambda i: _commented(bomb, i)))
    add(_bytes_kind(inbox, Kind("binary_as_text", "quarantined", ("binary",)), "txt",
                    lambda i: bytes(range(256)) * 64 + bytes([i])))
    add(_bytes_kind(inbox, Kind("truncated_pdf", "quarantined", ("pdf",)), "pdf",
                    lambda i: sample_pdf[: 20000 + 97 * i]))
    add(_bytes_kind(inbox, Kind("xxe_docx", "quarantined", ("entities",)), "docx", _xxe_docx))
    add(_bytes_kind(inbox, Kind("billion_laughs_docx", "quarantined", ("entities",)), "docx", _billion_laughs_docx))
    good_docx = printed(take("docx"))
    add(_bytes_kind(inbox, Kind("truncated_zip", "quarantined", ("truncated", "damaged")), "docx",
                    lambda i: good_docx[: len(good_docx) - 50 - 37 * i]))
    add(_bytes_kind(inbox, Kind("encrypted_pdf", "quarantined", ("encrypted",)), "pdf",
                    lambda i: pdf_build.encrypted_pdf(user_password=b"secret%d" % i)))
    add(_bytes_kind(inbox, Kind("cid_only_pdf", "quarantined", ("unicode mapping",)), "pdf",
                    lambda i: pdf_build.cid_only_pdf() + b"%%%d\n" % i))
    add(_bytes_kind(inbox, Kind("legacy_doc", "quarantined", ("legacy word",)), "doc",
                    lambda i: bytes.fromhex("D0CF11E0A1B11AE1") + bytes(504) + bytes([i])))
    add(_bytes_kind(inbox, Kind("rtf", "quarantined", ("rtf",)), "docx",
                    lambda i: b"{\\rtf1\\ansi report %d}" % i))
    add(_bytes_kind(inbox, Kind("image", "quarantined", ("image",)), "docx", _png))
    add(_bytes_kind(inbox, Kind("docx_no_body", "quarantined", ("no body",)), "docx",
                    lambda i: _with_document(_document_xml(b"<w:p><w:r><w:t>%d</w:t></w:r></w:p>" % i))))
    add(_bytes_kind(inbox, Kind("docx_strong_encryption", "quarantined", ("encrypted",)), "docx",
                    lambda i: _flagged(_non_report_docx(i), flag=0x41)))
    add(_bytes_kind(inbox, Kind("docx_unknown_compression", "quarantined", ("compression method",)), "docx",
                    lambda i: _flagged(_non_report_docx(i), method=9)))

    def bad_deflate(i: int) -> bytes:
        data = bytearray(_non_report_docx(i))
        at = data.find(b"word/document.xml") + len(b"word/document.xml") + 8
        data[at : at + 16] = bytes([0xFF]) * 16
        return bytes(data)

    add(_bytes_kind(inbox, Kind("docx_bad_deflate", "quarantined", ("damaged", "truncated")), "docx", bad_deflate))
    add(_bytes_kind(inbox, Kind("nested_tables_24", "quarantined", ("not an annual report", "limit reached")), "docx",
                    lambda i: _nested_docx(24, i)))

    # ---- special files
    def special(name: str, reason: tuple[str, ...], make) -> None:
        kind = Kind(name, "quarantined", reason)
        folder = inbox / name
        folder.mkdir()
        for i in range(COPIES):
            kind.files.append(make(folder, i))
        add(kind)

    def fifo(folder: Path, i: int) -> Path:
        os.mkfifo(folder / f"pipe_{i}.docx")
        return folder / f"pipe_{i}.docx"

    def to_dev_zero(folder: Path, i: int) -> Path:
        (folder / f"zero_{i}.txt").symlink_to("/dev/zero")
        return folder / f"zero_{i}.txt"

    def out_of_inbox(folder: Path, i: int) -> Path:
        target = _write(outside / f"elsewhere_{i}.txt", b"outside the inbox %d" % i)
        (folder / f"link_{i}.txt").symlink_to(target)
        return folder / f"link_{i}.txt"

    def hidden(folder: Path, i: int) -> Path:
        return _write(folder / f".hidden_{i}.txt", printed(take("txt")))

    special("fifo", ("named pipe",), fifo)
    special("symlink_to_dev_zero", ("outside the inbox", "device"), to_dev_zero)
    special("symlink_out_of_inbox", ("outside the inbox",), out_of_inbox)
    special("hidden_dot_file", ("hidden",), hidden)
    if unreadable_folder:
        kind = Kind("unreadable_folder", "quarantined", ("cannot be listed",))
        for i in range(COPIES):
            folder = inbox / "unreadable_folder" / f"locked_{i}"
            _write(folder / "report.txt", printed(take("txt")))
            folder.chmod(0)
            kind.files.append(folder)
        add(kind)

    # ---- names and encodings: read as any other report
    kind = Kind("ff_fe_file_name", "loaded")
    for i in range(COPIES):
        name = os.fsdecode(b"\xff\xfe_%d.txt" % i)
        kind.files.append(_write(inbox / kind.name / name, printed(take("txt"))))
    add(kind)

    def text_kind(name: str, outcome: str, encode, problem: str | None = None, fmt: str = "txt", ext: str = "txt"):
        kind = Kind(name, outcome, problem=problem)
        for i in range(COPIES):
            r = take(fmt)
            kind.files.append(_write(inbox / name / f"{r.agency_id}_{r.year}.{ext}", encode(printed(r), i)))
        add(kind)

    def utf8(data: bytes) -> str:
        return data.decode("utf-8")

    text_kind("wrong_extension", "loaded", lambda d, i: d, fmt="docx", ext="pdf")
    text_kind("utf16_bom_text", "loaded", lambda d, i: utf8(d).encode("utf-16"))
    text_kind("utf16le_without_bom", "loaded", lambda d, i: utf8(d).encode("utf-16-le"))

    def one_bad_byte(data: bytes, i: int) -> bytes:
        text = utf8(data).encode("gb18030")
        at = len(text) // 3  # inside the narrative before the tables, away from any cell
        at = text.index(b"\n", at) if b"\n" in text[at:] else at
        return text[:at] + b"\xff" + text[at:]

    text_kind("gb18030_one_bad_byte", "read", one_bad_byte, problem="not valid")

    def utf8_bad_byte(data: bytes, i: int) -> bytes:
        at = data.index(b"\n", len(data) // 3)
        return data[:at] + b"\x80" + data[at:]

    text_kind("utf8_one_bad_byte", "read", utf8_bad_byte, problem="not valid")

    def lying_charset(data: bytes, i: int) -> bytes:
        text = utf8(data)
        head = '<meta charset="gbk">'
        return (text.replace("<head>", "<head>" + head, 1) if "<head>" in text else head + text).encode("utf-8")

    text_kind("lying_meta_charset", "loaded", lying_charset, fmt="html", ext="html")

    def long_comment(data: bytes, i: int) -> bytes:
        return b"<!-- " + b"generated page, do not edit " * 400 + b" -->\n" + data

    text_kind("html_long_leading_comment", "loaded", long_comment, fmt="html", ext="html")

    def big_html(data: bytes, i: int) -> bytes:
        text = utf8(data)
        filler = "<div class='nav'><a href='#'>link</a></div>\n" * 70_000  # ~3 MB of page furniture
        at = text.rfind("</body>")
        return (text[:at] + filler + text[at:] if at >= 0 else text + filler).encode("utf-8")

    text_kind("big_html", "loaded", big_html, fmt="html", ext="html")

    # ---- values no report can hold, and years out of range
    def set_text(cell: str, text: str):
        def change(r) -> None:
            r.texts[cell] = text
        return change

    def value_kind(name: str, outcome: str, change, reason: tuple[str, ...] = (), problem: str | None = None,
                   fmt: str | None = None, since: int = 0) -> None:
        """Reports of distinct agencies (a changed year must not make two the same agency's year)."""
        kind = Kind(name, outcome, reason, problem)
        agencies: set[str] = set()
        for _ in range(COPIES):
            r = take(fmt, agencies, since)
            agencies.add(r.agency_id)
            change(r)
            kind.files.append(_write(inbox / name / f"{r.agency_id}_{r.year}.{r.layout.format}", printed(r)))
        add(kind)

    value_kind("thousand_digit_count", "rejected", set_text("t3.new.natural", "9" * 1000), ("values.domain",))
    value_kind("fee_1e30", "rejected", set_text("t2.fees.amount", "1" + "0" * 30), ("values.domain",),
               since=2021)  # the 2019 template prints no fee amount
    value_kind("text_in_number_cell", "read", set_text("t3.new.legal", "若干"), problem="t3.new.legal")

    def year(y: int):
        def change(r) -> None:
            r.title_year = y
        return change

    value_kind("year_1900", "rejected", year(1900), ("year.plausible", "year.implausible"))
    value_kind("year_2099", "rejected", year(2099), ("year.plausible", "year.implausible"))

    def missing_table(r) -> None:
        r.missing_tables = frozenset({4})

    value_kind("missing_table", "read", missing_table, problem="t4", fmt="txt")

    def no_title_year(name: str) -> None:
        kind = Kind(name, "read", problem="year", waits_for=None)
        for _ in range(COPIES):
            r = take("txt")
            text = utf8(printed(r))
            head, body = text[:400], text[400:]
            for title in (f"{r.year}年度", f"{r.year}年", str(r.year)):
                if title in head:
                    head = head.replace(title, "", 1)
                    break
            else:
                raise AssertionError(f"no year in the title of {r.file}")
            text = head + body
            kind.files.append(_write(inbox / name / f"{r.agency_id}_{r.year}.txt", text.encode("utf-8")))
        add(kind)

    no_title_year("title_without_year")

    # ---- the same bytes more than once in one run
    r = take("html")
    data = printed(r)
    kind = Kind("duplicate_identical", "first_loaded")
    kind.files = [_write(inbox / kind.name / f"copy_{i:02d}_{r.agency_id}_{r.year}.html", data) for i in range(COPIES)]
    add(kind)

    assert tuple(k.name for k in kinds) == tuple(n for n in KIND_NAMES if unreadable_folder or n != "unreadable_folder")
    return Corpus(inbox=inbox, registry=staging / "registry.csv", kinds=kinds, good=good)
