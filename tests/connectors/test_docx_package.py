"""open_package gives what python-docx gives, or leaves the package to python-docx (None)."""

from __future__ import annotations

import io
import re
import zipfile

import pytest
from docx import Document as open_docx
from lxml import etree

from connectors.document import Document, Table
from connectors.docx_package import open_package
from connectors.docx_reader import read_docx
from tests.connectors.docx_build import docx_bytes

_DOC = Document(blocks=["一、总体情况", Table([["规章", "1", "2", "3"], ["行政\n规范性文件", "4", "", "6"]])])
_CORE_REL = re.compile(rb'<Relationship [^>]*core-properties"[^>]*/>')
_MAIN_TYPE = b"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"


@pytest.fixture(scope="module")
def plain() -> bytes:
    return docx_bytes(_DOC, merge=True)


def _rezip(data: bytes, names: dict[str, bytes | None]) -> bytes:
    """The package with members replaced or added; None removes one."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            if info.filename in names:
                if names[info.filename] is not None:
                    dst.writestr(info.filename, names[info.filename])
            else:
                dst.writestr(info, src.read(info))
        for name, blob in names.items():
            if blob is not None and name not in src.namelist():
                dst.writestr(name, blob)
    return out.getvalue()


def _member(data: bytes, name: str) -> bytes:
    return zipfile.ZipFile(io.BytesIO(data)).read(name)


def _same_as_python_docx(data: bytes) -> None:
    opened = open_package(zipfile.ZipFile(io.BytesIO(data)))
    assert opened is not None
    word = open_docx(io.BytesIO(data))
    assert etree.tostring(opened.body) == etree.tostring(word.element.body)
    assert opened.title == word.core_properties.title


def test_a_plain_package_opens_as_python_docx_opens_it(plain) -> None:
    _same_as_python_docx(plain)


def test_a_title_is_read_from_the_core_properties(plain) -> None:
    core = _member(plain, "docProps/core.xml")
    core = re.sub(rb"<dc:title>[^<]*</dc:title>|<dc:title/>", b"", core)
    core = core.replace(b"</cp:coreProperties>", "<dc:title> 某局2021年报告 </dc:title></cp:coreProperties>".encode())
    data = _rezip(plain, {"docProps/core.xml": core})
    _same_as_python_docx(data)
    assert read_docx(data).title == "某局2021年报告"


def test_without_core_properties_the_title_is_python_docx_default(plain) -> None:
    rels = _CORE_REL.sub(b"", _member(plain, "_rels/.rels"))
    data = _rezip(plain, {"_rels/.rels": rels, "docProps/core.xml": None})
    _same_as_python_docx(data)


def test_a_main_part_under_another_name_is_followed(plain) -> None:
    main = _member(plain, "word/document.xml").replace("总体情况".encode(), "改名的主体".encode())
    rels = _member(plain, "_rels/.rels").replace(b"word/document.xml", b"word/main.xml")
    types = _member(plain, "[Content_Types].xml").replace(b"/word/document.xml", b"/word/main.xml")
    doc_rels = _member(plain, "word/_rels/document.xml.rels")
    # word/document.xml stays as an orphan (the package check asks for it); the rels point elsewhere
    data = _rezip(
        plain,
        {"word/main.xml": main, "_rels/.rels": rels, "word/_rels/main.xml.rels": doc_rels, "[Content_Types].xml": types},
    )
    _same_as_python_docx(data)
    assert read_docx(data).blocks[0] == "一、改名的主体"


@pytest.mark.parametrize(
    "change",
    ["two main parts", "template content type", "no content type", "broken styles", "missing part"],
)
def test_anything_unusual_is_left_to_python_docx(plain, change) -> None:
    types = _member(plain, "[Content_Types].xml")
    rels = _member(plain, "_rels/.rels")
    if change == "two main parts":
        extra = b'<Relationship Id="rIdX" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/>'
        data = _rezip(plain, {"_rels/.rels": rels.replace(b"</Relationships>", extra + b"</Relationships>")})
    elif change == "template content type":
        dotx = b"application/vnd.openxmlformats-officedocument.wordprocessingml.template.main+xml"
        data = _rezip(plain, {"[Content_Types].xml": types.replace(_MAIN_TYPE, dotx)})
    elif change == "no content type":
        kept = re.sub(rb'<Override PartName="/word/document.xml"[^>]*/>', b"", types)
        data = _rezip(plain, {"[Content_Types].xml": re.sub(rb'<Default Extension="xml"[^>]*/>', b"", kept)})
    elif change == "broken styles":
        data = _rezip(plain, {"word/styles.xml": b"<w:styles"})
    else:
        data = _rezip(plain, {"word/styles.xml": None})
    assert open_package(zipfile.ZipFile(io.BytesIO(data))) is None
    with pytest.raises(Exception):  # noqa: B017 - python-docx's own kinds, whatever they are
        open_docx(io.BytesIO(data))
