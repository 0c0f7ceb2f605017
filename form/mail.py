"""The words of the mail an agency receives about a submitted file (`connectors.quality_report`).

The findings it lists word themselves (`form.messages`), and the severity words and rule
statements are `form.rules`'; this module holds the rest: subject lines, the opening, what
happened to the file, and the closing line.
"""

from __future__ import annotations

#: How the mail addresses an agency whose report does not name it.
UNNAMED_AGENCY = "贵单位"
#: The report's year as subjects name it (empty when the year is unknown).
REPORT_YEAR = "{year}年度"

SUBJECT_UNREADABLE = "【政府信息公开年报】{file_name} 无法读取，请重新报送"
SUBJECT_REJECTED = "【政府信息公开年报】{agency}{year}年报有{hard}处错误，请更正后重新报送"
SUBJECT_ACCEPTED = "【政府信息公开年报】{agency}{year}年报已接收（{findings}条提示）"

GREETING = "{agency}："
RECEIVED = "贵单位报送的文件「{file_name}」已于系统中处理。"
UNREADABLE = "该文件无法读取：{reason}。请检查文件后重新报送。"
UNKNOWN_REASON = "原因不明"
REJECTED = "年报未通过校验，数据暂未入库。请逐项核对以下问题，更正后重新报送："
ACCEPTED = "年报已通过必须项校验并入库。以下提示供核对："

#: One finding: its number, severity word, the rule's statement and id; then its message.
FINDING = "{n}. [{severity}] {title}（{rule}）"
FINDING_DETAIL = "   {text}"
PREVIOUS_SOURCE = "   上年数据来源：{previous}"
NO_FINDINGS = "未发现问题。"
CLOSING = "此邮件由年报数据系统自动发送。"
