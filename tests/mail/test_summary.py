"""The provincial office's summary after an aggregation: counts, missing and late agencies, the
worst reports, agencies without an address and unreadable files nobody could be told about."""

from __future__ import annotations

import io
from datetime import datetime
from email import policy
from email.parser import BytesParser
from pathlib import Path

from docx import Document
from sqlalchemy import Engine, update

from form import mail as words
from mail.dispatch import queue_reports, queue_summary, send_due
from mail.transport import FolderTransport
from warehouse.aggregation import aggregate
from warehouse.loader import Loader
from warehouse.schema import DimAgency

from ..warehouse.builders import checked, hard, make_report, quarantined, soft

NOW = datetime(2025, 4, 1, 8)
OFFICE = "office@js.example"


def test_the_summary_says_who_is_missing_late_untold_and_worst(registered: Engine, tmp_path: Path) -> None:
    with registered.begin() as conn:
        conn.execute(update(DimAgency).where(DimAgency.agency_id == "321300").values(email=None))
    result = Loader(registered).load_chunk([
        checked(make_report("淮安市人民政府", 2021), [hard(), hard("t4.total", ["t4.review.total.total"])]),
        checked(make_report("宿迁市人民政府", 2021), [soft()]),
        quarantined("/srv/inbox/scan0001.pdf", "no text layer"),
    ])
    queue_reports(registered, [s.submission_key for s in result.submissions], NOW)
    aggregate(registered, 2021)
    assert queue_summary(registered, 2021, OFFICE, NOW) == 1
    assert queue_summary(registered, 2021, OFFICE, NOW) == 0  # the same summary once
    send_due(registered, FolderTransport(tmp_path), "xxgk@js.example", now=NOW)
    [summary] = [
        m for m in (BytesParser(policy=policy.default).parse(p.open("rb")) for p in tmp_path.glob("*.eml"))
        if m["To"].addresses[0].addr_spec == OFFICE
    ]
    assert summary["Subject"].startswith("【政府信息公开年报】2021年度汇总情况")
    text = summary.get_body(preferencelist=("plain",)).get_content()
    assert "洪泽区教育局" in text  # expected, never submitted
    assert "宿迁市人民政府（321300）" in text  # no address: listed, not dropped
    assert "scan0001.pdf" in text and "/srv" not in text  # unreadable, nobody identified
    assert "淮安市人民政府（320800）：2处必须更正" in text
    [attachment] = list(summary.iter_attachments())
    doc = Document(io.BytesIO(attachment.get_content()))
    assert doc.tables[0].rows[0].cells[0].text == words.SUMMARY_COUNT_LABELS["expected"]
