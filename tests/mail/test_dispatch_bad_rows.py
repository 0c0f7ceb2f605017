"""A bad row already in the outbox or the agency table never stops a send pass (issue 14).

Addresses stored before the registry refused bad ones (or written by hand) and contents the
renderer cannot read end as that row's outcome; the other rows of the page are still sent.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest
from sqlalchemy import Engine, update

from mail.dispatch import queue_reports, send_due
from mail.transport import FolderTransport
from warehouse import outbox
from warehouse.loader import Loader
from warehouse.schema import DimAgency, Outbox

from ..warehouse.builders import checked, make_report, soft

NOW = datetime(2025, 2, 1, 8, 0)
SENDER = "xxgk@province.example"


def _queue_two(engine: Engine) -> None:
    result = Loader(engine).load_chunk([
        checked(make_report("宿迁市人民政府", 2021), [soft()]),
        checked(make_report("淮安市人民政府", 2021), [soft()]),
    ])
    assert queue_reports(engine, [s.submission_key for s in result.submissions], NOW) == 2


@pytest.mark.parametrize("stored", ["gk@sq.example@evil.example", "@sq.example", "gk@sq..example", "gk@sq.example."])
def test_an_address_the_mail_package_cannot_parse_is_no_address(registered: Engine, tmp_path: Path, stored: str) -> None:
    """These raised HeaderParseError out of the pass, so no later row was sent."""
    with registered.begin() as conn:
        conn.execute(update(DimAgency).where(DimAgency.agency_id == "321300").values(email=stored))
    _queue_two(registered)
    done = send_due(registered, FolderTransport(tmp_path), SENDER, now=NOW)
    assert (done.sent, done.no_address, done.failed) == (1, 1, 0)
    with registered.connect() as conn:
        assert [r.agency_id for r in outbox.unsendable(conn)] == ["321300"]


def test_a_row_whose_content_cannot_be_read_fails_alone(registered: Engine, tmp_path: Path) -> None:
    _queue_two(registered)
    with registered.begin() as conn:
        conn.execute(update(Outbox).where(Outbox.agency_id == "321300").values(content="{not json"))
    done = send_due(registered, FolderTransport(tmp_path), SENDER, now=NOW)
    assert (done.sent, done.failed) == (1, 1)
    assert done.errors and done.errors[0].startswith("ValidationError: ")
    with registered.connect() as conn:
        states = {r.agency_id: r.state for r in outbox.status_rows(conn)}
    assert states == {"321300": "failed", "320800": "sent"}
