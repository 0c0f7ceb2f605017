"""Delivery: an SMTP server (starttls, ssl or none, with or without AUTH), or `.eml` files in a folder.

Both raise `DeliveryError` with a one-line reason the outbox stores; the password never appears
in it (nor in `repr` of the configuration), whatever the server or the ssl module says.
"""

from __future__ import annotations

import smtplib
import ssl
from dataclasses import dataclass, field
from email.message import EmailMessage
from pathlib import Path
from typing import Literal, Protocol

from mail.message import recipients

Security = Literal["starttls", "ssl", "none"]
SECURITIES: tuple[Security, ...] = ("starttls", "ssl", "none")


class DeliveryError(Exception):
    """A message that could not be handed over; the reason is safe to store and show."""


class Transport(Protocol):
    #: how the outbox names where a message went (no secret in it)
    where: str

    def send(self, msg: EmailMessage, name: str) -> None: ...


@dataclass(frozen=True)
class SmtpConfig:
    host: str
    port: int = 587
    security: Security = "starttls"
    user: str | None = None
    password: str | None = field(default=None, repr=False)
    #: a CA bundle to trust besides the system's (a private relay's certificate)
    cafile: str | None = None
    timeout: float = 30.0

    def __post_init__(self) -> None:
        if self.security not in SECURITIES:
            raise ValueError(f"must be one of {', '.join(SECURITIES)}, not {self.security!r}")


def _redacted(text: str, secret: str | None) -> str:
    return text.replace(secret, "***") if secret else text


class SmtpTransport:
    """One connection per batch of sends is not needed at our volume: one per message keeps failures apart."""

    def __init__(self, config: SmtpConfig) -> None:
        self.config = config
        self.where = f"smtp://{config.host}:{config.port}"

    def _context(self) -> ssl.SSLContext:
        return ssl.create_default_context(cafile=self.config.cafile)

    def _connect(self) -> smtplib.SMTP:
        c = self.config
        if c.security == "ssl":
            return smtplib.SMTP_SSL(c.host, c.port, timeout=c.timeout, context=self._context())
        smtp = smtplib.SMTP(c.host, c.port, timeout=c.timeout)
        if c.security == "starttls":
            smtp.starttls(context=self._context())
        return smtp

    def send(self, msg: EmailMessage, name: str = "") -> None:
        c = self.config
        try:
            with self._connect() as smtp:
                if c.user:
                    smtp.login(c.user, c.password or "")
                refused = smtp.send_message(msg, to_addrs=recipients(msg))
        except (smtplib.SMTPException, OSError, ssl.SSLError) as exc:
            reason = f"{type(exc).__name__}: {exc}".replace("\n", " ")
            raise DeliveryError(_redacted(reason, c.password)[:500]) from None
        if refused:
            raise DeliveryError(f"recipients refused: {', '.join(sorted(refused))}")


class FolderTransport:
    """The embedded default: each message written as `<name>.eml`, whole or not at all."""

    def __init__(self, folder: Path) -> None:
        self.folder = Path(folder)
        self.where = str(self.folder)

    def send(self, msg: EmailMessage, name: str) -> None:
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            target = self.folder / f"{name}.eml"
            partial = target.with_suffix(".part")
            partial.write_bytes(msg.as_bytes())
            partial.replace(target)  # a reader of the folder never sees half a message
        except OSError as exc:
            raise DeliveryError(f"{type(exc).__name__}: {exc}") from None
