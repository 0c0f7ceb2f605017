"""Placing reports in the registry, without a database: agency, year, facts and the findings it adds."""

from __future__ import annotations

import re
from datetime import datetime

from form.agency_matching import AgencyMatcher, NameEntry
from warehouse.placing import VALUE_FIELDS, Placed, place
from warehouse.registry_file import parse_registry
from warehouse.registry_matcher import provisional_id

from .builders import REGISTRY_CSV, checked, make_report, soft

HAN = re.compile(r"[\u4e00-\u9fff]")
JAN = datetime(2022, 1, 10)


def _matcher() -> AgencyMatcher:
    rows, _ = parse_registry(REGISTRY_CSV)
    return AgencyMatcher(NameEntry(r.agency_id, r.name, r.valid_from or 1900, r.valid_to) for r in rows)


def _place(*reports, findings=None) -> tuple[list[Placed], dict[str, str]]:
    placed = [Placed(i, checked(r, findings), JAN) for i, r in enumerate(reports)]
    return placed, place(placed, _matcher())


def _english_words(message: str, *inputs: str) -> list[str]:
    """Latin words of a message, less those of the values it quotes (ids, rule ids)."""
    for text in inputs:
        message = message.replace(text, "")
    return re.findall(r"[A-Za-z]{2,}", message)


def test_a_registered_agency_is_placed_with_its_facts_and_no_finding() -> None:
    report = make_report("洪泽区教育局", 2021)
    (p,), provisional = _place(report)
    assert (p.agency_id, p.pair, p.method, p.state) == ("320813-D02", ("320813-D02", 2021), "exact", "loaded")
    assert provisional == {} and p.findings == []
    assert p.facts is not None and sum(len(rows) for rows in p.facts) == len(report.cells)
    assert set(p.values()) == set(VALUE_FIELDS)


def test_an_unregistered_name_loads_provisionally_with_a_chinese_finding() -> None:
    (p,), provisional = _place(make_report("宿城区卫生健康局", 2021))
    assert p.agency_id == provisional_id("宿城区卫生健康局") and provisional == {p.agency_id: "宿城区卫生健康局"}
    (finding,) = p.findings
    assert (finding.rule, finding.severity, finding.printed) == ("registry.unregistered", "soft", "宿城区卫生健康局")
    assert "「宿城区卫生健康局」" in finding.message and "2021" in finding.message
    assert HAN.search(finding.message) and _english_words(finding.message) == []
    assert p.state == "loaded" and p.facts is not None


def test_an_ambiguous_name_names_its_candidates_in_chinese() -> None:
    (p,), _ = _place(make_report("亭湖区人民政府", 2021))
    (finding,) = p.findings
    assert (finding.rule, finding.expected) == ("registry.agency_ambiguous", "320902,321102")
    assert "320902、321102" in finding.message
    assert _english_words(finding.message) == []


def test_a_name_of_another_year_is_placed_with_a_chinese_note() -> None:
    (p,), _ = _place(make_report("洪泽区文化广电新闻出版局", 2021))
    assert (p.agency_id, p.method) == ("320813-D16", "other_year")
    (finding,) = p.findings
    assert finding.rule == "registry.name_other_year" and "320813-D16" in finding.message
    assert _english_words(finding.message, "320813-D16") == []


def test_a_township_found_only_by_its_place_is_placed_with_a_note_to_confirm() -> None:
    """撤镇设街道: 岔河街道 is the registry's 岔河镇 until the registry learns the new name; never silently."""
    rows, _ = parse_registry(REGISTRY_CSV + "320813-T01,洪泽区岔河镇人民政府,township,320813,320813,,,,\n")
    matcher = AgencyMatcher(NameEntry(r.agency_id, r.name, r.valid_from or 1900, r.valid_to) for r in rows)
    placed = [Placed(0, checked(make_report("洪泽区岔河街道办事处", 2021)), JAN)]
    place(placed, matcher)
    (p,) = placed
    assert (p.agency_id, p.method, p.state) == ("320813-T01", "township", "loaded")
    (finding,) = p.findings
    assert (finding.rule, finding.severity, finding.expected) == ("registry.township_by_place", "soft", "320813-T01")
    assert "「洪泽区岔河街道办事处」" in finding.message and "320813-T01" in finding.message
    assert _english_words(finding.message, "320813-T01") == []


def test_a_report_without_agency_or_year_is_rejected_in_chinese() -> None:
    nameless = make_report("宿城区教育局", 2021)
    nameless.agency = None
    yearless = make_report("宿城区教育局", 2021, salt="x")
    yearless.year = None
    placed, provisional = _place(nameless, yearless)
    assert provisional == {}
    for p in placed:
        assert (p.state, p.agency_id, p.year, p.facts, p.pair) == ("rejected", None, None, None, None)
        (finding,) = p.findings
        assert (finding.rule, finding.severity) == ("warehouse.unplaceable", "hard")
        assert _english_words(finding.message) == [] and HAN.search(finding.message)
        assert p.reason is not None and "warehouse.unplaceable" in p.reason
    assert placed[0].findings[0].message != placed[1].findings[0].message  # says which is missing


def test_a_value_outside_its_domain_rejects_the_report_and_keeps_earlier_findings() -> None:
    report = make_report("宿城区教育局", 2021)
    report.cells["t3.new.natural"] = 2.5
    (p,), _ = _place(report, findings=[soft()])
    assert p.state == "rejected" and p.facts is None and p.agency_id == "321302-D02"
    assert [f.rule for f in p.findings] == ["timeliness.published", "values.domain"]
    assert p.reason is not None and p.reason.endswith("values.domain")
