"""E-mail messages built with the `email` package's structured API, so nothing in them can add a header.

Agency names, file names and registry e-mail fields come from outside: an address is accepted
only when it parses as exactly one `addr_spec` (no display name, no list, no line break); display
names and subjects lose every control character; attachment names travel as RFC 2231 parameters.
The message is rendered with `email.policy.SMTP`, which refuses any header value holding a line
break, so a missed case fails loudly instead of injecting.
"""

from __future__ import annotations

import base64
import re
import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from email import policy
from email.errors import HeaderParseError
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import formatdate, make_msgid
from functools import lru_cache
from urllib.parse import quote

from form import mail as words
from mail.content import QualityReport
from mail.render_docx import docx_bytes
from mail.render_html import html_body
from mail.render_text import text_body

_CONTROL = re.compile(r"[\x00-\x1f\x7f\u2028\u2029\x85]+")
DOCX_TYPE = ("application", "vnd.openxmlformats-officedocument.wordprocessingml.document")


class BadAddress(ValueError):
    """An e-mail address that is not exactly one plain address."""


def one_line(text: str) -> str:
    """`text` with line breaks and other control characters made spaces."""
    return _CONTROL.sub(" ", text).strip()


def address(addr_spec: str, display_name: str = "") -> Address:
    """One address, or BadAddress: a list, a display name, a comment or a line break in `addr_spec` is refused."""
    raw = (addr_spec or "").strip()
    if not raw or _CONTROL.search(raw) or any(c in raw for c in ",;<>()\"' "):
        raise BadAddress(f"not a single e-mail address: {raw!r}")
    try:
        parsed = Address(display_name=one_line(display_name), addr_spec=raw)
    except (ValueError, IndexError, HeaderParseError) as exc:  # HeaderParseError: 'a@b@c', 'a@x.'
        raise BadAddress(f"not a single e-mail address: {raw!r}") from exc
    if not parsed.username or not parsed.domain:
        raise BadAddress(f"not a single e-mail address: {raw!r}")
    return parsed


def valid_address(addr_spec: str | None) -> bool:
    try:
        address(addr_spec or "")
    except BadAddress:
        return False
    return True


@dataclass(frozen=True)
class Attachment:
    name: str
    data: bytes
    mime: tuple[str, str] = DOCX_TYPE


def _base64_lines(data: bytes) -> str:
    """`data` in base64, 76 characters a line, CRLF line ends (what policy.SMTP writes)."""
    return base64.encodebytes(data).decode("ascii").replace("\n", "\r\n")


def _rfc2231(name: str, value: str) -> str:
    """A MIME parameter whose value may hold any character: RFC 2231 percent-encoding, continued
    in pieces of whole characters so no line is long; nothing in `value` can close the header or
    add a parameter."""
    encoded = quote(value, safe="")
    if len(encoded) <= 50:
        return f"{name}*=utf-8''{encoded}"
    pieces = [""]
    for char in value:  # a piece never ends inside a character (some clients decode each piece)
        code = quote(char, safe="")
        if len(pieces[-1]) + len(code) > 50:
            pieces.append("")
        pieces[-1] += code
    return ";\r\n ".join(f"{name}*{n}*=" + ("utf-8''" if n == 0 else "") + p for n, p in enumerate(pieces))


def _text_part(text: str, subtype: str) -> str:
    return (
        f'Content-Type: text/{subtype}; charset="utf-8"\r\nContent-Transfer-Encoding: base64\r\n\r\n'
        + _base64_lines(text.encode("utf-8"))
    )


def _attachment_part(item: Attachment) -> str:
    name = one_line(item.name)
    return (
        f"Content-Type: {item.mime[0]}/{item.mime[1]};\r\n {_rfc2231('name', name)}\r\n"
        f"Content-Transfer-Encoding: base64\r\nContent-Disposition: attachment;\r\n {_rfc2231('filename', name)}\r\n\r\n"
        + _base64_lines(item.data)
    )


def _multipart(subtype: str, parts: Sequence[str]) -> tuple[str, str]:
    """(boundary, body) of a multipart entity; base64 and our headers never hold `=_`, so the boundary cannot occur in a part."""
    boundary = f"==_xxgk_{secrets.token_hex(12)}"
    body = "".join(f"--{boundary}\r\n{part}\r\n" for part in parts) + f"--{boundary}--\r\n"
    return boundary, body


class _Folded(str):
    """A header value folded once, written as it is: the policy stores a value whose `name`
    matches unchanged and writes it with its `fold` (EmailPolicy.header_store_parse). Reading any
    other attribute (addresses, datetime, …) parses it as the `email` package would."""

    name: str
    folded: str

    def fold(self, *, policy: policy.Policy) -> str:  # noqa: ARG002 - one policy (SMTP) throughout
        return self.folded

    def __getattr__(self, attr: str):
        if attr in ("name", "folded"):
            raise AttributeError(attr)
        return getattr(policy.SMTP.header_factory(self.name, str(self)), attr)


def _folded(name: str, value: str, folded: str) -> _Folded:
    out = _Folded(value)
    out.name, out.folded = name, folded
    return out


@lru_cache(maxsize=8)
def _from_header(sender: str) -> _Folded:
    """The From header of every mail (the same sender each time; folding it was a fifth of a mail)."""
    header = policy.SMTP.header_factory("From", address(sender, words.SENDER_NAME))
    return _folded(header.name, str(header), header.fold(policy=policy.SMTP))


@lru_cache(maxsize=8)
def _sender_domain(sender: str) -> str:
    return address(sender).domain


_PLAIN_HEADER = re.compile(r"[\x21-\x7e][\x20-\x7e]{0,900}")


def _ours(name: str, value: str) -> _Folded:
    """A header whose value we made (a date, an id, a boundary: short printable ASCII, no outside
    data), written on one line without the package's parse and fold; anything else is refused."""
    if not _PLAIN_HEADER.fullmatch(value):
        raise ValueError(f"{name}: not a plain header value: {value!r}")
    return _folded(name, value, f"{name}: {value}\r\n")


def build_message(
    *,
    sender: str,
    to: str,
    to_name: str,
    subject: str,
    text: str,
    html: str,
    attachments: Sequence[Attachment] = (),
    cc: Sequence[str] = (),
    key: str | None = None,
) -> EmailMessage:
    """A multipart message: text and HTML alternatives, then the attachments.

    Every header that carries outside data (addresses, names, subject) is set through the `email`
    package's structured API; the body parts are written as MIME text here (fixed headers, base64
    content, RFC 2231 file names), because the package's per-part header parsing and folding cost
    ten times the rest of a mail (h5: 15 ms of a 16 ms mail)."""
    msg = EmailMessage(policy=policy.SMTP)
    msg["From"] = _from_header(sender)
    msg["To"] = address(to, to_name)
    if cc:
        msg["Cc"] = [address(c) for c in cc]
    msg["Subject"] = one_line(subject)
    # what we make ourselves goes in as it is (parsing and folding them was a third of a mail)
    msg["Date"] = _ours("Date", formatdate(localtime=False))
    msg["Message-ID"] = _ours("Message-ID", make_msgid(domain=_sender_domain(sender)))
    if key:
        msg["X-Xxgk-Key"] = one_line(key)
    inner, alternatives = _multipart("alternative", [_text_part(text, "plain"), _text_part(html, "html")])
    boundary, body = _multipart(
        "mixed",
        [f'Content-Type: multipart/alternative;\r\n boundary="{inner}"\r\n\r\n{alternatives}',
         *(_attachment_part(a) for a in attachments)],
    )
    msg["MIME-Version"] = _ours("MIME-Version", "1.0")
    msg["Content-Type"] = _ours("Content-Type", f'multipart/mixed; boundary="{boundary}"')
    # a multipart's payload given as text is written as it is (email.generator._handle_multipart)
    msg.set_payload(body)
    return msg


def quality_message(report: QualityReport, *, sender: str, to: str, cc: Sequence[str] = (), key: str | None = None) -> EmailMessage:
    """The mail of one quality report: text, HTML and the Word attachment."""
    return build_message(
        sender=sender,
        to=to,
        to_name=report.agency,
        subject=report.subject(),
        text=text_body(report),
        html=html_body(report),
        attachments=[Attachment(report.attachment_name(), docx_bytes(report))],
        cc=cc,
        key=key,
    )


def recipients(msg: EmailMessage) -> list[str]:
    """Every envelope recipient: To and Cc addresses (never a Bcc: none is ever set)."""
    out: list[str] = []
    for name in ("To", "Cc"):
        header = msg[name]
        if header is not None:
            out.extend(a.addr_spec for a in header.addresses)
    return out
