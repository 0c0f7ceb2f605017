"""The words of the quality report an agency receives, and of the summary the provincial office gets.

The findings word themselves (`form.messages`), the severity words and rule statements are
`form.rules`', and section/row/column labels are the catalogue's; this module holds the rest:
subjects, headings, field names, what happened to the file, how to resubmit. `mail.content`
and the renderers (text, HTML, Word) read every word from here.
"""

from __future__ import annotations

#: How the mail addresses an agency whose name is not known.
UNNAMED_AGENCY = "贵单位"
#: The report's year as subjects and headings name it (empty when the year is unknown).
REPORT_YEAR = "{year}年度"
#: The sender's display name.
SENDER_NAME = "政府信息公开年报数据系统"

SUBJECT_UNREADABLE = "【政府信息公开年报】{file_name} 无法读取，请重新报送"
SUBJECT_REJECTED = "【政府信息公开年报】{agency}{year}年报有{hard}处错误，请更正后重新报送"
SUBJECT_ACCEPTED = "【政府信息公开年报】{agency}{year}年报已入库（{soft}条提示）"
SUBJECT_CLEAN = "【政府信息公开年报】{agency}{year}年报已入库"
SUBJECT_REVIEW = "【政府信息公开年报】{agency}{year}年报为扫描件，{n}个单元格待人工核对，暂未入库"
SUBJECT_SUMMARY = "【政府信息公开年报】{year}年度汇总情况（{agencies}个机关）"

TITLE = "政府信息公开工作年度报告质量反馈"
SUMMARY_TITLE = "政府信息公开工作年度报告{year}年度汇总情况"
GREETING = "{agency}："
OPENING = "贵单位报送的政府信息公开工作年度报告已收到，系统校验结果如下。"
OPENING_UNREADABLE = "贵单位报送的文件已收到，但系统无法读取，年报视为尚未报送。"

#: The facts about the submission, as (label, value) pairs.
FIELD_AGENCY = "报送机关"
FIELD_YEAR = "年报年度"
FIELD_FILE = "文件名称"
FIELD_RECEIVED = "接收日期"
FIELD_STATUS = "处理状态"
FIELD_REASON = "无法读取的原因"
FIELD_REVIEW_REASON = "待人工核对的原因"
UNKNOWN = "不详"
UNKNOWN_REASON = "原因不明"

#: The three statuses a submission ends in, as the agency reads them.
STATUS_WORDS = {"loaded": "已入库", "rejected": "退回更正", "quarantined": "无法读取", "review": "待人工核对"}
STATUS_EXPLAINED = {
    "loaded": "年报已通过全部必须更正项的校验，数据已入库。",
    "rejected": "年报有必须更正的问题，数据暂未入库。请逐项更正后重新报送。",
    "quarantined": "系统无法读取该文件，年报视为尚未报送。请检查文件后重新报送。",
    "review": "年报为扫描件，部分单元格无法可靠识别，待人工核对后入库，数据暂未入库。如有可复制文字的文件，请一并报送。",
}

HEADING_HARD = "必须更正的问题（{n}项）"
#: A scan's cells OCR could not decide: they hold the report until a person has read them.
HEADING_REVIEW = "待人工核对的单元格（{n}项，核对前年报暂不入库）"
HEADING_SOFT = "提示（{n}项，供核对，不影响入库）"
HEADING_UNCHECKED = "无法核对的项目（{n}项）"
HEADING_PASSED = "已通过的校验"
HEADING_RESUBMIT = "如何重新报送"
NO_FINDINGS = "未发现问题。"

#: One finding's fields (text and HTML list them; Word puts them in the findings table).
COL_NO = "序号"
COL_WHERE = "位置"
COL_PRINTED = "填报值"
COL_EXPECTED = "应为"
COL_RULE = "规则"
COL_DETAIL = "说明"
#: Where a finding is: its section, table, row and column (the catalogue's labels).
WHERE_CELL = "第{section}部分 {table}「{row}」行「{column}」列"
WHERE_SECTION = "第{section}部分"
WHERE_MORE = "等{n}个单元格"
WHERE_REPORT = "全文"
#: Last year's figure for a cross-year rule, and which report it came from.
PREVIOUS = "上年数据来源：{file_name}（{received}接收）"
PREVIOUS_UNDATED = "上年数据来源：{file_name}"
BLANK_VALUE = "—"
PASSED_LINE = "以下{n}项校验已通过：{rules}。"
PASSED_NONE = "文件无法读取，未能校验。"
#: a scan held for review: its checks ran on values OCR read, so none is called passed until people confirm them
PASSED_PENDING_REVIEW = "扫描件中的数字尚待人工核对，核对完成前不列出已通过的校验。"
LIST_SEPARATOR = "；"

RESUBMIT = (
    "请在原文件上更正后，将完整年报（Word、网页或文本格式）按原渠道重新报送，文件名请包含机关名称和年度。",
    "系统以最后报送的版本为准，收到后会再次发送质量反馈。",
    "如对校验结果有疑问，请回复本邮件。",
)
#: A scan held for review has nothing to correct: what happens next instead of how to resubmit.
HEADING_AFTER_REVIEW = "核对之后"
AFTER_REVIEW = (
    "待核对的单元格由收件单位对照扫描件人工核对，原文件无需更正；核对完成后年报入库，并会再次发送质量反馈。",
    "如有同一年报可复制文字的版本（Word、网页或文本格式），可按原渠道报送，系统以其为准，无需等待核对。",
    "如对识别结果有疑问，请回复本邮件。",
)


def next_steps(status: str) -> tuple[str, tuple[str, ...]]:
    """The closing section's heading and lines: what happens after review for a held scan, how
    to resubmit for anything else."""
    return (HEADING_AFTER_REVIEW, AFTER_REVIEW) if status == "review" else (HEADING_RESUBMIT, RESUBMIT)


CLOSING = "此邮件由政府信息公开年报数据系统自动发送，附件为同一内容的Word版本。"
#: The Word attachment's name.
ATTACHMENT_NAME = "质量反馈_{agency}_{year}.docx"
SUMMARY_ATTACHMENT_NAME = "汇总情况_{year}.docx"

#: Dates as the agency reads them.
DATE = "{year}年{month}月{day}日"

# ---- the provincial office's summary -------------------------------------------------------------

SUMMARY_OPENING = "{year}年度政府信息公开工作年度报告汇总已完成，情况如下。"
SUMMARY_COUNTS = "报送情况"
SUMMARY_COUNT_LABELS = {
    "expected": "应报机关",
    "submitted": "已报机关",
    "loaded": "已入库",
    "rejected": "退回更正",
    "review": "待人工核对",
    "missing": "未报送",
    "late": "逾期发布",
    "quarantined": "无法读取的文件",
}
SUMMARY_MISSING = "未报送的机关（{n}个）"
SUMMARY_LATE = "逾期发布的机关（{n}个）"
SUMMARY_NO_ADDRESS = "无联系邮箱、未能发送质量反馈的机关（{n}个）"
SUMMARY_UNTOLD = "无法识别报送机关的无法读取文件（{n}个）"
SUMMARY_WORST = "问题最多的年报"
SUMMARY_WORST_LINE = "{agency}（{agency_id}）：{hard}处必须更正，{soft}条提示"
SUMMARY_NO_ADDRESS_LINE = "{agency}（{agency_id}）{recipient}"
SUMMARY_NONE = "无。"
SUMMARY_ATTACHED = "汇总表见附件。"

#: The official faces: headings in 黑体, body in 仿宋 (Word names them so; HTML falls back).
FONT_HEADING = "黑体"
FONT_BODY = "仿宋"

#: Why a file could not be read, in the agency's words: the first entry whose keyword the reader's
#: (English, technical) reason holds; the technical reason follows in brackets.
UNREADABLE_EXPLAINED: tuple[tuple[tuple[str, ...], str], ...] = (
    (("image-only PDF", "no text layer", "cid codes"), "PDF文件为扫描图片，没有可读取的文字，请报送Word文件或可复制文字的PDF"),
    (("encrypted PDF",), "PDF文件已加密，请取消密码后重新报送"),
    (("legacy Word", ".doc/.wps", "RTF"), "文件为旧版Word（.doc/.wps）或RTF格式，请另存为.docx后重新报送"),
    (("damaged", "truncated"), "文件已损坏或不完整，请重新导出后报送"),
    (("an image",), "文件为图片，不是年报文档，请报送Word文件"),
    (("binary data", "not a Word document", "misnamed"), "文件内容与扩展名不符，请检查文件格式"),
    (("unknown encoding",), "文本编码无法识别，请另存为UTF-8编码或报送Word文件"),
    (("empty file",), "文件为空"),
    (("pages is not", "too large", "bytes"), "文件过大，不像是一份年度报告，请检查是否报送错文件"),
    (("refused",), "文件因安全原因被拒绝读取，请重新导出后报送"),
    (("not found", "no row of values", "not recognisable"), "文件中未找到完整的年报表格，请使用规定格式"),
)
UNREADABLE_REASON = "{advice}（{technical}）"
