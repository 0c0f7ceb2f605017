"""Registry e-mail fields: exactly one address, refused with its row's line otherwise (issue 14).

A registry e-mail holding a newline raised inside the outbox and stopped mail for the rest of the
chunk; a comma list added recipients. Both were accepted by `registry load`.
"""

from __future__ import annotations

import csv
import io

import pytest

from form.registry_format import REGISTRY_COLUMNS, email_problem
from mail.message import BadAddress, address
from warehouse.registry_file import RegistryError, parse_registry

GOOD = ("gk@hz.example", "a.b+c_d-e@sub.example.cn", "X1@xn--fiqs8s.example", "gk@例子.中国", "ok@x")
BAD = {
    "gk@hz.example\nBcc: x@evil.example": "line break",
    "gk@hz.example,\r\nBcc: x@evil.example": "line break",
    "a@x.example,b@y.example": "list",
    "a@x.example; b@y.example": "space",
    "a@x.example;b@y.example": "list",
    "Office <a@x.example>": "space",
    "a@x.example\x00": "control",
    "a@x.example\u200b": "control",
    "a@x.example\u2028b": "line break",
    "a@b@c": "not an e-mail",
    "@b.example": "not an e-mail",
    "a@": "not an e-mail",
    "a@x..example": "not an e-mail",
    "a@x.example.": "not an e-mail",
    "a..b@x.example": "not an e-mail",
    "张三@x.example": "not an e-mail",
    '"a b"@x.example': "space",
    "a" * 250 + "@x.example": "longer than",
}


def _csv(*emails: str) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(REGISTRY_COLUMNS)
    for n, email in enumerate(emails):
        writer.writerow([f"A{n}", f"甲局{n}", "county", "320800", "", email, "", "", "", ""])
    return out.getvalue()


@pytest.mark.parametrize("email", GOOD)
def test_one_address_is_accepted_and_the_mail_takes_it(email: str) -> None:
    assert email_problem(email) is None
    rows, _ = parse_registry(_csv(email))
    assert rows[0].email == email
    assert address(email).addr_spec == email  # what the registry accepts, the mail side accepts


@pytest.mark.parametrize("email", sorted(BAD))
def test_a_bad_address_is_refused_saying_why(email: str) -> None:
    problem = email_problem(email)
    assert problem is not None and BAD[email] in problem
    with pytest.raises(RegistryError) as caught:
        parse_registry(_csv("ok@x.example", email))
    [said] = caught.value.problems
    assert said.startswith("line 3: email ") and "\n" not in said and "\r" not in said


def test_line_numbers_count_the_lines_a_quoted_field_spans() -> None:
    """Row 3's e-mail spans two lines, so the bad row after it starts on line 5, not 4."""
    text = _csv("ok@x.example", "a@x.example\nBcc: b@y.example", "a,b@x.example")
    with pytest.raises(RegistryError) as caught:
        parse_registry(text.replace("\n\n", "\n"))
    assert [p.split(":")[0] for p in caught.value.problems] == ["line 3", "line 5"]


def test_blank_lines_are_counted_too() -> None:
    text = _csv("ok@x.example", "a;b@x.example").replace("\nA1,", "\n\n\nA1,")
    with pytest.raises(RegistryError) as caught:
        parse_registry(text)
    assert [p.split(":")[0] for p in caught.value.problems] == ["line 5"]


def test_every_address_the_registry_refuses_the_mail_refuses_or_would_misread() -> None:
    """Defence in depth: none of them may raise anything but BadAddress on the mail side."""
    for email in BAD:
        try:
            parsed = address(email)
        except BadAddress:
            continue
        # the mail side took it: then it reads exactly one address, never a list
        assert parsed.addr_spec.count("@") == 1, email
