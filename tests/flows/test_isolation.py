"""Halving a failing chunk down to the report at fault (plain functions, no Prefect).

The store used here is a real SQLite table with a trigger refusing one report: the failure comes
from the database, as the NUMERIC overflow of issue 14 did, not from a stand-in raising on cue.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from types import SimpleNamespace

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.exc import IntegrityError, OperationalError

from flows.batches import pair_groups
from flows.isolation import (
    StageFailed,
    attempt_budget,
    blames_the_data,
    checked_then,
    chunk_attempts,
    is_transient,
    isolate,
    loading_halves,
    retry_if_transient,
)
from warehouse.spool import SpoolError


@pytest.fixture
def store(tmp_path) -> Iterator:
    """A chunk store: one transaction per chunk into a table whose trigger refuses 'poison'."""
    engine = create_engine(f"sqlite:///{tmp_path / 'store.sqlite'}")
    with engine.begin() as conn:
        conn.execute(text("CREATE TABLE stored (name TEXT, part TEXT)"))
        conn.execute(text(
            "CREATE TRIGGER refuse BEFORE INSERT ON stored WHEN NEW.name LIKE 'poison%' "
            "BEGIN SELECT RAISE(ABORT, 'value out of range'); END"
        ))
    calls: list[str] = []

    def attempt(items: list[str], key: str) -> int:
        calls.append(key)
        try:
            with engine.begin() as conn:
                conn.execute(text("INSERT INTO stored VALUES (:n, :k)"), [{"n": i, "k": key} for i in items])
        except Exception as exc:
            raise StageFailed("loaded", exc) from exc
        return len(items)

    def stored() -> list[str]:
        with engine.connect() as conn:
            return list(conn.execute(text("SELECT name FROM stored ORDER BY rowid")).scalars())

    yield SimpleNamespace(attempt=attempt, calls=calls, stored=stored)
    engine.dispose()


def test_only_the_poisoned_report_fails_and_the_rest_load_in_order(store) -> None:
    names = [f"r{i}" for i in range(10)]
    names[6] = "poison-6"
    parts = list(isolate([[n] for n in names], "checked/2021-0", store.attempt))
    failed = [p for p in parts if p.error is not None]
    assert [p.items for p in failed] == [["poison-6"]]
    assert str(failed[0].error).startswith("could not be loaded: ") and "value out of range" in str(failed[0].error)
    assert store.stored() == [n for n in names if n != "poison-6"]  # every other report, in order
    assert sum(len(p.items) for p in parts) == len(names)  # each report in exactly one part
    # halving: the whole, then each half of the failing part; a log2 number of attempts
    assert store.calls[0] == "checked/2021-0" and len(store.calls) <= 1 + 2 * 4
    assert len(set(store.calls)) == len(store.calls)  # every part under a key of its own


def test_two_poisoned_reports_in_one_chunk_fail_alone(store) -> None:
    names = ["poison-0", "a", "b", "c", "d", "poison-5", "e"]
    parts = list(isolate([[n] for n in names], "k", store.attempt))
    assert sorted(i for p in parts if p.error for i in p.items) == ["poison-0", "poison-5"]
    assert store.stored() == ["a", "b", "c", "d", "e"]


def test_a_chunk_that_loads_is_tried_once(store) -> None:
    parts = list(isolate([["a"], ["b"]], "k", store.attempt))
    assert [(p.items, p.result, p.error) for p in parts] == [(["a", "b"], 2, None)]
    assert store.calls == ["k"]


def test_units_are_never_divided(store) -> None:
    """A reload's (agency, year) files are one unit: they fail or load together."""
    parts = list(isolate([["a1", "a2"], ["poison-b1", "b2"], ["c1"]], "k", store.attempt))
    assert [p.items for p in parts if p.error] == [["poison-b1", "b2"]]
    assert store.stored() == ["a1", "a2", "c1"]


def test_a_transient_failure_is_not_halved() -> None:
    """The warehouse gone: every half would fail the same way, so the chunk fails once, whole."""
    calls: list[str] = []

    def down(items: list[str], key: str) -> int:
        calls.append(key)
        try:
            sqlite3.connect("file:/nonexistent/dir/x.sqlite?mode=ro", uri=True).execute("select 1")
        except sqlite3.OperationalError as exc:
            raise StageFailed("loaded", OperationalError("connect", {}, exc)) from exc
        return 0

    parts = list(isolate([["a"], ["b"], ["c"]], "k", down))
    assert [(p.items, type(p.error)) for p in parts] == [(["a", "b", "c"], StageFailed)]
    assert calls == ["k"]


def test_the_first_attempt_reports_a_failed_check_as_such(store) -> None:
    class Checking:
        def result(self) -> str:
            raise OverflowError("int too large to convert to float")

    calls: list[str] = []

    def retry(items: list[str], key: str) -> int:
        calls.append(key)
        return store.attempt(items, key)

    parts = list(isolate([["a"], ["b"]], "k", retry, checked_then(Checking(), lambda key: 0)))
    # the first attempt's check failed (a data error): each half is checked and loaded again
    assert calls == ["k.0", "k.1"] and store.stored() == ["a", "b"] and all(p.error is None for p in parts)
    failed = list(isolate([["a"]], "k", retry, checked_then(Checking(), lambda key: 0)))
    assert str(failed[0].error) == "could not be checked: int too large to convert to float"


def test_what_counts_as_transient() -> None:
    integrity = IntegrityError("INSERT", {}, sqlite3.IntegrityError("value out of range"))
    locked = OperationalError("INSERT", {}, sqlite3.OperationalError("database is locked"))
    assert not is_transient(StageFailed("loaded", integrity)) and blames_the_data(integrity)
    assert is_transient(StageFailed("loaded", locked))
    assert is_transient(OSError(28, "No space left on device"))
    assert is_transient(SpoolError("checked/1 is not in the spool"))
    assert not is_transient(OverflowError("too large")) and not is_transient(ValueError("x"))


def test_prefect_retries_only_transient_failures() -> None:
    locked = OperationalError("INSERT", {}, sqlite3.OperationalError("database is locked"))
    refused = IntegrityError("INSERT", {}, sqlite3.IntegrityError("value out of range"))
    assert retry_if_transient(None, None, SimpleNamespace(data=locked)) is True
    assert retry_if_transient(None, None, SimpleNamespace(data=refused)) is False


def test_pair_groups_keep_an_agency_years_files_together() -> None:
    def target(key: int, agency: str | None, year: int | None) -> SimpleNamespace:
        return SimpleNamespace(submission_key=key, agency_id=agency, year=year)

    targets = [target(1, "a", 2021), target(2, "b", 2021), target(3, "a", 2021), target(4, None, None),
               target(5, None, None)]
    groups = pair_groups(targets, lambda t: t)
    assert [[t.submission_key for t in g] for g in groups] == [[1, 3], [2], [4], [5]]


def test_halves_of_a_failed_load_are_loaded_without_checking_again(store) -> None:
    """The check cost a GX run per part: a part that was checked and failed only to load is cut
    from its checked chunk instead."""
    names = ["a", "b", "poison-c", "d", "e"]
    spooled: dict[str, list[str]] = {"k": list(names)}  # what the check wrote under its key
    checks: list[str] = []

    def check_and_store(items: list[str], key: str) -> int:
        checks.append(key)
        spooled[key] = list(items)
        return store.attempt(spooled[key], key)

    def divide(key: str, halves: list[tuple[str, int, int]]) -> None:
        for part_key, start, stop in halves:
            spooled[part_key] = spooled[key][start:stop]

    def load(key: str) -> int:
        return store.attempt(spooled[key], key)

    again = loading_halves(divide, load, check_and_store)
    parts = list(isolate([[n] for n in names], "k", check_and_store, lambda _items, key: load(key), again=again))
    assert [p.items for p in parts if p.error] == [["poison-c"]]
    assert store.stored() == ["a", "b", "d", "e"] and checks == []


def test_chunk_attempts_say_the_stage_and_load_halves_of_a_failed_load_only(tmp_path) -> None:
    """The attempts ingest and reload share: a failed check is said as "checked", a failed load
    with the flow's own word, and the halves of a failed load are cut, not checked again."""
    engine = create_engine(f"sqlite:///{tmp_path / 'store.sqlite'}")
    with engine.begin() as conn:
        conn.execute(text("CREATE TABLE stored (name TEXT CHECK (name NOT LIKE 'poison%'))"))
    spooled: dict[str, list[str]] = {}
    checks: list[str] = []

    def check(items: list[str], key: str) -> None:
        checks.append(key)
        if any(i.startswith("unreadable") for i in items):
            raise ValueError("a rule could not run")
        spooled[key] = list(items)

    def load(key: str) -> int:
        with engine.begin() as conn:
            conn.execute(text("INSERT INTO stored VALUES (:n)"), [{"n": i} for i in spooled[key]])
        return len(spooled[key])

    def divide(key: str, halves: list[tuple[str, int, int]]) -> None:
        for part_key, start, stop in halves:
            spooled[part_key] = spooled[key][start:stop]

    attempts = chunk_attempts(check, load, divide, loaded="reloaded")
    with pytest.raises(StageFailed, match="could not be checked: a rule could not run"):
        attempts.check_and_store(["unreadable-a"], "u")
    with pytest.raises(StageFailed, match=r"could not be reloaded: .*CHECK constraint failed"):
        attempts.check_and_store(["poison-a"], "p")

    checks.clear()
    names = ["a", "b", "poison-c", "d"]
    parts = list(isolate([[n] for n in names], "k", attempts.check_and_store, again=attempts.again))
    assert [(p.items, p.error.stage) for p in parts if p.error] == [(["poison-c"], "reloaded")]
    assert checks == ["k"]  # the halves were cut from the checked chunk, never checked again
    with engine.connect() as conn:
        assert list(conn.execute(text("SELECT name FROM stored ORDER BY rowid")).scalars()) == ["a", "b", "d"]
    engine.dispose()


def test_a_failure_every_report_shares_stops_at_the_budget(store) -> None:
    """A bug, not a report: every part fails. Halving down to each of 64 reports would take 127
    attempts; the budget stops it, and every report still ends failed, in order, once."""
    names = [f"poison-{i:02d}" for i in range(64)]
    budget = attempt_budget(len(names))
    parts = list(isolate([[n] for n in names], "k", store.attempt, budget=budget))
    assert budget == 1 + 2 * 6 * 3 and len(store.calls) == budget
    assert [i for p in parts for i in p.items] == names and all(p.error is not None for p in parts)
    assert store.stored() == []


def test_the_budget_leaves_room_for_three_culprits(store) -> None:
    names = [f"r{i:03d}" for i in range(100)]
    for i in (7, 50, 93):
        names[i] = f"poison-{i}"
    parts = list(isolate([[n] for n in names], "k", store.attempt, budget=attempt_budget(len(names))))
    assert sorted(i for p in parts if p.error for i in p.items) == ["poison-50", "poison-7", "poison-93"]
    assert len(store.stored()) == 97
