"""The real published reports and the seed read exactly as their truth files say (issue 2)."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from flows.cli import main
from tests.conftest import load_truth, real_reports

REPORTS = real_reports()


def parse_json(paths: list[Path], capsys) -> tuple[int, list[dict], str]:
    code = main(["parse", "--json", *map(str, paths)])
    out = capsys.readouterr()
    return code, [json.loads(line) for line in out.out.splitlines() if line.strip()], out.err


@pytest.mark.parametrize("report,truth", REPORTS, ids=[p.name for p, _ in REPORTS])
def test_every_cell_is_read_as_printed(report: Path, truth: Path, capsys) -> None:
    code, records, err = parse_json([report], capsys)
    assert code == 0, err
    (record,) = records
    expected = load_truth(truth)
    assert record["cells"] == expected["cells"]
    assert (record["agency"], record["year"], record["version"]) == (
        expected["agency"],
        expected["year"],
        expected["version"],
    )
    assert record["problems"] == []


@pytest.mark.parametrize("report,truth", REPORTS, ids=[p.name for p, _ in REPORTS])
def test_all_six_sections_are_found(report: Path, truth: Path, capsys) -> None:
    _, (record,), _ = parse_json([report], capsys)
    assert list(record["narrative"]) == ["一", "二", "三", "四", "五", "六"]
    assert record["narrative"]["一"].strip()
    assert record["narrative"]["六"].strip()


def test_json_line_has_the_documented_shape(capsys) -> None:
    report, _ = REPORTS[0]
    _, (record,), _ = parse_json([report], capsys)
    assert set(record) == {
        "source", "agency", "year", "year_source", "version", "published", "cells", "problems", "narrative", "ocr"
    }
    assert record["ocr"] == []  # only a scan has OCR notes
    assert set(record["source"]) == {"path", "sha256", "media_type"}
    assert len(record["source"]["sha256"]) == 64


def test_signature_date_is_the_publication_date(capsys) -> None:
    seed = next(p for p, _ in REPORTS if p.parent.name == "seeds")
    _, (record,), _ = parse_json([seed], capsys)
    assert record["published"] == "2022-01-24"


def test_installed_command_reads_every_real_report() -> None:
    exe = shutil.which("xxgk", path=str(Path(sys.executable).parent))
    assert exe, "the xxgk console script is not installed in this environment"
    done = subprocess.run(
        [exe, "parse", "--json", *(str(p) for p, _ in REPORTS)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    lines = [json.loads(line) for line in done.stdout.splitlines()]
    for (_, truth), record in zip(REPORTS, lines, strict=True):
        assert record["cells"] == load_truth(truth)["cells"]
