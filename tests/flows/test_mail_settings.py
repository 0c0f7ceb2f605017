"""XXGK_SMTP_* and XXGK_MAIL_CC: SMTP when a host is set, else the .eml folder; the password never shown."""

from __future__ import annotations

from pathlib import Path

import pytest

from flows.settings import Settings
from mail.transport import FolderTransport, SmtpTransport

PASSWORD = "hunter2-Secret"


def test_without_a_host_mail_goes_to_the_outbox_folder(tmp_path: Path) -> None:
    settings = Settings(home=tmp_path)
    transport = settings.transport()
    assert isinstance(transport, FolderTransport) and transport.folder == tmp_path / "outbox"


@pytest.mark.parametrize(("security", "port"), [("starttls", 587), ("ssl", 465), ("none", 25), ("SSL", 465)])
def test_the_port_follows_the_security_unless_given(security: str, port: int) -> None:
    assert Settings(smtp_host="mx.example", smtp_security=security).smtp_config().port == port
    assert Settings(smtp_host="mx.example", smtp_security=security, smtp_port=2525).smtp_config().port == 2525


def test_an_unknown_security_is_refused() -> None:
    with pytest.raises(ValueError, match="starttls, ssl, none"):
        Settings(smtp_host="mx.example", smtp_security="tls").smtp_config()


def test_the_password_is_never_shown() -> None:
    settings = Settings(smtp_host="mx.example", smtp_user="u", smtp_password=PASSWORD)
    transport = settings.transport()
    assert isinstance(transport, SmtpTransport) and transport.config.password == PASSWORD
    for shown in (repr(settings), str(settings), repr(settings.smtp_config()), transport.where, settings.model_dump_json()):
        assert PASSWORD not in shown


def test_cc_is_a_comma_separated_list() -> None:
    assert Settings(mail_cc=" a@x.example, b@y.example ,").cc == ["a@x.example", "b@y.example"]
