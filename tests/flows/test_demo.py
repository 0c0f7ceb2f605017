"""The demo's first stage reads the real reports shipped with the package, from anywhere."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from flows import demo
from tests.conftest import SAMPLES


def test_samples_ship_inside_the_package_and_the_tests_see_the_same_files() -> None:
    assert demo.SAMPLES.parent == Path(demo.__file__).resolve().parent
    assert SAMPLES.resolve() == demo.SAMPLES
    assert {p.suffix for p in demo.sample_reports()} == {".html", ".pdf", ".txt"}


def test_first_stage_reads_every_sample(capsys, monkeypatch, tmp_path) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("COLUMNS", "300")  # no name folded
    assert demo.main(["--stages", "1"]) == 0
    out = capsys.readouterr().out
    for report in demo.sample_reports():
        truth = json.loads(report.with_name(report.name + ".truth.json").read_text(encoding="utf-8"))
        assert report.name in out and truth["agency"] in out
    assert "where everything is" not in out  # nothing was written
    assert list(tmp_path.iterdir()) == []


def test_unknown_stages_are_refused(capsys) -> None:
    with pytest.raises(SystemExit) as done:
        demo.main(["--stages", "1,7"])
    assert done.value.code == 2
    assert "stages are some of 1,2,3,4" in capsys.readouterr().err
