"""Issue 14 §8, the smaller defects, through the path a user takes: one `xxgk ingest --json` (a
subprocess) over an inbox holding each of them. Each test names the defect it would catch; the
unit tests nearer the code are listed in each docstring."""

from __future__ import annotations

import json
import os
import re
import shutil
import sqlite3
from pathlib import Path

import pytest

from flows.errors import EXIT_UNREADABLE
from synth.province import generate
from tests.flows.clirun import fresh_env, run_xxgk, without_write_permission

pytestmark = pytest.mark.slow

#: a file name that is not UTF-8 (the bytes a Windows tool may leave)
BAD_NAME = b"\xff\xfe report.txt"


def _text(path: Path) -> tuple[str, str]:
    data = path.read_bytes()
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        return data.decode("gb18030"), "gb18030"


def _retitled(path: Path, year: str) -> bytes:
    """The report with its title's year replaced (by `year`, or removed when empty)."""
    text, encoding = _text(path)
    changed, n = re.subn(r"2021(?=年度?政府信息公开)", year, text, count=1)
    if not year:
        changed, n = re.subn(r"2021年度?(?=政府信息公开)", "", text, count=1)
    assert n == 1, path
    return changed.encode(encoding)


@pytest.fixture(scope="module")
def run(tmp_path_factory: pytest.TempPathFactory) -> dict:
    """The inbox, the run's JSON lines by file name, its exit code and its warehouse."""
    prefix = without_write_permission()
    tmp = tmp_path_factory.mktemp("small")
    province = tmp / "province"
    generate(province, 16, range(2021, 2023), ("txt",), 0.0, seed=8)
    reports = sorted((province / "reports").glob("*_2021.txt"))
    titled = [p for p in reports if re.search(r"2021年度?政府信息公开", _text(p)[0])]
    assert len(titled) >= 4
    inbox = tmp / "inbox"
    (inbox / "a").mkdir(parents=True)
    (inbox / "b").mkdir()
    shutil.copy(titled[0], inbox / "a" / "same.txt")  # identical bytes, two names
    shutil.copy(titled[0], inbox / "b" / "same.txt")
    (inbox / "year1900.txt").write_bytes(_retitled(titled[1], "1900"))
    (inbox / "year2099.txt").write_bytes(_retitled(titled[2], "2099"))
    (inbox / "undated.txt").write_bytes(_retitled(titled[3], ""))
    shutil.copy(reports[-1], inbox / ".hidden.txt")
    shutil.copy(reports[-1], inbox / os.fsdecode(BAD_NAME))
    if prefix is not None:
        (inbox / "locked").mkdir()
        shutil.copy(reports[-2], inbox / "locked" / "r.txt")
        (inbox / "locked").chmod(0o000)
    env = fresh_env(tmp, XXGK_WORKERS="1")
    done = run_xxgk(
        ["ingest", str(inbox), "--registry", str(province / "registry.csv"), "--json", "--chunk-size", "2"],
        env, tmp, prefix=prefix or [],
    )
    if prefix is not None:
        (inbox / "locked").chmod(0o755)
    lines = [json.loads(line) for line in done.stdout.splitlines()]
    return {
        "done": done,
        "raw": done.stdout,
        "lines": {os.fsencode(line["source"]["path"]).removeprefix(os.fsencode(inbox) + b"/"): line for line in lines},
        "warehouse": tmp / "xxgk-data" / "warehouse.sqlite",
        "locked": prefix is not None,
    }


def test_the_run_ends_with_every_file_recorded_and_no_traceback(run: dict) -> None:
    done = run["done"]
    assert "Traceback" not in done.stderr and done.stderr == "", done.stderr
    assert done.returncode == EXIT_UNREADABLE  # a hidden file and a locked folder are quarantined


def test_identical_files_one_loaded_the_other_unchanged(run: dict) -> None:
    """Identical files in one run were all `unchanged` (unit: tests/flows/test_batches.py::
    test_the_same_bytes_twice_have_an_outcome_each_in_order)."""
    states = [run["lines"][b"a/same.txt"]["state"], run["lines"][b"b/same.txt"]["state"]]
    assert states == ["loaded", "unchanged"]


def test_reports_for_1900_and_2099_are_rejected(run: dict) -> None:
    """Reports for 1900 and 2099 loaded (unit: tests/expectations/test_rules.py year.plausible)."""
    for name, year in ((b"year1900.txt", 1900), (b"year2099.txt", 2099)):
        line = run["lines"][name]
        assert (line["state"], line["year"]) == ("rejected", year)
    with sqlite3.connect(run["warehouse"]) as db:
        rules = db.execute(
            "select s.path, f.rule_id from fact_finding f join dim_submission s using (submission_key) "
            "where f.rule_id = 'year.plausible'"
        ).fetchall()
    assert sorted(Path(p).name for p, _ in rules) == ["year1900.txt", "year2099.txt"]


def test_a_title_without_a_year_is_loaded_under_its_year(run: dict) -> None:
    """It was loaded under the next year, the signature's (unit: tests/connectors/test_year_source.py)."""
    line = run["lines"][b"undated.txt"]
    assert (line["state"], line["year"]) == ("loaded", 2021)


def test_dot_files_and_unreadable_folders_are_recorded(run: dict) -> None:
    """They were skipped with no message (unit: tests/connectors/test_sources.py)."""
    hidden = run["lines"][b".hidden.txt"]
    assert hidden["state"] == "quarantined" and "hidden file" in hidden["reason"]
    if not run["locked"]:
        pytest.skip("running as root without setpriv: the folder cannot be made unreadable")
    locked = run["lines"][b"locked"]
    assert locked["state"] == "quarantined" and "cannot be listed" in locked["reason"]


def test_a_file_name_that_is_not_utf8_gives_a_valid_utf8_json_line(run: dict) -> None:
    """A \\xff\\xfe file name produced an invalid-UTF-8 JSON line (unit, parse: tests/flows/
    commands/test_parse.py)."""
    run["raw"].encode("utf-8")  # the whole output is valid UTF-8 (no lone surrogates)
    line = run["lines"][BAD_NAME]
    assert line["state"] == "loaded"


def test_load_audit_numbers_the_chunks(run: dict) -> None:
    """load_audit.chunk_no was always 0 (unit: tests/warehouse/test_loader.py)."""
    with sqlite3.connect(run["warehouse"]) as db:
        numbers = [n for (n,) in db.execute("select chunk_no from load_audit where mode = 'load' order by chunk_no")]
    assert len(numbers) > 1 and numbers == list(range(len(numbers)))
