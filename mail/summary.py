"""The provincial office's summary after an aggregation: counts, missing and late agencies, the
worst reports, and who could not be told (no usable address; unreadable files of unknown origin).

Built from the stored aggregation (`warehouse.aggregation`) and the outbox; rendered as text,
HTML and a Word attachment like the agencies' reports, so the office can forward or file it.
"""

from __future__ import annotations

import hashlib
import io
import json
from collections.abc import Sequence
from email.message import EmailMessage
from html import escape
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, Field
from sqlalchemy import Connection

from form import mail as words
from mail.content import QualityReport
from mail.message import DOCX_TYPE, Attachment, build_message
from mail.render_docx import grid_table, heading, new_document
from warehouse import outbox
from warehouse.aggregation import agency_statuses, read_aggregation

#: how many reports the summary names as the worst
WORST = 10
#: at most this many names per list (the attachment and the warehouse hold the rest)
LISTED = 200


class SummaryReport(BaseModel):
    kind: Literal["summary"] = "summary"
    year: int
    counts: list[tuple[str, int]] = Field(default_factory=list)
    missing: list[str] = Field(default_factory=list)
    late: list[str] = Field(default_factory=list)
    no_address: list[str] = Field(default_factory=list)
    untold: list[str] = Field(default_factory=list)
    worst: list[str] = Field(default_factory=list)
    agencies: int = 0

    def content_hash(self) -> str:
        data = json.dumps(self.model_dump(mode="json"), ensure_ascii=False, sort_keys=True)
        return hashlib.sha256(data.encode("utf-8")).hexdigest()

    def subject(self) -> str:
        return words.SUBJECT_SUMMARY.format(year=self.year, agencies=self.agencies)

    def sections(self) -> list[tuple[str, list[str]]]:
        """(heading, lines) in the order every rendering shows them."""
        return [
            (words.SUMMARY_MISSING.format(n=len(self.missing)), self.missing[:LISTED]),
            (words.SUMMARY_LATE.format(n=len(self.late)), self.late[:LISTED]),
            (words.SUMMARY_NO_ADDRESS.format(n=len(self.no_address)), self.no_address[:LISTED]),
            (words.SUMMARY_UNTOLD.format(n=len(self.untold)), self.untold[:LISTED]),
            (words.SUMMARY_WORST, self.worst),
        ]


def build_summary(conn: Connection, year: int) -> SummaryReport | None:
    """The summary of a year's stored aggregation (None when the year was never aggregated)."""
    aggregation = read_aggregation(conn, year, worst=WORST)
    if aggregation is None:
        return None
    province = aggregation.status.get(("province", aggregation.province_code))
    statuses = agency_statuses(conn, year)
    counts: list[tuple[str, int]] = []
    if province is not None:
        for field in ("expected", "submitted", "loaded", "rejected", "review", "missing", "late", "quarantined"):
            counts.append((words.SUMMARY_COUNT_LABELS[field], int(getattr(province, field))))
    no_address, untold = [], []
    for row in outbox.unsendable(conn, year):
        report = QualityReport.model_validate_json(row.content)
        if row.agency_id is None:
            untold.append(report.file_name)
        else:
            line = words.SUMMARY_NO_ADDRESS_LINE.format(agency=report.agency, agency_id=row.agency_id, recipient=row.recipient or "")
            no_address.append(line.strip())
    worst = [
        words.SUMMARY_WORST_LINE.format(
            agency=a.agency_name or a.agency_id, agency_id=a.agency_id, hard=a.hard_findings, soft=a.soft_findings
        )
        for a in aggregation.worst
        if a.hard_findings or a.soft_findings
    ]
    return SummaryReport(
        year=year,
        counts=counts,
        missing=sorted(a.agency_name or a.agency_id for a in statuses if a.status == "missing" and a.expected),
        late=sorted(a.agency_name or a.agency_id for a in statuses if a.late),
        no_address=no_address,
        untold=untold,
        worst=worst,
        agencies=len(statuses),
    )


def summary_text(s: SummaryReport) -> str:
    lines = [words.SUMMARY_OPENING.format(year=s.year), "", f"【{words.SUMMARY_COUNTS}】"]
    lines += [f"{label}：{n}" for label, n in s.counts]
    for title, items in s.sections():
        lines += ["", f"【{title}】", *(items or [words.SUMMARY_NONE])]
    return "\n".join([*lines, "", words.SUMMARY_ATTACHED]) + "\n"


def summary_html(s: SummaryReport) -> str:
    cell = "border:1px solid #999;padding:3px 6px"
    counts = "".join(f'<tr><th style="{cell};text-align:left">{escape(k)}</th><td style="{cell}">{n}</td></tr>' for k, n in s.counts)
    parts = [f"<h2>{escape(words.SUMMARY_TITLE.format(year=s.year))}</h2>", f"<p>{escape(words.SUMMARY_OPENING.format(year=s.year))}</p>",
             f'<table style="border-collapse:collapse">{counts}</table>']
    for title, items in s.sections():
        body = "".join(f"<li>{escape(i)}</li>" for i in items) or f"<li>{escape(words.SUMMARY_NONE)}</li>"
        parts.append(f"<h3>{escape(title)}</h3><ul>{body}</ul>")
    return f'<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8"></head><body>{"".join(parts)}</body></html>'


def summary_docx(s: SummaryReport) -> bytes:
    doc = new_document()
    heading(doc, words.SUMMARY_TITLE.format(year=s.year), "Title")
    doc.add_paragraph(words.SUMMARY_OPENING.format(year=s.year))
    heading(doc, words.SUMMARY_COUNTS, "Heading 1")
    table = grid_table(doc, 0, 2)
    for label, n in s.counts:
        row = table.add_row().cells
        row[0].text, row[1].text = label, str(n)
    for title, items in s.sections():
        heading(doc, title, "Heading 1")
        for item in items or [words.SUMMARY_NONE]:
            doc.add_paragraph(item)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def summary_message(
    s: SummaryReport, *, sender: str, to: str, documents: Sequence[Path] = (), key: str | None = None
) -> EmailMessage:
    """The summary mail: text, HTML, its Word version, and the aggregation's documents when they exist."""
    attachments = [Attachment(words.SUMMARY_ATTACHMENT_NAME.format(year=s.year), summary_docx(s), DOCX_TYPE)]
    for path in documents:
        if path.is_file():
            attachments.append(Attachment(path.name, path.read_bytes(), ("application", "octet-stream")))
    return build_message(
        sender=sender, to=to, to_name="", subject=s.subject(), text=summary_text(s), html=summary_html(s),
        attachments=attachments, key=key,
    )
