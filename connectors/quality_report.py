"""The quality report an agency receives: every finding on its submission, in Chinese.

Pure text from the report and its findings; the messages already name section, row, column,
the printed value and the expected one (expectations/), so this only lays them out.
"""

from __future__ import annotations

from collections.abc import Sequence

from form.record import Finding, Report
from form.rules import RULES_BY_ID, SEVERITY_ZH

_ORDER = {"hard": 0, "soft": 1, "not_checkable": 2}


def quality_report(
    report: Report | None, findings: Sequence[Finding], *, file_name: str, state: str, reason: str | None = None
) -> tuple[str, str]:
    """(subject, body) of the mail telling an agency what is wrong with one submitted file."""
    agency = (report.agency if report else None) or "贵单位"
    year = f"{report.year}年度" if report and report.year else ""
    hard = [f for f in findings if f.severity == "hard"]
    if state == "quarantined":
        subject = f"【政府信息公开年报】{file_name} 无法读取，请重新报送"
    elif hard:
        subject = f"【政府信息公开年报】{agency}{year}年报有{len(hard)}处错误，请更正后重新报送"
    else:
        subject = f"【政府信息公开年报】{agency}{year}年报已接收（{len(findings)}条提示）"
    lines = [f"{agency}：", "", f"贵单位报送的文件「{file_name}」已于系统中处理。"]
    if state == "quarantined":
        lines.append(f"该文件无法读取：{reason or '原因不明'}。请检查文件后重新报送。")
    elif hard:
        lines.append("年报未通过校验，数据暂未入库。请逐项核对以下问题，更正后重新报送：")
    else:
        lines.append("年报已通过必须项校验并入库。以下提示供核对：")
    lines.append("")
    for n, f in enumerate(sorted(findings, key=lambda f: _ORDER.get(f.severity, 3)), start=1):
        rule = RULES_BY_ID.get(f.rule)
        title = rule.statement_zh if rule else f.rule
        lines.append(f"{n}. [{SEVERITY_ZH.get(f.severity, f.severity)}] {title}（{f.rule}）")
        if f.message:
            lines.append(f"   {f.message}")
        if f.previous:
            lines.append(f"   上年数据来源：{f.previous}")
    if not findings and state != "quarantined":
        lines.append("未发现问题。")
    lines += ["", "此邮件由年报数据系统自动发送。"]
    return subject, "\n".join(lines)
