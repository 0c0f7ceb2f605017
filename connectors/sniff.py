"""What a file is, by its bytes: a misnamed file is read as what it is, or refused clearly."""

from __future__ import annotations

import re

from connectors.document import UnreadableFile
from connectors.text_decoding import looks_binary, unicode_encoding

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
PDF = "application/pdf"
HTML = "text/html"
TEXT = "text/plain"
PNG = "image/png"
JPEG = "image/jpeg"
TIFF = "image/tiff"
#: Page images: a scanned report read by OCR (connectors.ocr_reader).
IMAGES = (PNG, JPEG, TIFF)

_HTML_START = re.compile(rb"^\s*(<\?xml[^>]*>\s*)?(<!--.*?-->\s*)*<(!doctype\s+html|html|head|body|meta|table|div|p)[\s>/]", re.I | re.S)


_SKIPPED = ((b"<!--", b"-->"), (b"<?xml", b"?>"))


def _opening(data: bytes) -> bytes:
    """The first markup of a text file as UTF-8 bytes: past a BOM, blank lines, an XML
    declaration and comments however long (a page may open with pages of comment)."""
    encoding = unicode_encoding(data)
    if encoding and encoding != "utf-8-sig":
        data = data[: 1 << 20].decode(encoding, errors="ignore").encode("utf-8")
    head = data.lstrip(b"\xef\xbb\xbf")
    at = 0
    while True:
        while at < len(head) and head[at : at + 1].isspace():
            at += 1
        for opener, closer in _SKIPPED:
            if head.startswith(opener, at):
                end = head.find(closer, at + len(opener))
                if end < 0:
                    return head[at : at + 8192]
                at = end + len(closer)
                break
        else:
            return head[at : at + 8192]


def media_type(data: bytes) -> str:
    """The media type the bytes are, or UnreadableFile naming why they are none we read."""
    if not data.strip():
        raise UnreadableFile("empty file")
    head = data[:2048]
    if head.startswith(b"%PDF") or b"%PDF-" in data[:1024]:
        return PDF
    if head.startswith(b"PK\x03\x04") or head.startswith(b"PK\x05\x06"):
        return DOCX
    if head.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        raise UnreadableFile("legacy Word 97-2003 (.doc/.wps) file: save it as .docx")
    if head.startswith(b"{\\rtf"):
        raise UnreadableFile("RTF document: save it as .docx")
    if head[:4] == b"\x89PNG":
        return PNG
    if head[:3] == b"\xff\xd8\xff":
        return JPEG
    if head[:4] in (b"II*\x00", b"MM\x00*"):
        return TIFF
    if head[:4] == b"GIF8":
        raise UnreadableFile("an image, not a report document (no text to read)")
    if looks_binary(data):
        raise UnreadableFile("binary data, not a report document (is the file misnamed?)")
    opening = _opening(data)
    if _HTML_START.match(opening) or re.search(rb"<(html|table|body)[\s>]", opening, re.I):
        return HTML
    return TEXT
