"""Delivery to a real SMTP server (aiosmtpd on 127.0.0.1): what it received, AUTH over STARTTLS
with a certificate made here, a server that is down then back, and no password in any error."""

from __future__ import annotations

import datetime as dt
import io
import ipaddress
import socket
import ssl
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword
from docx import Document
from sqlalchemy import Engine

from form import mail as words
from mail.dispatch import queue_reports, send_due
from mail.transport import DeliveryError, SmtpConfig, SmtpTransport
from warehouse import outbox
from warehouse.loader import Loader

from ..warehouse.builders import checked, hard, make_report, soft

NOW = dt.datetime(2025, 2, 1, 8, 0)
SENDER = "xxgk@province.example"
USER, PASSWORD = "xxgk", "s3cret-Pa55word"


class Inbox:
    """The server's handler: every envelope it accepted."""

    def __init__(self) -> None:
        self.received: list[tuple[list[str], EmailMessage]] = []
        #: the client's address and port of each message: one connection, one peer
        self.peers: list[tuple[str, int]] = []

    async def handle_DATA(self, server, session, envelope) -> str:
        msg = BytesParser(policy=policy.default).parsebytes(envelope.content)
        self.received.append((list(envelope.rcpt_tos), msg))
        self.peers.append(session.peer)
        return "250 OK"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _certificate(folder: Path) -> tuple[Path, Path]:
    """A self-signed certificate for 127.0.0.1 and localhost: (cert, key) files."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = dt.datetime.now(dt.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(minutes=5))
        .not_valid_after(now + dt.timedelta(days=1))
        .add_extension(
            x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1")), x509.DNSName("localhost")]),
            critical=False,
        )
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    cert_file, key_file = folder / "cert.pem", folder / "key.pem"
    cert_file.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_file.write_bytes(
        key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    )
    return cert_file, key_file


def _authenticator(server, session, envelope, mechanism, auth_data) -> AuthResult:
    ok = isinstance(auth_data, LoginPassword) and (auth_data.login, auth_data.password) == (
        USER.encode(),
        PASSWORD.encode(),
    )
    return AuthResult(success=ok, handled=False)  # handled=False: the server answers 535 itself


@pytest.fixture
def smtp():
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=_free_port())
    controller.start()
    yield controller, inbox
    controller.stop()


@pytest.fixture
def tls_smtp(tmp_path: Path):
    cert, key = _certificate(tmp_path)
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(cert, key)
    inbox = Inbox()
    controller = Controller(
        inbox,
        hostname="127.0.0.1",
        port=_free_port(),
        tls_context=context,
        require_starttls=True,
        auth_required=True,
        authenticator=_authenticator,
    )
    controller.start()
    yield controller, inbox, cert
    controller.stop()


def _queued(engine: Engine, *findings) -> None:
    result = Loader(engine).load_chunk([checked(make_report("淮安市洪泽区人民政府", 2021), list(findings))])
    assert queue_reports(engine, [s.submission_key for s in result.submissions], NOW) == 1


def _docx_findings(msg: EmailMessage) -> list[list[str]]:
    [attachment] = list(msg.iter_attachments())
    doc = Document(io.BytesIO(attachment.get_content()))
    return [[c.text for c in row.cells] for row in doc.tables[1].rows]


def test_the_server_receives_recipients_subject_both_parts_and_the_docx(registered: Engine, smtp) -> None:
    controller, inbox = smtp
    _queued(registered, hard(cells=["t3.new.natural"]), soft())
    transport = SmtpTransport(SmtpConfig(host="127.0.0.1", port=controller.port, security="none"))
    done = send_due(registered, transport, SENDER, cc=["office@js.example"], now=NOW)
    assert (done.sent, done.failed) == (1, 0)
    [(rcpt, msg)] = inbox.received
    assert rcpt == ["gk@hz.example", "office@js.example"]
    assert msg["Subject"] == "【政府信息公开年报】淮安市洪泽区人民政府2021年度年报有1处错误，请更正后重新报送"
    assert words.HEADING_HARD.format(n=1) in msg.get_body(preferencelist=("plain",)).get_content()
    assert words.HEADING_SOFT.format(n=1) in msg.get_body(preferencelist=("html",)).get_content()
    table = _docx_findings(msg)
    assert table[0][0] == words.COL_NO and "自然人" in table[1][1] and table[1][2:4] == ["5", "6"]
    # a rerun sends nothing
    assert send_due(registered, transport, SENDER, now=NOW).sent == 0
    assert len(inbox.received) == 1


def test_auth_over_starttls_with_a_self_signed_certificate(registered: Engine, tls_smtp) -> None:
    controller, inbox, cert = tls_smtp
    _queued(registered, soft())
    config = SmtpConfig(host="127.0.0.1", port=controller.port, security="starttls", user=USER, password=PASSWORD, cafile=str(cert))
    assert send_due(registered, SmtpTransport(config), SENDER, now=NOW).sent == 1
    [(rcpt, msg)] = inbox.received
    assert rcpt == ["gk@hz.example"] and "已入库" in msg["Subject"]


def test_a_wrong_password_fails_without_showing_it(registered: Engine, tls_smtp) -> None:
    controller, inbox, cert = tls_smtp
    _queued(registered, soft())
    wrong = "wr0ng-" + PASSWORD
    config = SmtpConfig(host="127.0.0.1", port=controller.port, security="starttls", user=USER, password=wrong, cafile=str(cert))
    assert wrong not in repr(config)
    done = send_due(registered, SmtpTransport(config), SENDER, now=NOW)
    assert done.failed == 1 and inbox.received == []
    with registered.connect() as conn:
        [row] = outbox.status_rows(conn)
    assert row.state == "failed" and "Authentication" in row.last_error
    assert wrong not in row.last_error and all(wrong not in e for e in done.errors or [])


def test_an_untrusted_certificate_is_refused(registered: Engine, tls_smtp) -> None:
    controller, _inbox, _cert = tls_smtp
    config = SmtpConfig(host="127.0.0.1", port=controller.port, security="starttls", user=USER, password=PASSWORD)
    with pytest.raises(DeliveryError, match="CERTIFICATE_VERIFY_FAILED"):
        SmtpTransport(config).send(EmailMessage(), "x")


def test_a_server_that_is_down_then_back_gets_the_mail_once(registered: Engine) -> None:
    port = _free_port()
    _queued(registered, hard())
    transport = SmtpTransport(SmtpConfig(host="127.0.0.1", port=port, security="none", timeout=5))
    down = send_due(registered, transport, SENDER, now=NOW)
    assert (down.sent, down.failed) == (0, 1)
    with registered.connect() as conn:
        [row] = outbox.status_rows(conn)
    assert row.state == "failed" and row.attempts == 1 and "refused" in row.last_error.lower()
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        assert send_due(registered, transport, SENDER, now=NOW).sent == 0  # not before its backoff
        later = NOW + outbox.backoff(1)
        assert send_due(registered, transport, SENDER, now=later).sent == 1
        assert send_due(registered, transport, SENDER, now=later + dt.timedelta(hours=1)).sent == 0
    finally:
        controller.stop()
    assert len(inbox.received) == 1
    with registered.connect() as conn:
        [row] = outbox.status_rows(conn)
    assert (row.state, row.attempts) == ("sent", 2)


def test_a_page_goes_over_one_connection(registered: Engine, tls_smtp) -> None:
    """One STARTTLS handshake and login per page of sends, not per mail; a page ends the connection."""
    controller, inbox, cert = tls_smtp
    loaded = Loader(registered).load_chunk(
        [checked(make_report(name, 2021), [soft()]) for name in ("淮安市人民政府", "宿迁市人民政府", "淮安市洪泽区人民政府")]
    )
    assert queue_reports(registered, [s.submission_key for s in loaded.submissions], NOW) == 3
    config = SmtpConfig(host="127.0.0.1", port=controller.port, security="starttls", user=USER, password=PASSWORD, cafile=str(cert))
    transport = SmtpTransport(config)
    assert send_due(registered, transport, SENDER, now=NOW, page=2).sent == 3
    assert len(inbox.received) == 3
    assert inbox.peers[0] == inbox.peers[1] != inbox.peers[2]  # pages of 2 and 1
    assert transport._smtp is None  # noqa: SLF001 - nothing left open after the pass


def test_a_server_down_ends_the_pass_after_one_failure(registered: Engine) -> None:
    """Each mail would wait for the same timeout: the first failure ends the pass, the rest stay
    due without an attempt counted, and all go out once the server is back."""
    port = _free_port()
    loaded = Loader(registered).load_chunk(
        [checked(make_report(name, 2021), [soft()]) for name in ("淮安市人民政府", "宿迁市人民政府", "淮安市洪泽区人民政府")]
    )
    assert queue_reports(registered, [s.submission_key for s in loaded.submissions], NOW) == 3
    transport = SmtpTransport(SmtpConfig(host="127.0.0.1", port=port, security="none", timeout=5))
    down = send_due(registered, transport, SENDER, now=NOW)
    assert (down.sent, down.failed, down.left) == (0, 1, 2) and "refused" in (down.stopped or "").lower()
    with registered.connect() as conn:
        assert sorted((r.state, r.attempts) for r in outbox.status_rows(conn)) == [("failed", 1), ("pending", 0), ("pending", 0)]
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        assert send_due(registered, transport, SENDER, now=NOW + dt.timedelta(minutes=1)).sent == 2
        assert send_due(registered, transport, SENDER, now=NOW + outbox.backoff(1)).sent == 1
    finally:
        controller.stop()
    assert len(inbox.received) == 3
