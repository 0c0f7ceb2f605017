"""Which submission is current and whose facts count: ordered by receipt, facts from the latest loaded."""

from __future__ import annotations

from datetime import datetime

from warehouse.supersession import Held, decide, settle

T = [datetime(2022, 1, d) for d in range(1, 6)]


def test_each_is_superseded_by_the_next_received() -> None:
    verdict = settle([Held(2, T[1], "loaded", None, False), Held(1, T[0], "loaded", None, True)])
    assert verdict.links == {1: 2}
    assert verdict.fact_source == 2 and verdict.facts_change


def test_a_rejected_latest_supersedes_but_the_loaded_facts_stay() -> None:
    verdict = settle([Held(1, T[0], "loaded", None, True), Held(2, T[1], "rejected", None, False)])
    assert verdict.links == {1: 2}
    assert verdict.fact_source == 1 and not verdict.facts_change


def test_a_late_old_file_slots_in_between() -> None:
    held = [
        Held(1, T[0], "loaded", 3, False),
        Held(3, T[2], "loaded", None, True),
        Held(2, T[1], "loaded", None, False),
    ]
    verdict = settle(held)
    assert verdict.links == {1: 2, 2: 3}
    assert verdict.fact_source == 3 and not verdict.facts_change


def test_ties_in_receipt_follow_the_key_and_nothing_loaded_means_no_facts() -> None:
    verdict = settle([Held(5, T[0], "rejected", None, False), Held(4, T[0], "quarantined", None, False)])
    assert verdict.links == {4: 5}
    assert verdict.fact_source is None and not verdict.facts_change


# ---- what a chunk does to a pair's facts (loads, reloads and dry runs share it) ----------------


def test_decide_keeps_facts_the_source_already_holds() -> None:
    act = decide([Held(1, T[0], "loaded", None, True)], available={1})
    assert (act.holding, act.write, act.clear, act.reread, act.facts_change) == (
        True,
        False,
        False,
        False,
        False,
    )


def test_decide_writes_a_new_source_over_the_old_holder() -> None:
    act = decide([Held(1, T[0], "loaded", None, True), Held(2, T[1], "loaded", None, False)], available={2})
    assert (act.source, act.write, act.clear, act.off, act.links) == (2, True, True, frozenset({1}), {1: 2})


def test_decide_asks_to_reread_a_source_whose_facts_are_gone() -> None:
    # 2 was the source; a reload rejected it (and took its facts): 1 is the source again
    act = decide([Held(1, T[0], "loaded", 2, False), Held(2, T[1], "rejected", None, False)], available=set())
    assert (act.source, act.write, act.reread, act.clear, act.facts_change) == (1, False, True, False, False)


def test_decide_clears_when_nothing_loaded_remains() -> None:
    act = decide([Held(1, T[0], "rejected", None, True)], available=set())
    assert (act.source, act.clear, act.off, act.write, act.reread) == (
        None,
        True,
        frozenset({1}),
        False,
        False,
    )


def test_decide_drops_a_second_holder() -> None:
    act = decide([Held(1, T[0], "loaded", 2, True), Held(2, T[1], "loaded", None, True)], available=set())
    assert (act.source, act.drop_others, act.clear, act.off) == (2, True, False, frozenset({1}))
