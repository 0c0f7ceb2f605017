"""Judging an agency's level from its printed name: its own report, deadline, 规章 power."""

from __future__ import annotations

from datetime import date

import pytest

from expectations.agencies import deadline, has_rule_power, is_own_government_report


@pytest.mark.parametrize(
    ("name", "own", "power"),
    [
        ("淮安市人民政府", True, True),  # a city with districts
        ("江苏省人民政府", True, True),
        ("上海市人民政府", True, True),
        ("内蒙古自治区人民政府", True, True),
        ("湘西土家族苗族自治州人民政府", True, True),
        ("延边州人民政府", True, True),
        ("淮安市洪泽区人民政府", True, False),
        ("洪泽区人民政府", True, False),
        ("东安县人民政府", True, False),
        ("嘉兴市海宁市人民政府", True, False),  # a county-level city under a city
        ("东安镇人民政府", True, False),
        ("东安乡政府", True, False),
        ("平潭综合实验区", True, False),
        ("平潭综合实验区管委会", True, False),
        ("海宁市人民政府办公室", False, False),
        ("江苏省人民政府办公厅", False, False),
        ("淮安市教育局", False, False),
        ("江苏省教育厅", False, False),
        ("嘉洲街道办事处", False, False),
    ],
)
def test_level_from_the_name(name, own, power) -> None:
    assert is_own_government_report(name) is own
    assert has_rule_power(name) is power


def test_deadlines() -> None:
    assert deadline("淮安市人民政府", 2024) == date(2025, 3, 31)
    assert deadline("海宁市人民政府办公室", 2021) == date(2022, 1, 31)
    assert deadline(None, 2021) is None and deadline("淮安市人民政府", None) is None


def test_unknown_name_is_not_judged() -> None:
    assert has_rule_power(None) is None and has_rule_power("") is None
