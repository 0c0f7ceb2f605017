"""The whole province: reproducibility, fault coverage, and the parser round trip."""

from __future__ import annotations

import csv
import json
from collections import Counter
from pathlib import Path

import pytest

from connectors.reading import read_report
from flows.cli import main
from synth import faults
from synth.province import Corpus, build, generate
from tests.synth.conftest import FORMATS, YEARS, finals, submission
from tests.synth.rules_reference import check


def _csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


# ---- output ------------------------------------------------------------------------------------


def _tree(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


@pytest.mark.slow  # generates and reads a province
def test_same_seed_same_bytes(tmp_path: Path) -> None:
    generate(tmp_path / "a", 25, YEARS, FORMATS, 0.2, 5)
    generate(tmp_path / "b", 25, YEARS, FORMATS, 0.2, 5)
    generate(tmp_path / "c", 25, YEARS, FORMATS, 0.2, 6)
    a, b, c = _tree(tmp_path / "a"), _tree(tmp_path / "b"), _tree(tmp_path / "c")
    assert a == b
    assert a != c


def test_output_files(small_province: Path) -> None:
    manifest = _csv(small_province / "manifest.csv")
    reports = sorted(p.name for p in (small_province / "reports").iterdir())
    assert sorted(r["file"] for r in manifest) == reports
    for name in reports:
        truth = json.loads((small_province / "truth" / f"{name}.json").read_text(encoding="utf-8"))
        assert set(truth) == {"agency", "year", "version", "published", "cells"}
    registry = _csv(small_province / "registry.csv")
    assert {r["agency_id"] for r in manifest} <= {r["agency_id"] for r in registry}
    with (small_province / "faults.csv").open(encoding="utf-8") as f:
        assert f.readline().strip() == "file,rule,cells,printed,expected"
    fault_rows = _csv(small_province / "faults.csv")
    assert {r["file"] for r in fault_rows} <= set(reports)
    assert {r["rule"] for r in fault_rows} <= set(faults.RULES)
    corrections = [r for r in manifest if r["supersedes"]]
    assert corrections and all(r["supersedes"] in reports for r in corrections)


def test_some_agencies_never_submit(province_2000: Corpus) -> None:
    assert province_2000.missing
    submitted = {(r.agency_id, r.year) for r in province_2000.reports}
    assert not submitted & set(province_2000.missing)


def test_chained_years_in_print(province_2000: Corpus) -> None:
    last = finals(province_2000)
    for r in province_2000.reports:
        prev = last.get((r.agency_id, r.year - 1))
        if prev is not None and not any(f.rule == "carryover.requests" for f in r.faults):
            assert (r.cells["t3.carried_in.total"] or 0) == (prev.cells["t3.carried_out.total"] or 0)


def test_late_dates_and_after_january(province_2000: Corpus) -> None:
    months = Counter(r.published.month for r in province_2000.reports if not r.faults)
    assert months[1] > months[2] + months[3] > 0, "most on time in January, some governments later"


# ---- faults and rules --------------------------------------------------------------------------


def test_every_fault_kind_appears_in_2000_reports(province_2000: Corpus) -> None:
    assert 1900 <= len(province_2000.reports) <= 2300
    seen = Counter(f.rule for r in province_2000.reports for f in r.faults)
    assert set(seen) == set(faults.RULES)
    faulty = sum(1 for r in province_2000.reports if r.faults and not r.supersedes)
    assert 0.07 < faulty / len(province_2000.reports) < 0.13


@pytest.mark.slow  # generates and reads a province
def test_reference_rules_find_exactly_the_listed_faults(province_2000: Corpus) -> None:
    last = finals(province_2000)
    for r in province_2000.reports:
        prev = last.get((r.agency_id, r.year - 1))
        failed = check(submission(r), submission(prev) if prev else None)
        assert failed == {f.rule for f in r.faults}, r.file


# ---- round trip --------------------------------------------------------------------------------


@pytest.mark.slow  # generates and reads a province
def test_parse_equals_truth_for_every_file(small_province: Path) -> None:
    """`xxgk parse --json` on each generated file gives its truth file (agency, year, version, date, cells)."""
    mismatches = []
    for path in sorted((small_province / "reports").iterdir()):
        truth = json.loads((small_province / "truth" / f"{path.name}.json").read_text(encoding="utf-8"))
        got = read_report(path).as_json_dict()
        diff = {k: (truth[k], got[k]) for k in ("agency", "year", "version", "published") if truth[k] != got[k]}
        diff |= {
            c: (truth["cells"].get(c, "absent"), got["cells"].get(c, "absent"))
            for c in set(truth["cells"]) | set(got["cells"])
            if truth["cells"].get(c, "absent") != got["cells"].get(c, "absent")
        }
        if diff:
            mismatches.append((path.name, dict(sorted(diff.items())[:4])))
    assert not mismatches, f"{len(mismatches)} files differ from their truth: {mismatches[:5]}"


def test_round_trip_corpus_spans_every_variant(small_province: Path) -> None:
    manifest = _csv(small_province / "manifest.csv")
    assert {r["file"].rsplit(".", 1)[1] for r in manifest} == set(FORMATS)
    assert {r["version"] for r in manifest} == {"2019", "2021"}
    flags = Counter(f for r in manifest for f in r["layout"].split(";"))
    for variant in (
        "t2=merged", "t2=plain", "t2=split", "t3=merged", "t3=unmerged", "t3=flat", "t4=row", "t4=rows",
        "zero=0", "zero=blank", "entities", "t3_split", "header_breaks", "fullwidth", "vertical_labels",
        "wrapped", "yuan", "other_single_row", "gb18030",
    ):
        assert flags[variant], variant
    assert any(f.startswith("zero=") and f not in ("zero=0", "zero=blank") for f in flags), "dashes"


# ---- command line ------------------------------------------------------------------------------


def test_cli_writes_a_province(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "p"
    argv = ["synth", "--agencies", "8", "--years", "2020-2022", "--formats", "html,txt"]
    assert main([*argv, "--fault-rate", "0.5", "--seed", "1", "--out", str(out), "--quiet"]) == 0
    assert "reports" in capsys.readouterr().out
    assert {p.suffix for p in (out / "reports").iterdir()} == {".html", ".txt"}
    assert main([*argv, "--seed", "1", "--out", str(out), "--quiet"]) == 0, "an earlier corpus is replaced"
    (tmp_path / "other").mkdir()
    (tmp_path / "other" / "keep.txt").write_text("x")
    assert main([*argv, "--out", str(tmp_path / "other"), "--quiet"]) == 2
    with pytest.raises(SystemExit):
        main([*argv, "--formats", "pdf", "--out", str(out)])


def test_build_rejects_bad_arguments() -> None:
    with pytest.raises(ValueError):
        build(10, YEARS, ("odt",), 0.1, 1)
    with pytest.raises(ValueError):
        build(10, YEARS, FORMATS, 1.5, 1)


def test_each_year_prints_the_template_of_its_year(province_2000: Corpus) -> None:
    clean = [r for r in province_2000.reports if not r.faults]
    assert {r.version for r in clean if r.year <= 2020} == {"2019"}
    assert {r.version for r in clean if r.year >= 2021} == {"2021"}


def test_years_before_the_first_template_are_refused_before_writing(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="no template for report year 2018"):
        generate(tmp_path / "p", 10, range(2018, 2021), FORMATS, 0.1, 1)
    assert not (tmp_path / "p").exists()
