"""Last year's report from the warehouse: the choice per report (pure), and the whole path on both databases."""

from __future__ import annotations

from sqlalchemy import Engine

from expectations.pairing import pair_previous
from form.agency_matching import Match
from form.record import NO_PREVIOUS, Previous
from form.registry_format import REGISTRY_COLUMNS
from tests.carryover_names import AMBIGUOUS_CASE, CARRYOVER_CASES
from warehouse.loader import Loader
from warehouse.previous_year import choose_previous, previous_pair, previous_year_pairings
from warehouse.registry import load_registry_rows
from warehouse.registry_file import parse_registry
from warehouse.registry_matcher import load_matcher

from .builders import checked, hard, make_report

# ---- the choice (pure) -------------------------------------------------------------------------


def test_the_pair_to_read_is_the_matched_agency_a_year_earlier() -> None:
    assert previous_pair(Match("A", "prefix"), 2023) == ("A", 2022)
    assert previous_pair(Match(None, "ambiguous", ("A", "B")), 2023) is None
    assert previous_pair(Match("A", "exact"), None) is None
    assert previous_pair(None, 2023) is None


def test_the_choice_says_why_there_is_no_previous_year() -> None:
    last_year = make_report("洪泽区人民政府", 2022)
    assert choose_previous(Match("A", "township"), last_year) == Previous("paired", last_year)
    assert choose_previous(Match("A", "exact"), None) is NO_PREVIOUS  # nothing loaded for it
    assert choose_previous(Match(None, "unregistered"), None) is NO_PREVIOUS
    assert choose_previous(None, None) == Previous("unknown")
    ambiguous = choose_previous(Match(None, "ambiguous", ("320902", "321102")), None)
    assert (ambiguous.status, ambiguous.candidates) == ("ambiguous", ("320902", "321102"))


# ---- from the warehouse ------------------------------------------------------------------------


def test_statuses_on_the_test_province(registered: Engine) -> None:
    Loader(registered).load(
        [
            checked(make_report("洪泽区人民政府", 2020)),
            checked(make_report("清江浦区教育局", 2020), [hard()]),  # rejected: nothing to pair with
        ]
    )
    items: list[tuple[str | None, int | None]] = [
        ("淮安市洪泽区人民政府", 2021),
        ("清江浦区教育局", 2021),
        ("亭湖区人民政府", 2021),
        ("教育局", 2021),
        (None, 2021),
        ("宿城区教育局", None),
    ]
    with registered.connect() as conn:
        found = previous_year_pairings(conn, items)
    assert [p.status for p in found] == ["paired", "missing", "ambiguous", "missing", "unknown", "unknown"]
    assert found[0].report is not None and found[0].report.year == 2020
    assert found[0].report.cells == make_report("洪泽区人民政府", 2020).cells
    assert found[2].candidates == ("320902", "321102")


def test_the_warehouse_pairs_as_check_previous_does(engine: Engine) -> None:
    """The same printed pair decides the same way through the registry and through a pool of reports."""
    previous = [prev for prev, _, _ in CARRYOVER_CASES] + list(AMBIGUOUS_CASE[0])
    current = [cur for _, cur, _ in CARRYOVER_CASES] + [AMBIGUOUS_CASE[1]]
    expected = [status for _, _, status in CARRYOVER_CASES] + ["ambiguous"]
    registry = ",".join(REGISTRY_COLUMNS) + "".join(
        f"\nA{i},{name},department,320813,,,,," for i, name in enumerate(previous)
    )
    rows, _ = parse_registry(registry)
    with engine.begin() as conn:
        load_registry_rows(conn, rows, as_of=2024)
    last_year = [make_report(name, 2022) for name in previous]
    Loader(engine).load([checked(r) for r in last_year])

    with engine.connect() as conn:
        assert {load_matcher(conn).match(r.agency or "", 2022).method for r in last_year} == {"exact"}
        by_warehouse = previous_year_pairings(conn, [(name, 2023) for name in current])
    by_pool = pair_previous([make_report(name, 2023) for name in current], last_year)

    assert [p.status for p in by_warehouse] == [p.status for p in by_pool] == expected
    for warehouse_pair, pool_pair in zip(by_warehouse, by_pool, strict=True):
        if pool_pair.report is not None:
            assert warehouse_pair.report is not None
            assert warehouse_pair.report.source.sha256 == pool_pair.report.source.sha256
            assert warehouse_pair.report.cells == pool_pair.report.cells
    assert by_warehouse[-1].candidates == tuple(sorted((f"A{len(previous) - 2}", f"A{len(previous) - 1}")))
