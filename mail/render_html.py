"""The HTML part of a quality report: the facts, then a table per severity, every value escaped.

Inline styles only (mail clients drop style sheets); fonts name the official faces first and fall
back to what the reader has.
"""

from __future__ import annotations

from html import escape

from form import mail as words
from mail.content import FindingLine, QualityReport
from mail.render_text import passed_text

_BODY = (
    f"font-family:FangSong,'{words.FONT_BODY}',STFangsong,'Noto Serif CJK SC',serif;"
    "font-size:15px;color:#111;max-width:860px"
)
_HEAD = f"font-family:SimHei,'{words.FONT_HEADING}','Noto Sans CJK SC',sans-serif"
_CELL = "border:1px solid #999;padding:4px 6px;vertical-align:top"
#: number, printed and expected stay on one line; where, rule and detail wrap
_NOWRAP = {0: ";white-space:nowrap", 2: ";white-space:nowrap", 3: ";white-space:nowrap"}
_COLOURS = {"hard": "#b00020", "soft": "#8a6d00", "not_checkable": "#555"}


def _e(value: object) -> str:
    return escape(str(value), quote=True)


def _table(title: str, findings: list[FindingLine], severity: str) -> str:
    if not findings:
        return ""
    head = "".join(
        f'<th style="{_CELL};background:#eee;white-space:nowrap">{_e(h)}</th>'
        for h in (words.COL_NO, words.COL_WHERE, words.COL_PRINTED, words.COL_EXPECTED, words.COL_RULE, words.COL_DETAIL)
    )
    rows = []
    for n, f in enumerate(findings, start=1):
        detail = _e(f.message) + (f"<br>{_e(f.previous)}" if f.previous else "")
        cells = (str(n), _e(f.where), _e(f.printed or words.BLANK_VALUE), _e(f.expected or words.BLANK_VALUE),
                 _e(f.statement), detail)
        rows.append("<tr>" + "".join(f'<td style="{_CELL}{_NOWRAP.get(i, "")}">{c}</td>' for i, c in enumerate(cells)) + "</tr>")
    return (
        f'<h3 style="{_HEAD};color:{_COLOURS.get(severity, "#111")}">{_e(title.format(n=len(findings)))}</h3>'
        f'<table style="border-collapse:collapse;font-size:14px"><tr>{head}</tr>{"".join(rows)}</table>'
    )


def html_body(report: QualityReport) -> str:
    """The whole report as one HTML document."""
    opening = words.OPENING_UNREADABLE if report.status == "quarantined" else words.OPENING
    facts = "".join(
        f'<tr><th style="{_CELL};text-align:left;background:#f4f4f4">{_e(k)}</th><td style="{_CELL}">{_e(v)}</td></tr>'
        for k, v in report.facts()
    )
    parts = [
        f'<h2 style="{_HEAD}">{_e(words.TITLE)}</h2>',
        f"<p>{_e(words.GREETING.format(agency=report.agency))}</p>",
        f"<p>{_e(opening)}</p>",
        f'<table style="border-collapse:collapse">{facts}</table>',
        f"<p><b>{_e(words.STATUS_EXPLAINED[report.status])}</b></p>",
        _table(words.HEADING_HARD, report.hard, "hard"),
        _table(words.HEADING_REVIEW, report.review, "hard"),
        _table(words.HEADING_SOFT, report.soft, "soft"),
        _table(words.HEADING_UNCHECKED, report.unchecked, "not_checkable"),
    ]
    if report.status != "quarantined" and not (report.hard or report.review or report.soft):
        parts.append(f"<p>{_e(words.NO_FINDINGS)}</p>")
    heading, steps = words.next_steps(report.status)
    parts += [
        f'<h3 style="{_HEAD}">{_e(words.HEADING_PASSED)}</h3><p>{_e(passed_text(report))}</p>',
        f'<h3 style="{_HEAD}">{_e(heading)}</h3>',
        "<ol>" + "".join(f"<li>{_e(s)}</li>" for s in steps) + "</ol>",
        f'<p style="color:#666;font-size:13px">{_e(words.CLOSING)}</p>',
    ]
    return (
        '<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8"></head>'
        f'<body style="{_BODY}">{"".join(parts)}</body></html>'
    )
