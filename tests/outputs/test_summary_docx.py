"""The 汇总 report: the template's tables holding the sums of the truth files, read back by `xxgk parse`."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from flows import cli
from form.catalogue import version_for_year
from outputs.summary_docx import publishable_cells, summary_docx
from warehouse.aggregation import Aggregation

from ..warehouse.synthetic import Province
from .conftest import YEARS, truth_sums


def _parse(path: Path, capsys: pytest.CaptureFixture[str]) -> dict:
    assert cli.main(["parse", str(path), "--json"]) == 0
    return json.loads(capsys.readouterr().out)


@pytest.mark.slow  # loads a generated province
@pytest.mark.parametrize("year", list(YEARS))
def test_the_province_report_parses_back_to_the_truth_sums(
    corpus: Province, aggregations: dict[int, Aggregation], year: int, tmp_path: Path, capsys
) -> None:
    agg = aggregations[year]
    path = tmp_path / "summary.docx"
    path.write_bytes(summary_docx(agg, ("province", agg.province_code)))
    parsed = _parse(path, capsys)
    version = version_for_year(year)
    assert version is not None
    expected = {c: float(v) for c, v in publishable_cells(truth_sums(corpus, year), version).items()}
    assert parsed["problems"] == []
    assert (parsed["year"], parsed["version"]) == (year, version)
    assert {c: float(v) for c, v in parsed["cells"].items()} == expected
    assert set(parsed["narrative"]) >= {"一", "五", "六"}


@pytest.mark.slow
def test_a_city_report_parses_back_to_its_sums(
    corpus: Province, aggregations: dict[int, Aggregation], tmp_path: Path, capsys
) -> None:
    year = YEARS[-1]
    agg = aggregations[year]
    city = agg.scopes("city")[0].scope_code
    path = tmp_path / "city.docx"
    path.write_bytes(summary_docx(agg, ("city", city)))
    parsed = _parse(path, capsys)
    expected = publishable_cells(truth_sums(corpus, year, city[:4]), "2021")
    assert parsed["problems"] == [] and parsed["agency"] == agg.status[("city", city)].scope_name
    assert {c: float(v) for c, v in parsed["cells"].items()} == {c: float(v) for c, v in expected.items()}


def test_other_processing_printed_as_one_row_folds_the_items() -> None:
    cells = {"t3.other_all.natural": 2, "t3.other_no_fee.natural": 3, "t3.other_other.total": 1}
    printed = publishable_cells(cells, "2021")
    assert printed["t3.other_all.natural"] == 5 and printed["t3.other_all.total"] == 1
    assert "t3.other_no_fee.natural" not in printed
    plain = publishable_cells({"t3.other_no_fee.natural": 3}, "2021")
    assert plain["t3.other_no_fee.natural"] == 3 and "t3.other_all.natural" not in plain


def test_a_folded_other_row_parses_back_without_problems(tmp_path: Path, capsys) -> None:
    """（六） printed as one row on 2021 tables (some report printed it so) still reads back whole."""
    from datetime import datetime

    from form import catalogue as cat
    from warehouse.aggregation import ScopeStatus

    cells = {c: 1 for c in cat.expected_cells("2021")}
    cells.update({f"t3.other_all.{c.id}": 2 for c in cat.T3_COLUMNS})
    cells["t2.fees.amount"] = 12.3456
    status = ScopeStatus("province", "320000", "江苏省", 10, 9, 9, 8, 1, 1, 0, 1, 8, 0, 0, 0.9, 8 / 9)
    agg = Aggregation(2022, None, datetime(2023, 4, 1), "320000", 8, {("province", "320000"): cells})
    agg.status[("province", "320000")] = status
    path = tmp_path / "folded.docx"
    path.write_bytes(summary_docx(agg, ("province", "320000")))
    parsed = _parse(path, capsys)
    printed = publishable_cells(cells, "2021")
    assert parsed["problems"] == [] and parsed["version"] == "2021"
    assert parsed["cells"]["t3.other_all.natural"] == 1 + 1 + 1 + 2
    assert {c: float(v) for c, v in parsed["cells"].items()} == {c: float(v) for c, v in printed.items()}
