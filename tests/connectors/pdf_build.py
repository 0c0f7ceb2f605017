"""Small PDFs written by hand, for what the real sample cannot show: encryption, fonts without a
Unicode map, scans, page counts.

Each file is a valid PDF 1.4 with a cross-reference table. The encrypted one uses the standard
security handler (revision 2, 40-bit RC4, PDF 1.7 §7.6.3) with a user password, so no reader can
open it without the password; with it, pdfium reads the page's text.
"""

from __future__ import annotations

import hashlib
import io

from PIL import Image

#: the 32-byte padding string of the standard security handler
_PAD = bytes.fromhex("28BF4E5E4E758A4164004E56FFFA01082E2E00B6D0683E802F0CA9FE6453697A")
_HELVETICA = b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"
TEXT = "Annual report 2024"


def _rc4(key: bytes, data: bytes) -> bytes:
    s = list(range(256))
    j = 0
    for i in range(256):
        j = (j + s[i] + key[i % len(key)]) % 256
        s[i], s[j] = s[j], s[i]
    out = bytearray()
    i = j = 0
    for byte in data:
        i = (i + 1) % 256
        j = (j + s[i]) % 256
        s[i], s[j] = s[j], s[i]
        out.append(byte ^ s[(s[i] + s[j]) % 256])
    return bytes(out)


def _file(objects: list[bytes], trailer: bytes = b"") -> bytes:
    """Objects 1..n (1 the catalog) with the cross-reference table and trailer."""
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n%s\nendobj\n" % (number, body))
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    out.writelines(b"%010d 00000 n \n" % offset for offset in offsets)
    out.write(
        b"trailer\n<< /Size %d /Root 1 0 R %s>>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, trailer, xref)
    )
    return out.getvalue()


def _stream(data: bytes) -> bytes:
    return b"<< /Length %d >>\nstream\n%s\nendstream" % (len(data), data)


def _one_page(content: bytes, font: bytes) -> list[bytes]:
    """Catalog, pages, the page, its content stream (object 4) and its font (object 5)."""
    return [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
        b"/Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R >>",
        _stream(content),
        font,
    ]


def text_pdf() -> bytes:
    """One page saying TEXT in Helvetica: a readable text layer."""
    return _file(_one_page(b"BT /F1 24 Tf 72 700 Td (%s) Tj ET" % TEXT.encode(), _HELVETICA))


def encrypted_pdf(user_password: bytes = b"secret", owner_password: bytes = b"owner") -> bytes:
    """text_pdf's page, encrypted: opening it needs `user_password`."""
    file_id = hashlib.md5(b"xxgk-test").digest()
    permissions = -44
    owner = _rc4(hashlib.md5((owner_password + _PAD)[:32]).digest()[:5], (user_password + _PAD)[:32])
    key = hashlib.md5(
        (user_password + _PAD)[:32] + owner + permissions.to_bytes(4, "little", signed=True) + file_id
    ).digest()[:5]
    user = _rc4(key, _PAD)
    content_key = hashlib.md5(key + (4).to_bytes(3, "little") + (0).to_bytes(2, "little")).digest()[:10]
    objects = _one_page(_rc4(content_key, b"BT /F1 24 Tf 72 700 Td (%s) Tj ET" % TEXT.encode()), _HELVETICA)
    objects.append(
        b"<< /Filter /Standard /V 1 /R 2 /O <%s> /U <%s> /P %d >>"
        % (owner.hex().encode(), user.hex().encode(), permissions)
    )
    ident = file_id.hex().encode()
    return _file(objects, b"/Encrypt 6 0 R /ID [<%s> <%s>] " % (ident, ident))


def cid_only_pdf() -> bytes:
    """A page of text in a CID font with no ToUnicode map: glyph codes, no characters."""
    codes = b"".join(b"%04X" % code for code in range(1, 40))
    content = b"".join(b"BT /F1 12 Tf 72 %d Td <%s> Tj ET\n" % (750 - 20 * i, codes) for i in range(20))
    font = (
        b"<< /Type /Font /Subtype /Type0 /BaseFont /SimSun /Encoding /Identity-H /DescendantFonts [6 0 R] >>"
    )
    objects = _one_page(content, font)
    objects.append(
        b"<< /Type /Font /Subtype /CIDFontType2 /BaseFont /SimSun /FontDescriptor 7 0 R /DW 1000 "
        b"/CIDSystemInfo << /Registry (Adobe) /Ordering (Identity) /Supplement 0 >> >>"
    )
    objects.append(
        b"<< /Type /FontDescriptor /FontName /SimSun /Flags 4 /FontBBox [0 -140 1000 860] "
        b"/ItalicAngle 0 /Ascent 860 /Descent -140 /CapHeight 700 /StemV 80 >>"
    )
    return _file(objects)


def image_only_pdf() -> bytes:
    """A scan: one page holding only an image."""
    out = io.BytesIO()
    Image.new("RGB", (600, 800), "white").save(out, format="PDF")
    return out.getvalue()


def blank_pages_pdf(pages: int) -> bytes:
    """`pages` empty pages."""
    kids = b" ".join(b"%d 0 R" % (3 + i) for i in range(pages))
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [%s] /Count %d >>" % (kids, pages),
    ]
    objects += [b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>"] * pages
    return _file(objects)
