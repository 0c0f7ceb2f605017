"""Bytes to text for the text-based formats, whatever the agency's editor saved.

In order: a byte-order mark (UTF-8, UTF-16, UTF-32: Windows Notepad's "Unicode" is UTF-16 LE with
a BOM); UTF-16 without one, by its zero bytes; strict UTF-8 (text in another encoding is almost
never valid UTF-8, so a page whose `<meta charset>` says GBK but holds UTF-8 is read as UTF-8: the
declaration lies, the bytes do not); the declared charset; GB18030. When none decodes every byte,
the one that needs the fewest replacements is used if those are few, and the replaced bytes are
named as a problem of the report instead of refusing the file for one bad byte.
"""

from __future__ import annotations

import codecs
from dataclasses import dataclass

from connectors.document import UnreadableFile

_CONTROL_BYTES = bytes(b for b in range(32) if b < 9 or b > 13)
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
#: At most this share of bad bytes (or 8) are replaced; more means the encoding is not known.
_REPLACEABLE_SHARE = 0.002
_REPLACED = "\ufffd"


@dataclass(frozen=True)
class Decoded:
    text: str
    encoding: str
    #: bytes that were not valid in `encoding`, each shown as U+FFFD in `text`
    replaced: int = 0

    @property
    def problem(self) -> str | None:
        """What the reader should name, when bytes were replaced."""
        if not self.replaced:
            return None
        return f"{self.replaced} byte(s) not valid {self.encoding}, read as {_REPLACED}"


def _utf16_order(head: bytes) -> str | None:
    """UTF-16 without a BOM: digits and ASCII punctuation leave a zero byte in every other place."""
    if len(head) < 16:
        return None
    even, odd = head[0::2], head[1::2]
    zeros_even, zeros_odd = even.count(0) / len(even), odd.count(0) / len(odd)
    # CJK characters put zeros on the other side too (一 is U+4E00), but far fewer
    if zeros_odd > 0.1 and zeros_even < zeros_odd / 4:
        return "utf-16-le"
    if zeros_even > 0.1 and zeros_odd < zeros_even / 4:
        return "utf-16-be"
    return None


def unicode_encoding(data: bytes) -> str | None:
    """The Unicode encoding a BOM (or UTF-16's zero bytes) names; None for 8-bit text."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return encoding
    return _utf16_order(data[:4096])


def looks_binary(data: bytes) -> bool:
    """True when the bytes are not text in any encoding a report comes in."""
    if unicode_encoding(data) not in (None, "utf-8-sig"):
        return False
    head = data[:65536]
    if b"\x00" in head:
        return True
    controls = len(head) - len(head.translate(None, _CONTROL_BYTES))
    return controls > max(8, len(head) // 100)


def _lenient(data: bytes, encoding: str) -> Decoded | None:
    try:
        text = data.decode(encoding, errors="replace")
    except LookupError:
        return None
    printed = data.count(_REPLACED.encode("utf-8")) if encoding.startswith("utf-8") else 0  # U+FFFD as written
    return Decoded(text, encoding, max(0, text.count(_REPLACED) - printed))


def decode(data: bytes, declared: str | None = None) -> Decoded:
    """The text the bytes hold, how it was decoded, and how many bytes had to be replaced."""
    unicode = unicode_encoding(data)
    if unicode is not None:
        return _lenient(data, unicode) or Decoded(data.decode(unicode, errors="replace"), unicode)
    if looks_binary(data):
        raise UnreadableFile("binary data, not text (is the file misnamed?)")
    candidates = list(dict.fromkeys(["utf-8", *([declared.lower()] if declared else []), "gb18030"]))
    for encoding in candidates:
        try:
            return Decoded(data.decode(encoding), encoding)
        except (UnicodeDecodeError, LookupError):
            continue
    tried = [d for d in (_lenient(data, e) for e in candidates) if d is not None]
    best = min(tried, key=lambda d: d.replaced)
    if best.replaced <= max(8, int(len(data) * _REPLACEABLE_SHARE)):
        return best
    from charset_normalizer import from_bytes

    guess = from_bytes(data).best()
    if guess is None or guess.encoding is None:
        raise UnreadableFile("text in an unknown encoding")
    return Decoded(str(guess), guess.encoding)

