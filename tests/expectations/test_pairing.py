"""Pairing a report with its agency's previous year, names matched as a person would."""

from __future__ import annotations

import random

from expectations.pairing import pair_previous
from form.agency_matching import AgencyMatcher, NameEntry
from form.agency_names import matching_names, name_key, township_stem
from form.record import Report, Source
from tests.carryover_names import AMBIGUOUS_CASE, CARRYOVER_CASES


def rep(agency: str | None, year: int | None, path: str | None = None, content: str | None = None) -> Report:
    path = path or f"/{agency}/{year}"
    return Report(
        source=Source(path=path, sha256=content or path, media_type="text/plain"), agency=agency, year=year
    )


def test_region_prefix_variants_pair_both_ways() -> None:
    pool = [rep("洪泽区人民政府", 2022), rep("淮安市清江浦区教育局", 2022)]
    found = pair_previous([rep("淮安市洪泽区人民政府", 2023), rep("清江浦区教育局", 2023)], pool)
    assert [(p.status, p.source) for p in found] == [
        ("paired", "/洪泽区人民政府/2022"),
        ("paired", "/淮安市清江浦区教育局/2022"),
    ]


def test_only_the_year_before_counts() -> None:
    pool = [rep("洪泽区人民政府", 2021), rep("洪泽区人民政府", 2023)]
    assert pair_previous([rep("洪泽区人民政府", 2023)], pool)[0].status == "missing"


def test_exact_names_win_over_prefix_variants() -> None:
    pool = [rep("洪泽区政府", 2022), rep("淮安市洪泽区人民政府", 2022)]
    (found,) = pair_previous([rep("洪泽区人民政府", 2023)], pool)
    assert (found.status, found.source) == ("paired", "/洪泽区政府/2022")


def test_two_different_candidates_are_ambiguous_identical_copies_are_not() -> None:
    pool = [rep("洪泽区人民政府", 2022, "/a.docx"), rep("洪泽区政府", 2022, "/b.pdf")]
    (found,) = pair_previous([rep("洪泽区人民政府", 2023)], pool)
    assert (found.status, found.candidates) == ("ambiguous", ("/a.docx", "/b.pdf"))
    copies = [
        rep("洪泽区人民政府", 2022, "/a.docx", "same"),
        rep("洪泽区人民政府", 2022, "/copy/a.docx", "same"),
    ]
    assert pair_previous([rep("洪泽区人民政府", 2023)], copies)[0].status == "paired"


def test_a_bare_department_name_does_not_match_any_countys() -> None:
    pool = [rep("东安县教育局", 2022), rep("西平县教育局", 2022)]
    assert pair_previous([rep("教育局", 2023)], pool)[0].status == "missing"
    assert pair_previous([rep("南川县教育局", 2023)], pool)[0].status == "missing"


def test_a_renamed_township_is_recognised_by_its_place() -> None:
    pool = [rep("嘉洲镇人民政府", 2021), rep("东安乡人民政府", 2021)]
    found = pair_previous(
        [rep("嘉洲街道办事处", 2022), rep("东安镇人民政府", 2022), rep("西安镇人民政府", 2022)], pool
    )
    assert [p.source for p in found] == ["/嘉洲镇人民政府/2021", "/东安乡人民政府/2021", None]
    assert township_stem(name_key("嘉洲街道办事处")) == township_stem(name_key("嘉洲镇人民政府")) == "嘉洲"
    assert township_stem(name_key("嘉洲县教育局")) is None


def test_unknown_agency_or_year() -> None:
    assert [p.status for p in pair_previous([rep(None, 2023), rep("x县政府", None)], [])] == [
        "unknown",
        "unknown",
    ]


def test_a_report_never_pairs_with_itself() -> None:
    r = rep("洪泽区人民政府", 2023)
    assert pair_previous([r], [r])[0].status == "missing"


def test_index_agrees_with_matching_names() -> None:
    """The indexed lookup finds what form.agency_names.matching_names finds, on a mixed pool."""
    rng = random.Random(4)
    places = [
        "淮安市",
        "洪泽区",
        "淮安市洪泽区",
        "江苏省淮安市",
        "清江浦区",
        "淮安市清江浦区",
        "东安县",
        "西平县",
    ]
    kinds = ["人民政府", "政府", "教育局", "人民政府办公室", "财政局"]
    names = sorted({rng.choice(places) + rng.choice(kinds) for _ in range(60)})
    pool = [rep(n, 2022) for n in names]
    for name in names:
        (found,) = pair_previous([rep(name, 2023)], pool)
        expected = matching_names(name, names)
        if len(expected) == 1:
            assert (found.status, found.source) == ("paired", f"/{expected[0]}/2022"), name
        else:
            assert found.status == ("ambiguous" if expected else "missing"), name


def test_the_pool_pairs_as_the_registry_matcher_places() -> None:
    """The same names decide the same way whether they come from reports or from a registry."""
    previous = [prev for prev, _, _ in CARRYOVER_CASES] + list(AMBIGUOUS_CASE[0])
    current = [cur for _, cur, _ in CARRYOVER_CASES] + [AMBIGUOUS_CASE[1]]
    expected = [status for _, _, status in CARRYOVER_CASES] + ["ambiguous"]
    by_pool = pair_previous([rep(c, 2023) for c in current], [rep(p, 2022) for p in previous])
    registry = AgencyMatcher(NameEntry(f"A{i}", p) for i, p in enumerate(previous))
    placed = [registry.match(c, 2023) for c in current]
    by_registry = [
        "paired" if m.agency_id else "ambiguous" if m.method == "ambiguous" else "missing" for m in placed
    ]
    assert [p.status for p in by_pool] == by_registry == expected
    paired_names = [p.report.agency for p in by_pool if p.report is not None]
    assert paired_names == [previous[int(m.agency_id[1:])] for m in placed if m.agency_id]
