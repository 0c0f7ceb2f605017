"""Numbers the narrative states: real wording, the synthetic phrases, and what is left alone."""

from __future__ import annotations

import pytest

from expectations.narrative import measures, stated_totals
from form.layout import NARRATIVE_TOTALS


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("市政府办公室全年共收到依申请公开件65件，按期答复65件。", {"received": 65}),
        (
            "2024 年，全市共受理政府信息公开申请 3119 件，答复 3050 件（含上年度结转申请 34 件）。",
            {"received": 3119, "carried_in": 34},
        ),
        (
            "政府信息公开行政复议 351件，其中结果维持 72 件；政府信息公开行政诉讼 46 件。",
            {"reviews": 351, "suits": 46},
        ),
        (
            "各类政府信息公开申请共计81件。办结依申请公开81件。因政府信息公开引起的行政复议案件2件、行政诉讼案件7件。",
            {"received": 81, "processed": 81, "reviews": 2, "suits": 7},
        ),
        ("本年度共收到政府信息公开申请１，２０５件。", {"received": 1205}),
        ("全年共收到政府信息公开申请3,119件。", {"received": 3119}),
        ("上年结转政府信息公开申请3件，结转下年度继续办理2件。", {"carried_in": 3, "carried_out": 2}),
    ],
)
def test_real_wording(text, expected) -> None:
    assert stated_totals({"一": text}) == expected


def test_every_phrase_the_generator_uses_is_read() -> None:
    for cells, phrases, unit in NARRATIVE_TOTALS:
        name = next(m.name for m in measures() if m.cells == tuple(cells))
        for phrase in phrases:
            assert stated_totals({"一": f"本年度{phrase}17{unit}。"}) == {name: 17}, phrase


@pytest.mark.parametrize(
    "text",
    [
        "未发生因政府信息公开引起的复议和诉讼。",  # no number
        "收到政府信息公开申请同比增长15%。",  # not a count
        "本年度共收到政府信息公开申请12件，较上年共收到政府信息公开申请9件有所增加。",  # two numbers: unsure
        "依据《条例》第十条，行政复议法规定的期限为60日。",
        "发布文件12件。",
    ],
)
def test_nothing_is_read_where_the_number_is_not_sure(text) -> None:
    assert stated_totals({"一": text}) == {}


def test_all_sections_are_read_and_agreeing_repeats_are_fine() -> None:
    narrative = {"一": "共收到政府信息公开申请5件。", "三": "本年度共收到政府信息公开申请5件。", "六": ""}
    assert stated_totals(narrative) == {"received": 5}
