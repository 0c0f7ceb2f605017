"""Mail is queued once per key, as a complete UTF-8 .eml file."""

from __future__ import annotations

from email import policy
from email.parser import BytesParser
from pathlib import Path

from connectors.outbox import queue_message


def test_queued_once_per_key(tmp_path: Path) -> None:
    first = queue_message(tmp_path, "abc-320800", "xxgk@example", "gk@ha.example", "主题", "正文：第一行")
    again = queue_message(tmp_path, "abc-320800", "xxgk@example", "gk@ha.example", "主题", "正文：第一行")
    assert first is not None and again is None
    assert [p.name for p in tmp_path.iterdir()] == ["abc-320800.eml"]
    msg = BytesParser(policy=policy.default).parse(first.open("rb"))
    assert msg["To"] == "gk@ha.example" and msg["Subject"] == "主题"
    assert msg.get_content().strip() == "正文：第一行"

