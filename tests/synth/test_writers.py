"""What every writer prints around the tables: titles, headings, the signature and its date."""

from __future__ import annotations

import random
from dataclasses import replace
from datetime import date

import pytest

from synth.printed import PrintedReport
from synth.province import clean_report
from synth.registry import build_registry
from synth.values import series
from synth.writers.blocks import blocks, date_text, title_lines
from tests.synth.conftest import YEARS


@pytest.fixture(scope="module")
def report() -> PrintedReport:
    agency = build_registry(5, YEARS, random.Random(2))[0]
    rng = random.Random(4)
    return clean_report(agency, 2022, "txt", rng, series(agency, YEARS, rng))


@pytest.mark.parametrize(
    "day,style,printed",
    [
        (date(2022, 1, 24), 0, "2022年1月24日"),
        (date(2022, 1, 24), 1, "二〇二二年一月二十四日"),
        (date(2022, 1, 24), 2, "2022-01-24"),
        (date(2020, 12, 10), 1, "二〇二〇年十二月十日"),
        (date(2021, 3, 31), 1, "二〇二一年三月三十一日"),
        (date(2023, 2, 20), 1, "二〇二三年二月二十日"),
    ],
)
def test_signature_dates_in_each_style(day: date, style: int, printed: str) -> None:
    assert date_text(day, style) == printed


def test_title_styles(report: PrintedReport) -> None:
    def titled(style: int) -> list[str]:
        return title_lines(report.copy(layout=replace(report.layout, title_style=style)))

    name = report.agency
    assert titled(0) == [f"{name}2022年度政府信息公开工作年度报告"]
    assert titled(1) == [name, "2022年度政府信息公开工作年度报告"]
    assert titled(2) == [f"2022年{name}政府信息公开工作年度报告"]


def test_narrative_headings_are_indented_table_headings_are_not(report: PrintedReport) -> None:
    indented = report.copy(layout=replace(report.layout, indent=True, t2_style="merged", t3_split=False))
    headings = [b.text for b in blocks(indented) if b.kind == "heading"]
    assert headings == [
        "\u3000\u3000一、总体情况",
        "二、主动公开政府信息情况",
        "三、收到和处理政府信息公开申请情况",
        "四、政府信息公开行政复议、行政诉讼情况",
        "\u3000\u3000五、存在的主要问题及改进情况",
        "\u3000\u3000六、其他需要报告的事项",
    ]
    kinds = [b.kind for b in blocks(indented)]
    assert kinds.count("table") == 3 and "break" not in kinds
    assert kinds[-2:] == ["sign", "sign"]


def test_a_table_split_in_two_has_a_break_between(report: PrintedReport) -> None:
    split = report.copy(layout=replace(report.layout, t3_split=True, t2_style="merged"))
    kinds = [b.kind for b in blocks(split)]
    assert kinds.count("table") == 4 and kinds.count("break") == 1
    assert kinds[kinds.index("break") - 1] == kinds[kinds.index("break") + 1] == "table"
