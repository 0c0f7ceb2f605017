"""E-mail messages built with the `email` package's structured API, so nothing in them can add a header.

Agency names, file names and registry e-mail fields come from outside: an address is accepted
only when it parses as exactly one `addr_spec` (no display name, no list, no line break); display
names and subjects lose every control character; attachment names travel as RFC 2231 parameters.
The message is rendered with `email.policy.SMTP`, which refuses any header value holding a line
break, so a missed case fails loudly instead of injecting.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from email import policy
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import formatdate, make_msgid

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
    except (ValueError, IndexError) as exc:
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
    """A multipart message: text and HTML alternatives, then the attachments."""
    msg = EmailMessage(policy=policy.SMTP)
    msg["From"] = address(sender, words.SENDER_NAME)
    msg["To"] = address(to, to_name)
    if cc:
        msg["Cc"] = [address(c) for c in cc]
    msg["Subject"] = one_line(subject)
    msg["Date"] = formatdate(localtime=False)
    msg["Message-ID"] = make_msgid(domain=address(sender).domain)
    if key:
        msg["X-Xxgk-Key"] = one_line(key)
    msg.set_content(text, charset="utf-8")
    msg.add_alternative(html, subtype="html", charset="utf-8")
    for item in attachments:
        msg.add_attachment(item.data, maintype=item.mime[0], subtype=item.mime[1], filename=one_line(item.name))
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
