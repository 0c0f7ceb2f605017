"""The province's agencies: a realistic government tree, stable ids, renames and merges."""

from __future__ import annotations

import random
from collections import Counter

import pytest

from synth.registry import Agency, build_registry, registry_rows
from tests.synth.conftest import YEARS


@pytest.fixture(scope="module")
def province() -> tuple[Agency, ...]:
    return build_registry(1700, YEARS, random.Random(3))


def test_registry_is_a_realistic_province(province: tuple[Agency, ...]) -> None:
    levels = Counter(a.level for a in province)
    assert len(province) == 1700 and len({a.id for a in province}) == 1700
    assert levels["province"] == 1 and levels["city"] == 10 and levels["county"] == 90
    assert levels["department"] > 500 and levels["township"] > 500
    ids = {a.id for a in province}
    for a in province:
        assert len(a.region) == 6 and a.region.isdigit()
        assert a.parent_id in ids or a.level == "province"
        assert a.successor_id in ids or not a.successor_id
    names = [a.name_in(2019) for a in province]
    assert any(n.endswith("市人民政府办公室") for n in names)
    assert any(n.endswith("镇人民政府") for n in names) and any(n.endswith("街道办事处") for n in names)
    assert any(n.endswith("县教育局") for n in names)
    assert sum(len(a.names) > 1 for a in province) > 20, "some agencies are renamed"
    assert sum(a.valid_to is not None for a in province) > 5, "some agencies are merged"
    rows = registry_rows(province, YEARS)
    renamed = next(a for a in province if len(a.names) > 1)
    periods = [r for r in rows if r[0] == renamed.id]
    assert [r[1] for r in periods] == [n for _, n in renamed.names]


def test_small_provinces_still_have_every_level_of_government() -> None:
    agencies = build_registry(12, YEARS, random.Random(1))
    assert {a.level for a in agencies} >= {"province", "city", "county", "department", "township"}
    with pytest.raises(ValueError):
        build_registry(2, YEARS, random.Random(1))


def test_ids_follow_the_government_tree(province: tuple[Agency, ...]) -> None:
    by_id = {a.id: a for a in province}
    for a in province:
        if a.level == "department":
            assert a.id.startswith(f"{a.parent_id}-D") and by_id[a.parent_id].level == a.seat
        elif a.level == "township":
            assert a.id.startswith(f"{a.parent_id}-T") and by_id[a.parent_id].level == "county"
        else:
            assert a.id == a.region and a.name_in(YEARS.start).endswith("人民政府")
    (gov,) = (a for a in province if a.level == "province")
    assert gov.id.endswith("0000") and gov.name_in(2019).endswith("省人民政府")
    assert all(a.id.endswith("00") and a.parent_id == gov.id for a in province if a.level == "city")


def test_townships_are_renamed_by_the_reforms(province: tuple[Agency, ...]) -> None:
    reforms = {("乡人民政府", "镇人民政府"), ("镇人民政府", "街道办事处")}
    renamed = [a for a in province if a.level == "township" and len(a.names) > 1]
    assert renamed
    for a in renamed:
        (first, before), (year, after) = a.names
        assert first == YEARS.start < year <= YEARS.stop - 1
        assert (before[-5:], after[-5:]) in reforms and before[:-5] == after[:-5], a.names


def test_departments_are_renamed_in_the_year_of_the_reform(province: tuple[Agency, ...]) -> None:
    reforms = {
        ("文化广电新闻出版局", "文化和旅游局", 2020),
        ("国土资源局", "自然资源和规划局", 2020),
        ("医疗保障办公室", "医疗保障局", 2021),
        ("行政审批服务局", "数据和政务服务局", 2023),
    }
    renamed = [a for a in province if a.level == "department" and len(a.names) > 1]
    assert renamed
    for a in renamed:
        (_, before), (year, after) = a.names
        assert a.seat != "province"
        assert any(
            before.endswith(old)
            and after.endswith(new)
            and y == year
            and before[: -len(old)] == after[: -len(new)]
            for old, new, y in reforms
        ), a.names


def test_merged_agencies_hand_over_to_a_sibling(province: tuple[Agency, ...]) -> None:
    by_id = {a.id: a for a in province}
    merged = [a for a in province if a.valid_to is not None]
    assert merged
    for a in merged:
        year = a.valid_to + 1
        assert not a.active(year)
        # a township's neighbour may itself merge on, so the chain is followed to who reports
        heir = by_id[a.successor_id]
        while not heir.active(year) and heir.successor_id:
            heir = by_id[heir.successor_id]
        assert heir.active(year), a.id
        assert heir.parent_id == a.parent_id and heir.level == a.level


def test_the_same_seed_gives_the_same_registry() -> None:
    a = build_registry(300, YEARS, random.Random(8))
    b = build_registry(300, YEARS, random.Random(8))
    c = build_registry(300, YEARS, random.Random(9))
    assert a == b and a != c
