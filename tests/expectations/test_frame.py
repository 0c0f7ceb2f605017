"""The validation frame: cells as printed (blank 0, absent NaN), the derived columns, last year."""

from __future__ import annotations

import math
from datetime import date

import numpy as np
import pandas as pd
import pytest

from expectations import columns as col
from expectations import frame as f
from form import catalogue as cat
from form.record import Previous, Problem
from tests.expectations.builders import report


def row(frame: pd.DataFrame, i: int = 0) -> dict:
    return frame.iloc[i].to_dict()


def test_one_row_per_report_one_column_per_cell_indexed_by_report_key() -> None:
    frame = f.build_frame([report(), report(year=2020)])
    assert len(frame) == 2
    assert list(frame[col.KEY]) == [0, 1] and frame.index.equals(pd.RangeIndex(2))
    assert set(cat.all_cells()) <= set(frame.columns)
    assert frame["t3.new.natural"].dtype == np.float64
    assert frame[col.SOURCE].dtype == "str"


def test_blank_is_zero_absent_and_unreadable_are_nan() -> None:
    r = report(t3__denied_secret__natural=None)
    del r.cells["t2.fees.amount"]
    r.cells["t2.penalty.decisions"] = None
    r.problems = [Problem(cell="t2.penalty.decisions", raw="不详", reason="not a number")]
    values = row(f.build_frame([r]))
    assert values["t3.denied_secret.natural"] == 0.0
    assert math.isnan(values["t2.fees.amount"])
    assert math.isnan(values["t2.penalty.decisions"])  # never silently 0
    assert math.isnan(values["t2.rules.made"])  # a 2019 cell on a 2021 report
    assert values[col.DOMAIN_UNREADABLE] == '[["t2.penalty.decisions", "不详"]]'


def test_derived_sums_of_rows_and_columns() -> None:
    values = row(f.build_frame([report(with_entities=True)]))
    assert values[col.applicants_sum("new")] == 13
    assert values[col.organisations_sum("new")] == 3
    assert values[col.outcomes_sum("natural")] == 9
    assert values[col.intake_sum("total")] == 14
    assert values[col.disposal_sum("total")] == 14
    assert values[col.results_sum("review")] == 2


def test_a_sum_over_an_absent_cell_is_not_judged() -> None:
    r = report()
    del r.cells["t3.new.legal"]
    values = row(f.build_frame([r]))
    assert math.isnan(values[col.applicants_sum("new")])
    assert math.isnan(values[col.intake_sum("legal")])
    assert math.isnan(values[col.organisations_sum("new")])
    assert not math.isnan(values[col.outcomes_sum("legal")])  # outcome rows: those printed


def test_other_single_row_is_summed_into_processed_total() -> None:
    r = report(other_single_row=True, t3={"other_all": {"natural": 2}, "granted": {"natural": 3}})
    values = row(f.build_frame([r]))
    assert values[col.outcomes_sum("natural")] == values["t3.processed_total.natural"] == 9
    assert values[col.OTHER_LAYOUT] == "single" and values[col.OTHER_LAYOUT_EXPECTED] == "items"
    assert math.isnan(values["t3.other_no_fee.natural"])


def test_previous_year_columns_and_who_supplied_them() -> None:
    last = report(agency="洪泽区人民政府", year=2022, t2__normative__in_force=7, path="/2022.docx")
    pairs = [
        Previous("paired", last),
        Previous("missing"),
        Previous("ambiguous", candidates=("/a.pdf", "/b.pdf")),
    ]
    frame = f.build_frame([report(year=2023), report(year=2023), report(year=2023)], pairs)
    first, second, third = row(frame, 0), row(frame, 1), row(frame, 2)
    assert first[col.last_year("t3.carried_out.natural")] == 2
    assert first[col.last_year("t3.carried_out.legal")] == 0
    assert math.isnan(first[col.last_year("t3.carried_out.entities")])  # not printed last year
    assert first[col.PREV_SOURCE] == "/2022.docx" and first[col.PREV_STATUS] == "paired"
    assert first[col.NORMATIVE_EXPECTED] == 7 + 3 - 1 and first[col.NORMATIVE_STATUS] == "paired"
    assert math.isnan(second[col.last_year("t3.carried_out.natural")]) and second[col.PREV_STATUS] == "missing"
    assert third[col.PREV_STATUS] == "ambiguous" and third[col.PREV_CANDIDATES] == "/a.pdf、/b.pdf"


def test_normative_status_says_why_it_cannot_be_checked() -> None:
    pairs = [Previous("paired", report(year=2020)), Previous("missing"), Previous("missing")]
    frame = f.build_frame([report(year=2021), report(year=2021), report(year=2020)], pairs)
    assert list(frame[col.NORMATIVE_STATUS]) == ["previous_without_in_force", "missing", "not_applicable"]


def test_report_level_facts() -> None:
    reports = [
        report(agency="东安县教育局", year=2023, published=date(2024, 2, 3)),
        report(agency="东安镇人民政府", year=2020, published=None),
        report(agency="淮安市人民政府", year=2018),
    ]
    frame = f.build_frame(reports)
    assert list(frame[col.DEADLINE]) == [
        pd.Timestamp("2024-01-31"),
        pd.Timestamp("2021-03-31"),
        pd.Timestamp("2019-03-31"),
    ]
    assert frame[col.PUBLISHED].isna().tolist() == [False, True, False]
    assert frame[col.VERSION_EXPECTED].tolist()[:2] == ["2021", "2019"] and pd.isna(
        frame[col.VERSION_EXPECTED][2]
    )
    assert frame[col.RULES_LIMIT].tolist()[:2] == [0.0, 0.0] and math.isnan(frame[col.RULES_LIMIT][2])


def test_structure_lists_missing_tables_sections_and_cells() -> None:
    r = report()
    r.cells = {k: v for k, v in r.cells.items() if not k.startswith("t2.") and k != "t3.carried_out.legal"}
    del r.narrative["六"]
    assert f.missing_parts(r) == ["t2", "section:六", "t3.carried_out.legal"]
    assert f.missing_parts(report()) == []
    assert f.missing_parts(report(other_single_row=True)) == []
    assert f.missing_parts(report(with_entities=True)) == []
    items_on_2019 = report(year=2020)
    for c in [c for c in items_on_2019.cells if c.startswith("t3.other_all.")]:
        value = items_on_2019.cells.pop(c)
        items_on_2019.cells[c.replace("other_all", "other_other")] = value
        items_on_2019.cells[c.replace("other_all", "other_no_fee")] = 0
        items_on_2019.cells[c.replace("other_all", "other_no_correction")] = 0
    assert f.missing_parts(items_on_2019) == []


def test_blank_totals_are_listed_per_report() -> None:
    frame = f.build_frame(
        [report(t3__granted__total=None, t4__review__total=None), report(t3__granted__natural=None)]
    )
    assert frame[col.BLANK_TOTALS][0] == "t3.granted.total;t4.review.total"
    assert pd.isna(frame[col.BLANK_TOTALS][1])


@pytest.mark.parametrize("narrative", [{"一": "共收到依申请公开件65件。"}, {}])
def test_narrative_numbers_beside_their_table_totals(narrative) -> None:
    r = report()
    r.narrative = narrative
    values = row(f.build_frame([r]))
    assert values[col.tabled("received")] == 13
    if narrative:
        assert values[col.stated("received")] == 65
    else:
        assert math.isnan(values[col.stated("received")])


def test_pairing_length_must_match() -> None:
    with pytest.raises(ValueError):
        f.build_frame([report()], [])
