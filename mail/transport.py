"""Delivery: an SMTP server (starttls, ssl or none, with or without AUTH), or `.eml` files in a folder.

Both raise `DeliveryError` with a one-line reason the outbox stores; the password never appears
in it (nor in `repr` of the configuration), whatever the server or the ssl module says.
"""

from __future__ import annotations

import smtplib
import ssl
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from email.message import EmailMessage
from pathlib import Path
from typing import Literal, Protocol

from mail.message import recipients

Security = Literal["starttls", "ssl", "none"]
SECURITIES: tuple[Security, ...] = ("starttls", "ssl", "none")


class DeliveryError(Exception):
    """A message that could not be handed over; the reason is safe to store and show.

    `unreachable`: the server (or folder) failed, not this message — it cannot be reached, drops
    the connection, or refuses our login — so the next messages would fail the same way."""

    def __init__(self, reason: str, *, unreachable: bool = False) -> None:
        super().__init__(reason)
        self.unreachable = unreachable


class Transport(Protocol):
    #: how the outbox names where a message went (no secret in it)
    where: str
    #: handing the same row's message over twice leaves one message (the outbox then records a
    #: page at once; otherwise each message right after it went: see mail/dispatch.send_due)
    idempotent: bool

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
    """One connection per message, or one per page inside `session()` (the outbox's send pass):
    a handshake, STARTTLS and login cost more than a small relay takes to accept a message."""

    #: a message handed over twice is received twice
    idempotent = False

    def __init__(self, config: SmtpConfig) -> None:
        self.config = config
        self.where = f"smtp://{config.host}:{config.port}"
        self._smtp: smtplib.SMTP | None = None
        self._keep = False

    def _context(self) -> ssl.SSLContext:
        return ssl.create_default_context(cafile=self.config.cafile)

    def _connect(self) -> smtplib.SMTP:
        c = self.config
        if c.security == "ssl":
            smtp: smtplib.SMTP = smtplib.SMTP_SSL(c.host, c.port, timeout=c.timeout, context=self._context())
        else:
            smtp = smtplib.SMTP(c.host, c.port, timeout=c.timeout)
        try:
            if c.security == "starttls":
                smtp.starttls(context=self._context())
            if c.user:
                smtp.login(c.user, c.password or "")
        except BaseException:
            smtp.close()
            raise
        return smtp

    def _close(self) -> None:
        smtp, self._smtp = self._smtp, None
        if smtp is None:
            return
        try:
            smtp.quit()
        except (smtplib.SMTPException, OSError):
            smtp.close()

    @contextmanager
    def session(self) -> Iterator[SmtpTransport]:
        """Keep one connection open for the sends inside (closed on leaving, or after a failure)."""
        self._keep = True
        try:
            yield self
        finally:
            self._keep = False
            self._close()

    def _send(self, msg: EmailMessage) -> dict:
        reused = self._smtp is not None
        if self._smtp is None:
            self._smtp = self._connect()
        try:
            return self._smtp.send_message(msg, to_addrs=recipients(msg))
        except smtplib.SMTPServerDisconnected:
            self._close()
            if not reused:
                raise
            self._smtp = self._connect()  # a kept connection the server closed meanwhile: once more, anew
            return self._smtp.send_message(msg, to_addrs=recipients(msg))

    def send(self, msg: EmailMessage, name: str = "") -> None:
        c = self.config
        try:
            refused = self._send(msg)
        except (smtplib.SMTPException, OSError, ssl.SSLError) as exc:
            self._close()
            reason = f"{type(exc).__name__}: {exc}".replace("\n", " ")
            unreachable = isinstance(exc, OSError | smtplib.SMTPConnectError | smtplib.SMTPServerDisconnected
                                     | smtplib.SMTPAuthenticationError | smtplib.SMTPNotSupportedError)
            raise DeliveryError(_redacted(reason, c.password)[:500], unreachable=unreachable) from None
        finally:
            if not self._keep:
                self._close()
        if refused:
            raise DeliveryError(f"recipients refused: {', '.join(sorted(refused))}")


class FolderTransport:
    """The embedded default: each message written as `<name>.eml`, whole or not at all."""

    #: a row's name is its file: writing it again after a crash replaces it, one mail still
    idempotent = True

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
            raise DeliveryError(f"{type(exc).__name__}: {exc}", unreachable=True) from None
