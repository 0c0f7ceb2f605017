"""The quality report an agency receives: every finding on its submission, in Chinese.

Pure text from the report and its findings; the messages already name section, row, column,
the printed value and the expected one (expectations/), so this only lays them out in the
words of `form.mail`.
"""

from __future__ import annotations

from collections.abc import Sequence

from form import mail
from form.record import Finding, Report
from form.rules import RULES_BY_ID, SEVERITY_ORDER, SEVERITY_ZH


def _subject(agency: str, year: str, findings: Sequence[Finding], file_name: str, state: str) -> str:
    hard = sum(1 for f in findings if f.severity == "hard")
    if state == "quarantined":
        return mail.SUBJECT_UNREADABLE.format(file_name=file_name)
    if hard:
        return mail.SUBJECT_REJECTED.format(agency=agency, year=year, hard=hard)
    return mail.SUBJECT_ACCEPTED.format(agency=agency, year=year, findings=len(findings))


def _finding_lines(findings: Sequence[Finding]) -> list[str]:
    lines = []
    for n, f in enumerate(sorted(findings, key=lambda f: SEVERITY_ORDER.get(f.severity, 3)), start=1):
        rule = RULES_BY_ID.get(f.rule)
        title = rule.statement_zh if rule else f.rule
        severity = SEVERITY_ZH.get(f.severity, f.severity)
        lines.append(mail.FINDING.format(n=n, severity=severity, title=title, rule=f.rule))
        if f.message:
            lines.append(mail.FINDING_DETAIL.format(text=f.message))
        if f.previous:
            lines.append(mail.PREVIOUS_SOURCE.format(previous=f.previous))
    return lines


def quality_report(
    report: Report | None, findings: Sequence[Finding], *, file_name: str, state: str, reason: str | None = None
) -> tuple[str, str]:
    """(subject, body) of the mail telling an agency what is wrong with one submitted file."""
    agency = (report.agency if report else None) or mail.UNNAMED_AGENCY
    year = mail.REPORT_YEAR.format(year=report.year) if report and report.year else ""
    lines = [mail.GREETING.format(agency=agency), "", mail.RECEIVED.format(file_name=file_name)]
    if state == "quarantined":
        lines.append(mail.UNREADABLE.format(reason=reason or mail.UNKNOWN_REASON))
    elif any(f.severity == "hard" for f in findings):
        lines.append(mail.REJECTED)
    else:
        lines.append(mail.ACCEPTED)
    lines.append("")
    lines += _finding_lines(findings)
    if not findings and state != "quarantined":
        lines.append(mail.NO_FINDINGS)
    lines += ["", mail.CLOSING]
    return _subject(agency, year, findings, file_name, state), "\n".join(lines)
