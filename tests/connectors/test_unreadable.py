"""Unreadable input: one line on stderr naming the file and the reason, exit 2, the batch goes on."""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path

import pytest
from docx import Document as new_docx
from PIL import Image

from flows.cli import main
from tests.conftest import SAMPLES, SEED
from tests.hostile.corpus import zip_bomb


def _docx_with(document_xml: bytes) -> bytes:
    out = io.BytesIO()
    word = new_docx()
    word.save(out)
    src = zipfile.ZipFile(io.BytesIO(out.getvalue()))
    dst_buf = io.BytesIO()
    with zipfile.ZipFile(dst_buf, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = document_xml if info.filename == "word/document.xml" else src.read(info)
            dst.writestr(info.filename, data)
    return dst_buf.getvalue()


def _non_report_docx() -> bytes:
    word = new_docx()
    word.add_paragraph("会议纪要")
    word.add_paragraph("本次会议讨论了食堂菜单。")
    table = word.add_table(rows=2, cols=2)
    table.cell(0, 0).text = "菜名"
    table.cell(1, 0).text = "价格"
    out = io.BytesIO()
    word.save(out)
    return out.getvalue()


def _image_only_pdf() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (600, 800), "white").save(out, format="PDF")
    return out.getvalue()


def _xxe_docx() -> bytes:
    xml = (
        b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        b'<!DOCTYPE w:document [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
        b'<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
        b"<w:body><w:p><w:r><w:t>&xxe;</w:t></w:r></w:p></w:body></w:document>"
    )
    return _docx_with(xml)


BAD_INPUTS = {
    "empty.txt": (lambda: b"", "empty"),
    "truncated.docx": (lambda: _non_report_docx()[:1500], "truncated"),
    "minutes.docx": (_non_report_docx, "not an annual report"),
    "scan.pdf": (_image_only_pdf, "no text layer"),
    "page.html": (lambda: "<html><body><p>政府信息公开</p></body></html>".encode(), "without tables"),
    "bomb.docx": (zip_bomb, "zip bomb"),
    "program.txt": (lambda: bytes(range(256)) * 64, "binary"),
    "truncated.pdf": (lambda: (SAMPLES / "淮安市人民政府_2024.pdf").read_bytes()[:20000], "PDF"),
    "xxe.docx": (_xxe_docx, "entities"),
}


@pytest.mark.parametrize("name", sorted(BAD_INPUTS))
def test_unreadable_file_gets_one_line_and_exit_2(name: str, tmp_path: Path, capsys) -> None:
    make, words = BAD_INPUTS[name]
    bad = tmp_path / name
    bad.write_bytes(make())
    code = main(["parse", "--json", str(bad), str(SEED)])
    out = capsys.readouterr()
    assert code == 2
    lines = out.err.strip().splitlines()
    assert len(lines) == 1, out.err
    assert lines[0].startswith(f"xxgk: {bad}: ")
    assert words.lower() in lines[0].lower()
    assert "Traceback" not in out.err
    # the good file in the same batch is still read
    records = [json.loads(line) for line in out.out.splitlines()]
    assert [r["agency"] for r in records] == ["海宁市人民政府办公室"]


def test_external_entity_is_never_resolved(tmp_path: Path, capsys) -> None:
    bad = tmp_path / "xxe.docx"
    bad.write_bytes(_xxe_docx())
    main(["parse", "--json", str(bad)])
    out = capsys.readouterr()
    assert "root:" not in out.out + out.err


def test_missing_file_is_named(tmp_path: Path, capsys) -> None:
    code = main(["parse", str(tmp_path / "nope.docx")])
    assert code == 2
    assert "nope.docx" in capsys.readouterr().err
