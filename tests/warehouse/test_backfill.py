"""Choosing the stored files a backfill re-reads, and chunking them by pair — on both databases,
with the pure planning steps tested on their own."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Engine, event

from warehouse.backfill import (
    BackfillTarget,
    agencies_by_year,
    backfill_targets,
    backfill_targets_by_key,
    backfill_targets_for_pairs,
    chunk_by_pair,
)
from warehouse.loader import Loader

from .builders import checked, hard, make_report, quarantined

JAN, FEB = datetime(2022, 1, 10), datetime(2022, 2, 10)


def _key(result: Any, i: int = 0) -> int:
    return result[0].submissions[i].submission_key


def _target(key: int, agency: str | None, year: int | None) -> BackfillTarget:
    return BackfillTarget(key, f"{key:064x}", f"f{key}", "text/plain", JAN, agency, year, "loaded", "latest")


# ---- pure steps --------------------------------------------------------------------------------


def test_agencies_by_year_groups_pairs_sorted_and_once() -> None:
    pairs = [("b", 2022), ("a", 2021), ("c", 2022), ("a", 2022), ("b", 2022)]
    assert agencies_by_year(pairs) == {2021: ["a"], 2022: ["a", "b", "c"]}
    assert list(agencies_by_year(pairs)) == [2021, 2022]  # oldest year first
    assert agencies_by_year([]) == {}


def test_agencies_by_year_takes_pairs_as_a_json_parameter_gives_them() -> None:
    assert agencies_by_year([["a", 2021], ["a", "2021"]]) == {2021: ["a"]}


def test_chunk_by_pair_never_splits_a_pair_and_fills_with_unplaced_files() -> None:
    targets = [_target(1, "a", 2021), _target(2, "a", 2021), _target(3, "a", 2021), _target(4, "b", 2021)]
    targets += [_target(5, None, None), _target(6, None, None)]
    chunks = [[t.submission_key for t in c] for c in chunk_by_pair(targets, 2)]
    assert chunks == [[1, 2, 3], [4, 5], [6]]  # a pair larger than the size is one chunk of its own
    assert list(chunk_by_pair([], 2)) == []


# ---- selecting targets -------------------------------------------------------------------------

def test_backfill_targets_by_year_agency_region_and_all(registered: Engine) -> None:
    loader = Loader(registered)
    k20 = _key(loader.load([checked(make_report("洪泽区人民政府", 2020))]))
    k21a = _key(loader.load([checked(make_report("洪泽区人民政府", 2021), received_at=JAN)]))
    k21b = _key(
        loader.load([checked(make_report("洪泽区人民政府", 2021, salt="v2"), [hard()], received_at=FEB)])
    )
    kd02 = _key(loader.load([checked(make_report("清江浦区教育局", 2021))]))
    old_sc = _key(loader.load([checked(make_report("宿城区教育局", 2021), received_at=JAN)]))
    new_sc = _key(loader.load([checked(make_report("宿城区教育局", 2021, salt="v2"), received_at=FEB)]))
    kprov = _key(loader.load([checked(make_report("宿城区卫生健康局", 2021))]))
    kq = _key(loader.load([quarantined("scan.pdf", "no text layer")]))

    with registered.connect() as conn:

        def keys(**kw: Any) -> list[int]:
            return [t.submission_key for t in backfill_targets(conn, **kw)]

        everything = backfill_targets(conn)
        assert [t.submission_key for t in everything] == [
            k20,
            kd02,
            k21a,
            k21b,
            new_sc,
            kprov,
            kq,
        ]  # year, agency
        assert {t.submission_key: t.why for t in everything} == {
            k20: "latest",
            k21a: "facts",  # older, but its facts are the pair's: a parser fix changes them too
            k21b: "latest",
            kd02: "latest",
            new_sc: "latest",
            kprov: "latest",
            kq: "unplaced",
        }
        assert old_sc not in keys()  # history only on request
        assert keys(agency_ids=["321302-D02"], history=True) == [old_sc, new_sc]
        assert keys(years=[2020]) == [k20, kq]  # an unread file has no year: a parser fix may read it
        assert keys(years=[2020], unplaced=False) == [k20]
        assert keys(agency_ids=["320812-D02"]) == [kd02]
        assert keys(region_codes=["320800"]) == [k20, kd02, k21a, k21b]  # 淮安市 and below
        assert keys(region_codes=["320813"]) == [k20, k21a, k21b]
        assert keys(region_codes=["320000"]) == [k20, kd02, k21a, k21b, new_sc]  # the province: placed only
        assert keys(region_codes=["000000"]) == [kprov]  # provisional agencies
        assert keys(years=[2021], region_codes=["321302"]) == [new_sc]
        assert keys(agency_ids=[]) == []
        by_key = [t.submission_key for t in backfill_targets_by_key(conn, [kq, old_sc, k20])]
        assert by_key == [k20, old_sc, kq]  # exactly these, any state
        assert [t.why for t in backfill_targets_by_key(conn, [kq, old_sc])] == [
            "history",
            "unplaced",
        ]
        target = next(t for t in everything if t.submission_key == kd02)
        assert (target.agency_id, target.year, target.state, target.media_type) == (
            "320812-D02",
            2021,
            "loaded",
            "text/html",
        )
    chunks = list(chunk_by_pair(everything, 2))
    assert [[t.submission_key for t in c] for c in chunks] == [
        [k20, kd02],
        [k21a, k21b],
        [new_sc, kprov],
        [kq],
    ]




def test_backfill_targets_for_pairs_take_exactly_those_pairs(registered: Engine) -> None:
    loader = Loader(registered)
    k20 = _key(loader.load([checked(make_report("洪泽区人民政府", 2020))]))
    k21a = _key(loader.load([checked(make_report("洪泽区人民政府", 2021), received_at=JAN)]))
    k21b = _key(
        loader.load([checked(make_report("洪泽区人民政府", 2021, salt="v2"), [hard()], received_at=FEB)])
    )
    kd02 = _key(loader.load([checked(make_report("清江浦区教育局", 2021))]))
    ksc = _key(loader.load([checked(make_report("宿城区教育局", 2020))]))
    loader.load([checked(make_report("宿城区教育局", 2021)), quarantined("scan.pdf", "no text layer")])
    wanted = [("320813", 2021), ("321302-D02", 2020), ("320812-D02", 2021), ("320813", 2020), ("320813", 2021)]
    with registered.connect() as conn:
        found = backfill_targets_for_pairs(conn, wanted)
        # the pairs asked for, as backfill_targets picks each pair's files: latest and fact source
        expected = [
            t
            for t in backfill_targets(conn, unplaced=False)
            if (t.agency_id, t.year) in set(wanted)
        ]
        assert backfill_targets_for_pairs(conn, []) == []
        assert backfill_targets_for_pairs(conn, [("320813", 2019)]) == []
    assert [t.submission_key for t in found] == [k20, ksc, kd02, k21a, k21b]  # by year, agency, received
    assert found == expected


def test_backfill_targets_for_pairs_query_once_per_year(registered: Engine) -> None:
    names = ["洪泽区人民政府", "清江浦区教育局", "宿城区教育局", "亭湖区教育局", "洪泽区教育局"]
    Loader(registered).load([checked(make_report(a, y)) for a in names for y in (2020, 2021)])
    ids = ["320813", "320812-D02", "321302-D02", "320902-D02", "320813-D02"]
    statements: list[str] = []

    def count(*args: Any) -> None:
        statements.append(args[2])

    with registered.connect() as conn:
        event.listen(conn, "before_cursor_execute", count)
        found = backfill_targets_for_pairs(conn, [(a, y) for a in ids for y in (2020, 2021)])
    assert len(found) == 10 and len(statements) == 2
