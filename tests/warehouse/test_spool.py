"""A run's spool: objects in and out by key, on a folder or any fsspec URL, removed with the run."""

from __future__ import annotations

from pathlib import Path

import pytest

from form.record import Report, Source
from warehouse.spool import Spool, SpoolError


def _report(name: str) -> Report:
    return Report(source=Source(path=name, sha256="0" * 64, media_type="text/plain"), year=2021,
                  cells={"t3.new.natural": 3})


@pytest.mark.parametrize("root", ["folder", "memory://spool-test"])
def test_objects_come_back_by_key_and_the_run_is_cleared(root: str, tmp_path: Path) -> None:
    spool = Spool.for_run(tmp_path if root == "folder" else root, "run1")
    assert spool.put("read/0-1", [_report("a")]) == "read/0-1"
    spool.put("checked/2021-0", {"n": 1})
    assert spool.get("read/0-1") == [_report("a")]
    assert spool.get_many(["checked/2021-0", "read/0-1"]) == [{"n": 1}, [_report("a")]]
    spool.clear()
    with pytest.raises(SpoolError, match="read/0-1 is not in the spool"):
        spool.get("read/0-1")
    spool.clear()  # nothing left: still fine


def test_a_list_is_one_file_whose_items_have_keys(tmp_path: Path) -> None:
    spool = Spool.for_run(tmp_path, "run1")
    keys = spool.put_each("read/0/2021", [_report("a"), _report("b"), _report("c")])
    assert keys == ["read/0/2021#0", "read/0/2021#1", "read/0/2021#2"]
    other = spool.put_each("read/1/2021", [_report("d")])
    assert [r.source.path for r in spool.get_many([keys[2], other[0], keys[0]])] == ["c", "d", "a"]
    assert spool.get(keys[1]) == _report("b")
    assert len(list((tmp_path / "run1").rglob("*.pkl"))) == 2
    with pytest.raises(SpoolError, match="read/0/2021#3 is not in the spool"):
        spool.get("read/0/2021#3")


def test_runs_do_not_share_keys(tmp_path: Path) -> None:
    first, second = Spool.for_run(tmp_path, "a"), Spool.for_run(tmp_path, "b")
    first.put("k", 1)
    second.put("k", 2)
    first.clear()
    assert second.get("k") == 2


@pytest.mark.parametrize("key", ["", "/etc/passwd", "../up", "a/../../b", "a#", "a#-1", "a#x"])
def test_a_key_stays_inside_the_run(key: str, tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="not a spool key"):
        Spool.for_run(tmp_path, "r").put(key, 1)
