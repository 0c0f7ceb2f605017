"""The ingest summary a person reads names each scan held for review with its reason."""

from __future__ import annotations

from io import StringIO

from rich.console import Console

from flows.presenting import print_ingest
from flows.records import FileOutcome, FileSource, IngestSummary


def test_a_scan_held_for_review_is_counted_and_named_with_its_reason() -> None:
    held = FileOutcome(source=FileSource(path="inbox/scan_2023.pdf"), state="review", reason="扫描件中1个单元格无法可靠识别：表三")
    loaded = FileOutcome(source=FileSource(path="inbox/a_2023.txt"), state="loaded")
    out = StringIO()
    print_ingest(IngestSummary.of("run", [held, loaded]), Console(file=out, width=200))
    text = out.getvalue()
    assert "review: inbox/scan_2023.pdf: 扫描件中1个单元格无法可靠识别" in text
    assert any(line.split() == ["│", "review", "│", "1", "│"] for line in text.splitlines())
