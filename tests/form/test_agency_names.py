"""Names compared as a person would; different agencies stay apart."""

from __future__ import annotations

import pytest

from form.agency_names import (
    CITY_UNIT,
    PLACE_ENDINGS,
    REGION_UNITS,
    TOWNSHIP_PLACE_UNITS,
    government_place,
    matching_names,
    name_key,
    region_units,
    same_agency,
    township_stem,
)


@pytest.mark.parametrize(
    "a,b",
    [
        ("洪泽区人民政府", "淮安市洪泽区人民政府"),
        ("淮安市洪泽区人民政府", "江苏省淮安市洪泽区人民政府"),
        ("海宁市人民政府办公室", "海宁市政府办公室"),
        ("平潭综合实验区", "平潭 综合实验区"),
    ],
)
def test_same(a: str, b: str) -> None:
    assert same_agency(a, b)


@pytest.mark.parametrize(
    "a,b",
    [
        ("洪泽区人民政府", "洪泽区人民政府办公室"),
        ("淮安市人民政府", "宿迁市人民政府"),
        ("教育局", "海宁市教育局"),  # too short to name an agency on its own
        ("清河区人民政府", "淮安市清江浦区人民政府"),
    ],
)
def test_different(a: str, b: str) -> None:
    assert not same_agency(a, b)


def test_exact_match_wins_over_prefixed_ones() -> None:
    names = ["淮安市洪泽区人民政府", "洪泽区人民政府"]
    assert matching_names("洪泽区人民政府", names) == ["洪泽区人民政府"]
    assert matching_names("江苏省淮安市洪泽区人民政府", ["淮安市洪泽区人民政府", "淮安市人民政府"]) == ["淮安市洪泽区人民政府"]


def test_township_under_its_county() -> None:
    assert same_agency("清阳镇人民政府", "东山县清阳镇人民政府")
    assert not same_agency("清阳镇人民政府", "东山县清阳镇人民政府办公室")


def test_a_townships_place_survives_its_rename() -> None:
    assert township_stem(name_key("嘉洲街道办事处")) == township_stem(name_key("嘉洲镇人民政府")) == "嘉洲"
    assert township_stem(name_key("东安乡人民政府")) == "东安"
    assert township_stem(name_key("嘉洲县教育局")) is None and township_stem(name_key("街道")) is None


@pytest.mark.parametrize(
    "name,place",
    [
        ("淮安市人民政府", "淮安市"),
        ("淮安市政府", "淮安市"),
        ("苏州工业园区管委会", "苏州工业园区"),
        ("淮安市人民政府办公室", None),
        ("教育局", None),
        ("政府", None),
    ],
)
def test_the_place_of_a_governments_own_name(name: str, place: str | None) -> None:
    assert government_place(name) == place


def test_region_units_read_left_to_right() -> None:
    assert region_units("嘉兴市海宁市") == [CITY_UNIT, CITY_UNIT]
    assert region_units("浦东新区") == ["新区"] and region_units("广西壮族自治区南宁市") == ["自治区", "市"]


def test_place_endings_are_region_units_above_the_township() -> None:
    assert set(PLACE_ENDINGS) | set(TOWNSHIP_PLACE_UNITS) == set(REGION_UNITS)
    assert not any(p.endswith(TOWNSHIP_PLACE_UNITS) for p in PLACE_ENDINGS)
