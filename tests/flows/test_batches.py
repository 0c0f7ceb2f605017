"""Chunking by year and telling load results back per file (plain functions, no Prefect)."""

from __future__ import annotations

from datetime import UTC, datetime

from flows.batches import by_year, chunked, targets_by_year, unchecked_rechecks, years_in_chunks
from flows.records import Spooled
from warehouse.backfill import BackfillTarget


def _item(name: str, year: int | None, minute: int) -> Spooled:
    return Spooled(f"read/{name}", name, name, "text/plain", "a" if year else None, year,
                   datetime(2024, 1, 1, 0, minute, tzinfo=UTC))


def test_chunked_sizes() -> None:
    assert [len(c) for c in chunked(list(range(7)), 3)] == [3, 3, 1]


def test_by_year_orders_years_and_never_mixes_them() -> None:
    items = [_item("c", 2022, 1), _item("a", 2021, 5), _item("b", 2021, 2), _item("bad", None, 0)]
    chunks = list(by_year(items, 10))
    assert [[i.path for i in c] for c in chunks] == [["bad"], ["b", "a"], ["c"]]


def test_years_in_chunks_groups_one_year_per_entry() -> None:
    items = [_item(n, 2021, m) for m, n in enumerate("abc")] + [_item("d", 2022, 0)]
    assert [[[i.path for i in c] for c in y] for y in years_in_chunks(items, 2)] == [[["a", "b"], ["c"]], [["d"]]]


def test_a_spooled_file_fails_with_what_the_flow_knows_of_it() -> None:
    outcome = _item("x", 2021, 0).failed("could not be loaded: boom")
    assert (outcome.state, outcome.agency, outcome.year, outcome.source.sha256) == ("failed", "a", 2021, "x")


def _target(key: int, path: str, agency: str, year: int) -> BackfillTarget:
    return BackfillTarget(key, path, path, "text/plain", None, agency, year, "loaded", "latest")


def test_targets_by_year_oldest_first_never_splitting_a_pair() -> None:
    targets = [_target(1, "x", "a", 2023), _target(2, "y1", "b", 2021), _target(3, "y2", "b", 2021),
               _target(4, "z", "c", 2021)]
    chunks = list(targets_by_year(targets, 1))
    assert [[t.path for t in c] for c in chunks] == [["y1", "y2"], ["z"], ["x"]]


def test_rechecks_skip_pairs_this_run_already_checked() -> None:
    assert unchecked_rechecks([("a", 2022), ("b", 2022), ("a", 2022)], [("a", 2022)]) == [("b", 2022)]


def test_the_same_bytes_twice_have_an_outcome_each_in_order() -> None:
    """Identical files in one run were all reported `unchanged`, though the first was loaded."""
    from types import SimpleNamespace

    from flows.batches import file_outcomes
    from form.record import Source

    source = Source(path="a/r.docx", sha256="ab" * 32, media_type="docx")
    copy = Source(path="b/r.docx", sha256="ab" * 32, media_type="docx")
    checked = [SimpleNamespace(source=s, findings=[], report=None, reason=None) for s in (source, copy)]
    subs = [SimpleNamespace(sha256="ab" * 32, reported=state, submission_key=7) for state in ("loaded", "unchanged")]
    outcomes = file_outcomes(checked, SimpleNamespace(submissions=subs))
    assert [(o.source.path, o.state) for o in outcomes] == [("a/r.docx", "loaded"), ("b/r.docx", "unchanged")]
