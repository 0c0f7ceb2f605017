"""The one entry point: frame → GX → findings per chunk, the same findings however the reports are chunked."""

from __future__ import annotations

from datetime import date

import pytest

from expectations.checking import check_reports
from form.record import Previous
from tests.expectations.builders import report


@pytest.mark.slow  # checks a province in several chunks
def test_one_gx_run_per_chunk_and_chunking_changes_nothing(validator) -> None:
    reports = [report(t4__review__total=i % 3 + 2, published=date(2024, 2, 1 + i)) for i in range(5)]
    before = validator.runs
    chunked = check_reports(reports, chunk_size=2, validator=validator)
    assert validator.runs - before == 3
    whole = check_reports(reports, chunk_size=100, validator=validator)
    assert validator.runs - before == 4
    assert chunked == whole
    assert [sorted(f.rule for f in found if f.severity != "not_checkable") for found in whole] == [
        ["t4.total", "timeliness.published"] if i % 3 else ["timeliness.published"] for i in range(5)
    ]


def test_each_chunk_keeps_its_reports_previous_year(validator) -> None:
    """The pairing is sliced with the reports: a carryover gap lands on the report it belongs to."""
    last = report(year=2022)  # carried out: 2 natural
    reports = [report(year=2023, t3={"carried_in": {"natural": n}, "new": {"natural": 11 - n}}) for n in (2, 3, 2)]
    found = check_reports(reports, [Previous("paired", last)] * 3, chunk_size=2, validator=validator)
    carryover = [{f.cells[0] for f in fs if f.rule == "carryover.requests"} for fs in found]
    assert carryover == [set(), {"t3.carried_in.natural", "t3.carried_in.total"}, set()]


def test_without_a_previous_year_the_carryover_is_not_checkable(validator) -> None:
    (found,) = check_reports([report(year=2023)], validator=validator)
    assert {f.severity for f in found if f.rule == "carryover.requests"} == {"not_checkable"}
