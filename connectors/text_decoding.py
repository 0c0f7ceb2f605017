"""Bytes to text for the text-based formats: UTF-8 (with or without BOM), else GB18030."""

from __future__ import annotations

from connectors.document import UnreadableFile

_ENCODINGS = ("utf-8-sig", "gb18030")
_CONTROL_BYTES = bytes(b for b in range(32) if b < 9 or b > 13)


def looks_binary(data: bytes) -> bool:
    """True when the bytes are not text in any encoding a report comes in."""
    head = data[:65536]
    if b"\x00" in head:
        return True
    controls = len(head) - len(head.translate(None, _CONTROL_BYTES))
    return controls > max(8, len(head) // 100)


def decode_text(data: bytes, declared: str | None = None) -> str:
    """The text the bytes hold; a declared charset (HTML meta) is tried first."""
    if looks_binary(data):
        raise UnreadableFile("binary data, not text (is the file misnamed?)")
    tried = ([declared] if declared else []) + list(_ENCODINGS)
    for enc in tried:
        try:
            return data.decode(enc)
        except (UnicodeDecodeError, LookupError):
            continue
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    if best is None:
        raise UnreadableFile("text in an unknown encoding")
    return str(best)
