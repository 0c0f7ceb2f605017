"""Names compared as a person would; different agencies stay apart."""

from __future__ import annotations

import pytest

from form.agency_names import matching_names, same_agency


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
