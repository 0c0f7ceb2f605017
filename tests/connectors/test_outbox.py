"""Mail is queued once per key, as a complete UTF-8 .eml file."""

from __future__ import annotations

from email import policy
from email.parser import BytesParser
from pathlib import Path

from connectors.outbox import queue_message
from connectors.quality_report import quality_report
from form.record import Finding, Report, Source


def test_queued_once_per_key(tmp_path: Path) -> None:
    first = queue_message(tmp_path, "abc-320800", "xxgk@example", "gk@ha.example", "主题", "正文：第一行")
    again = queue_message(tmp_path, "abc-320800", "xxgk@example", "gk@ha.example", "主题", "正文：第一行")
    assert first is not None and again is None
    assert [p.name for p in tmp_path.iterdir()] == ["abc-320800.eml"]
    msg = BytesParser(policy=policy.default).parse(first.open("rb"))
    assert msg["To"] == "gk@ha.example" and msg["Subject"] == "主题"
    assert msg.get_content().strip() == "正文：第一行"


def test_quality_report_names_every_finding() -> None:
    report = Report(source=Source(path="r.docx", sha256="0", media_type="x"), agency="淮安市人民政府", year=2024)
    findings = [
        Finding(rule="t3.balance", severity="hard", cells=["t3.new.natural"], message="表三「自然人」列不平衡"),
        Finding(rule="timeliness.published", severity="soft", message="发布晚于3月31日"),
    ]
    subject, body = quality_report(report, findings, file_name="r.docx", state="rejected")
    assert "1处错误" in subject and "淮安市人民政府2024年度" in subject
    assert body.index("表三「自然人」列不平衡") < body.index("发布晚于3月31日")
    assert "（t3.balance）" in body and "（timeliness.published）" in body
