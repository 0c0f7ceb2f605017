"""Headers come from the `email` package's structured API: names, file names and registry e-mail
fields cannot add a header or a recipient; the Word attachment opens with the findings table."""

from __future__ import annotations

import io
from datetime import datetime
from email import policy
from email.parser import BytesParser

import pytest
from docx import Document

from form import mail as words
from form.record import Finding
from mail.content import Submitted, build_report
from mail.message import BadAddress, address, quality_message, recipients
from mail.render_docx import docx_bytes
from mail.render_html import html_body

EVIL_NAME = "某局\r\nBcc: spy@evil.example\r\nX-Injected: 1"
EVIL_FILE = "/srv/inbox/年报.docx\r\nBcc: spy@evil.example"
FINDING = Finding(rule="t3.balance", severity="hard", cells=["t3.new.natural"], printed=3, expected=4, message="<b>不平衡</b>")


def report(agency: str = "某局", path: str = "/srv/inbox/某局_2021.docx", state: str = "rejected"):
    sub = Submitted(1, path, datetime(2022, 1, 5), state, "unreadable", "X1", agency, 2021, [FINDING] if state != "quarantined" else [])  # type: ignore[arg-type]
    return build_report(sub)


def parsed(msg):
    return BytesParser(policy=policy.default).parsebytes(msg.as_bytes())


@pytest.mark.parametrize(
    "bad",
    [
        "gk@ha.example\r\nBcc: spy@evil.example",
        "gk@ha.example, spy@evil.example",
        "gk@ha.example;spy@evil.example",
        "Spy <spy@evil.example>",
        "gk@ha.example\nspy@evil.example",
        "",
        "not an address",
    ],
)
def test_a_registry_e_mail_field_is_one_address_or_refused(bad: str) -> None:
    with pytest.raises(BadAddress):
        address(bad)
    with pytest.raises(BadAddress):
        quality_message(report(), sender="xxgk@province.example", to=bad)


def test_an_agency_name_cannot_add_a_header_or_recipient() -> None:
    msg = parsed(quality_message(report(agency=EVIL_NAME), sender="xxgk@province.example", to="gk@ha.example"))
    assert msg["Bcc"] is None and msg["X-Injected"] is None
    assert [a.addr_spec for a in msg["To"].addresses] == ["gk@ha.example"]
    assert "\n" not in msg["Subject"] and "\n" not in msg["To"].addresses[0].display_name
    assert recipients(msg) == ["gk@ha.example"]


def test_a_file_name_cannot_add_a_header() -> None:
    msg = parsed(quality_message(report(path=EVIL_FILE, state="quarantined"), sender="xxgk@province.example", to="gk@ha.example"))
    assert msg["Bcc"] is None and recipients(msg) == ["gk@ha.example"]
    assert "\n" not in msg["Subject"]
    raw = msg.as_string()
    assert "\nBcc:" not in raw and "/srv" not in raw


def test_cc_and_both_body_parts_and_the_attachment() -> None:
    msg = parsed(quality_message(report(), sender="xxgk@province.example", to="gk@ha.example", cc=["office@js.example"]))
    assert recipients(msg) == ["gk@ha.example", "office@js.example"]
    plain = msg.get_body(preferencelist=("plain",)).get_content()
    html = msg.get_body(preferencelist=("html",)).get_content()
    assert words.HEADING_HARD.format(n=1) in plain and words.HEADING_HARD.format(n=1) in html
    [attachment] = list(msg.iter_attachments())
    assert attachment.get_filename() == "质量反馈_某局_2021.docx"


def test_html_escapes_what_it_shows() -> None:
    html = html_body(report(agency="<script>alert(1)</script>"))
    assert "<script>" not in html and "&lt;script&gt;" in html and "&lt;b&gt;不平衡" in html


def test_the_docx_has_the_findings_table_and_the_official_faces() -> None:
    doc = Document(io.BytesIO(docx_bytes(report())))
    tables = doc.tables
    findings = tables[1]
    assert [c.text for c in findings.rows[0].cells] == [
        words.COL_NO, words.COL_WHERE, words.COL_PRINTED, words.COL_EXPECTED, words.COL_RULE, words.COL_DETAIL
    ]
    row = [c.text for c in findings.rows[1].cells]
    assert row[0] == "1" and "自然人" in row[1] and row[2:4] == ["3", "4"]
    east_asian = doc.styles["Normal"].element.rPr.rFonts.get(
        "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}eastAsia"
    )
    heading = doc.styles["Heading 1"].element.rPr.rFonts.get(
        "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}eastAsia"
    )
    assert (east_asian, heading) == (words.FONT_BODY, words.FONT_HEADING)


def test_the_docx_holds_any_text_as_text() -> None:
    """document.xml is written as text: markup, ampersands, line breaks and control characters in
    outside values stay the reader's text (control characters XML cannot hold are dropped)."""
    evil = '某局</w:t></w:r></w:p><w:p><w:r><w:t>注入 & "引号" \x01\x0b'
    doc = Document(io.BytesIO(docx_bytes(report(agency=evil))))
    facts = {row.cells[0].text: row.cells[1].text for row in doc.tables[0].rows}
    assert facts[words.FIELD_AGENCY] == '某局</w:t></w:r></w:p><w:p><w:r><w:t>注入 & "引号" '
    assert doc.paragraphs[1].text == words.GREETING.format(agency=facts[words.FIELD_AGENCY])
    detail = doc.tables[1].rows[1].cells[5].text
    assert detail == "<b>不平衡</b>"


def test_a_long_attachment_name_survives_folding() -> None:
    """RFC 2231 continuations keep a long Chinese file name whole and every line short."""
    long_name = "某某省某某市某某县某某镇人民政府办公室政府信息公开工作领导小组办公室"
    raw = quality_message(report(agency=long_name), sender="xxgk@province.example", to="gk@ha.example").as_bytes()
    assert max(len(line) for line in raw.split(b"\r\n") if b"name*" in line) <= 78
    [attachment] = list(parsed_bytes(raw).iter_attachments())
    assert attachment.get_filename() == f"质量反馈_{long_name}_2021.docx"


def parsed_bytes(raw: bytes):
    return BytesParser(policy=policy.default).parsebytes(raw)
