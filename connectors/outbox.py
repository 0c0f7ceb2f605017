"""Outgoing mail queued as .eml files: one per message key, so a message is never queued twice.

The key names what the mail is about (a submission's sha256 and recipient); queueing the same
key again writes nothing. A sender (SMTP) drains the folder later.
"""

from __future__ import annotations

import re
from email.message import EmailMessage
from email.utils import formatdate, make_msgid
from pathlib import Path


def _safe(key: str) -> str:
    return re.sub(r"[^A-Za-z0-9._-]+", "_", key)[:150]


def queue_message(outbox: Path, key: str, sender: str, to: str, subject: str, body: str) -> Path | None:
    """Write the message as `<key>.eml` unless that key was queued before; the path, or None."""
    outbox.mkdir(parents=True, exist_ok=True)
    target = outbox / f"{_safe(key)}.eml"
    if target.exists():
        return None
    msg = EmailMessage()
    msg["From"], msg["To"], msg["Subject"] = sender, to, subject
    msg["Date"] = formatdate(localtime=False)
    msg["Message-ID"] = make_msgid(domain="xxgk")
    msg["X-Xxgk-Key"] = key
    msg.set_content(body, charset="utf-8")
    partial = target.with_suffix(".part")
    partial.write_bytes(bytes(msg))
    partial.replace(target)  # a reader of the folder never sees half a message
    return target
