"""One matcher for ingest and for `check --previous`: the steps of form.agency_matching, in order."""

from __future__ import annotations

import pytest

from form.agency_matching import AgencyMatcher, Match, NameEntry

RENAMED = (
    NameEntry("D16", "洪泽区文化广电新闻出版局", 2019, 2019),
    NameEntry("D16", "洪泽区文化和旅游局", 2020),
)


def test_an_open_entry_covers_every_year() -> None:
    always, closed = NameEntry("A", "甲县人民政府"), NameEntry("B", "乙县人民政府", 2019, 2020)
    assert always.covers(1900) and always.covers(2100)
    assert [closed.covers(y) for y in (2018, 2019, 2020, 2021)] == [False, True, True, False]


@pytest.mark.parametrize(
    "printed,method",
    [
        ("淮安市洪泽区人民政府", "exact"),
        ("淮安市 洪泽区政府", "exact"),  # spaces and 人民政府/政府 fold into the key
        ("洪泽区人民政府", "prefix"),
        ("江苏省淮安市洪泽区人民政府", "prefix"),
    ],
)
def test_names_valid_in_the_year_match_exactly_or_by_region_prefix(printed: str, method: str) -> None:
    matcher = AgencyMatcher([NameEntry("320813", "淮安市洪泽区人民政府")])
    assert matcher.match(printed, 2021) == Match("320813", method)  # type: ignore[arg-type]


def test_an_exact_key_wins_over_a_region_prefix() -> None:
    matcher = AgencyMatcher([NameEntry("A", "洪泽区政府"), NameEntry("B", "淮安市洪泽区人民政府")])
    assert matcher.match("洪泽区人民政府", 2021) == Match("A", "exact")


def test_an_old_name_after_a_rename_is_other_year_and_only_while_the_agency_lives() -> None:
    matcher = AgencyMatcher([*RENAMED, NameEntry("D09", "清江浦区粮食局", 2019, 2020)])
    assert matcher.match("洪泽区文化广电新闻出版局", 2019) == Match("D16", "exact")
    assert matcher.match("洪泽区文化广电新闻出版局", 2022) == Match("D16", "other_year")
    assert matcher.match("清江浦区粮食局", 2021) == Match(None, "unregistered")  # merged away
    assert matcher.active("D16", 2030) and not matcher.active("D09", 2021)


def test_the_name_of_the_year_wins_over_another_agencys_old_name() -> None:
    matcher = AgencyMatcher([NameEntry("OLD", "甲县教育局", 2019, 2020), NameEntry("NEW", "甲县教育局", 2021)])
    assert matcher.match("甲县教育局", 2022) == Match("NEW", "exact")
    assert matcher.match("甲县教育局", 2020) == Match("OLD", "exact")


def test_aliases_win_exactly_and_match_with_a_region_prefix_last() -> None:
    matcher = AgencyMatcher(
        [NameEntry("320902", "盐城市亭湖区人民政府"), NameEntry("321102", "镇江市亭湖区人民政府")],
        {"亭湖区人民政府": "320902", "洪泽区政府信息公开办": "320813"},
    )
    assert matcher.match("亭湖区 人民政府", 2021) == Match("320902", "alias")
    assert matcher.match("淮安市洪泽区政府信息公开办", 2021) == Match("320813", "alias")


def test_several_agencies_are_ambiguous_never_a_guess() -> None:
    matcher = AgencyMatcher([NameEntry("320902", "盐城市亭湖区人民政府"), NameEntry("321102", "镇江市亭湖区人民政府")])
    assert matcher.match("亭湖区人民政府", 2021) == Match(None, "ambiguous", ("320902", "321102"))


@pytest.mark.parametrize("printed", ["", "  ", "教育局", "洪泽区人民政府办公室", "北川县教育局"])
def test_names_that_name_no_known_agency_are_unregistered(printed: str) -> None:
    matcher = AgencyMatcher([NameEntry("A", "洪泽区人民政府"), NameEntry("B", "南川县教育局")])
    assert matcher.match(printed, 2021) == Match(None, "unregistered")


def test_a_renamed_township_is_recognised_by_its_place_last() -> None:
    matcher = AgencyMatcher(
        [
            NameEntry("T1", "嘉洲镇人民政府"),
            NameEntry("T2", "东安乡人民政府", 2019, 2020),
            NameEntry("T3", "南平镇人民政府"),
            NameEntry("T4", "南平乡人民政府"),
        ]
    )
    assert matcher.match("嘉洲街道办事处", 2021) == Match("T1", "township")
    assert matcher.match("嘉洲镇人民政府", 2021) == Match("T1", "exact")  # a name match comes first
    assert matcher.match("东安镇人民政府", 2020) == Match("T2", "township")
    assert matcher.match("东安镇人民政府", 2021) == Match(None, "unregistered")  # only places valid that year
    assert matcher.match("南平街道", 2021) == Match(None, "ambiguous", ("T3", "T4"))
    assert matcher.match("嘉洲县教育局", 2021).method == "unregistered"
