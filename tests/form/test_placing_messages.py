"""The messages the warehouse stores for agencies are Chinese, and quote what they are about."""

from __future__ import annotations

import re

import pytest

from form import placing_messages as msg
from form.rules import SEVERITY_ZH

HAN = re.compile(r"[\u4e00-\u9fff]")


def _latin_words(text: str, *quoted: str) -> list[str]:
    for q in quoted:
        text = text.replace(q, "")
    return re.findall(r"[A-Za-z]{2,}", text)


@pytest.mark.parametrize(
    "message,quoted",
    [
        (msg.unregistered("宿城区卫生健康局", 2021), ("宿城区卫生健康局", "2021")),
        (msg.ambiguous("亭湖区人民政府", ["320902", "321102"]), ("亭湖区人民政府", "320902、321102")),
        (msg.name_other_year("洪泽区文化广电新闻出版局", "320813-D16", 2021), ("320813-D16", "2021")),
        (msg.unplaceable(None, 2021), ()),
        (msg.unplaceable("宿城区教育局", None), ()),
        (msg.not_a_cell("t3.new.martians"), ("t3.new.martians",)),
        (msg.not_whole("t3.new.natural", 2.5), ("2.5",)),
        (msg.negative("t3.new.natural", -1), ("-1",)),
        (msg.hard_summary({"t3.balance": 2, "t4.total": 1}), ("t3.balance ×2", "t4.total")),
        (msg.review_summary(["t3.new.natural", "t4.review.upheld"]), ("2",)),
    ],
)
def test_every_message_is_chinese_and_quotes_its_values(message: str, quoted: tuple[str, ...]) -> None:
    assert HAN.search(message)
    assert all(q in message for q in quoted)
    assert _latin_words(message, *quoted) == []


def test_the_rejection_reason_uses_the_hard_severity_word() -> None:
    assert msg.hard_summary({"t4.total": 1}) == f"未通过{SEVERITY_ZH['hard']}的检查：t4.total"
    assert msg.hard_summary({"t3.balance": 2, "t4.total": 1}).endswith("t3.balance ×2、t4.total")


def test_a_cell_is_named_in_the_words_of_the_printed_form() -> None:
    assert msg.not_whole("t3.new.natural", 2.5).startswith("表三「")


def test_the_review_reason_names_the_first_cells_by_label_and_counts_the_rest() -> None:
    from form.catalogue import describe_cell

    one = msg.review_summary(["t3.new.natural"])
    assert one == "扫描件中1个单元格无法可靠识别：" + describe_cell("t3.new.natural")
    cells = ["t3.new.natural", "t3.granted.total", "t4.review.upheld", "t2.fees.amount", "t3.carried_out.legal"]
    many = msg.review_summary(cells)
    assert many.startswith("扫描件中5个单元格无法可靠识别：表三「一、本年新收政府信息公开申请数量」行「自然人」列；")
    assert describe_cell("t4.review.upheld") in many and describe_cell("t2.fees.amount") not in many
    assert many.endswith("等5个单元格")
