"""Which submission is current and whose facts count: ordered by receipt, facts from the latest loaded."""

from __future__ import annotations

from datetime import datetime

from warehouse.supersession import Held, settle

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
