"""Reader defects the hostile corpus and bench/fuzz.py found, each pinned by the input that found it:
a reason the user can act on, never an "internal error" quarantine."""

from __future__ import annotations

import io

import pytest
from docx import Document as new_docx

from connectors.reading import INTERNAL_ERROR, reading_of
from tests.hostile.corpus import _document_xml, _flagged, _rezip, _with_document


def _docx() -> bytes:
    out = io.BytesIO()
    word = new_docx()
    word.add_paragraph("x")
    word.save(out)
    return out.getvalue()


def _set_flag(data: bytes, name: bytes, flag: int) -> bytes:
    buf = bytearray(data)
    for sig, flag_at, name_at in ((b"PK\x03\x04", 6, 30), (b"PK\x01\x02", 8, 46)):
        start = 0
        while (at := buf.find(sig, start)) >= 0:
            start = at + 4
            if buf[at + name_at : at + name_at + len(name)] == name:
                buf[at + flag_at] |= flag
    return bytes(buf)


@pytest.mark.parametrize(
    ("name", "data", "words"),
    [
        # fuzz: a part other than document.xml marked encrypted made zipfile raise RuntimeError
        ("encrypted core properties", lambda: _set_flag(_docx(), b"docProps/core.xml", 0x1), "encrypted"),
        ("encrypted document", lambda: _set_flag(_docx(), b"word/document.xml", 0x1), "encrypted"),
        # hostile corpus: document.xml without <w:body> was a TypeError in the walk
        ("no body", lambda: _with_document(_document_xml(b"<w:p/>")), "no body"),
        ("unknown compression", lambda: _flagged(_rezip(_docx(), {}), method=9), "damaged"),
    ],
)
def test_a_reader_defect_found_is_a_reason(name: str, data, words: str) -> None:
    reading = reading_of(data(), f"{name}.docx")
    assert reading.report is None
    assert words in reading.reason
    assert INTERNAL_ERROR.split("(")[0] not in reading.reason
