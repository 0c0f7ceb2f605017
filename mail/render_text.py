"""The plain-text part of a quality report: what a mail client without HTML shows, one screen first."""

from __future__ import annotations

from form import mail as words
from mail.content import FindingLine, QualityReport


def finding_text(n: int, f: FindingLine) -> list[str]:
    """One finding: where, printed and expected value, the rule in words, its message, last year's source."""
    out = [f"{n}. {f.where}"]
    values = [
        f"{label}：{value}" for label, value in ((words.COL_PRINTED, f.printed), (words.COL_EXPECTED, f.expected)) if value
    ]
    if values:
        out.append("   " + words.LIST_SEPARATOR.join(values))
    out.append(f"   {words.COL_RULE}：{f.statement}")
    if f.message:
        out.append(f"   {words.COL_DETAIL}：{f.message}")
    if f.previous:
        out.append(f"   {f.previous}")
    return out


def _section(title: str, findings: list[FindingLine]) -> list[str]:
    if not findings:
        return []
    lines = ["", f"【{title.format(n=len(findings))}】"]
    for n, f in enumerate(findings, start=1):
        lines += finding_text(n, f)
    return lines


def text_body(report: QualityReport) -> str:
    """The whole report as plain text."""
    opening = words.OPENING_UNREADABLE if report.status == "quarantined" else words.OPENING
    lines = [words.GREETING.format(agency=report.agency), "", opening, ""]
    lines += [f"{label}：{value}" for label, value in report.facts()]
    lines.append(words.STATUS_EXPLAINED[report.status])
    lines += _section(words.HEADING_HARD, report.hard)
    lines += _section(words.HEADING_REVIEW, report.review)
    lines += _section(words.HEADING_SOFT, report.soft)
    lines += _section(words.HEADING_UNCHECKED, report.unchecked)
    if report.status != "quarantined" and not (report.hard or report.review or report.soft):
        lines += ["", words.NO_FINDINGS]
    lines += ["", f"【{words.HEADING_PASSED}】", passed_text(report)]
    heading, steps = words.next_steps(report.status)
    lines += ["", f"【{heading}】", *steps, "", words.CLOSING]
    return "\n".join(lines) + "\n"


def passed_text(report: QualityReport) -> str:
    """What passed, in one line."""
    if report.status == "review":
        return words.PASSED_PENDING_REVIEW
    if not report.passed:
        return words.PASSED_NONE
    return words.PASSED_LINE.format(n=len(report.passed), rules=words.LIST_SEPARATOR.join(report.passed))
