"""Every failing row reported, broken rules loud, the frame keyed by report, Data Docs once per run."""

from __future__ import annotations

from datetime import date

import pytest

from expectations import validate
from expectations.checking import check_reports
from expectations.frame import build_frame
from tests.expectations.builders import report


def test_every_failing_report_is_named_beyond_gx_200_value_cap(validator) -> None:
    """GX 1.24 caps unexpected value lists at 200 rows even in COMPLETE; findings must not be."""
    reports = [
        report(agency=f"样{i}县教育局", published=None if i % 2 else date(2024, 3, 1)) for i in range(500)
    ]
    found = check_reports(reports, validator=validator)
    late = [
        i
        for i, fs in enumerate(found)
        if any(f.rule == "timeliness.published" and f.severity == "soft" for f in fs)
    ]
    undated = [
        i
        for i, fs in enumerate(found)
        if any(f.rule == "timeliness.published" and f.severity == "not_checkable" for f in fs)
    ]
    assert late == list(range(0, 500, 2))
    assert undated == list(range(1, 500, 2))
    assert all(f.printed == "2024-03-01" for i in late for f in found[i] if f.rule == "timeliness.published")


def test_an_expectation_that_raises_is_an_error_not_a_pass(validator) -> None:
    suite = validate.build_suite(
        "broken",
        [
            {
                "type": "expect_column_values_to_be_null",
                "kwargs": {"column": "no.such.column"},
                "meta": {"rule": "t4.total"},
            }
        ],
    )
    batch = validator.batch_definition.get_batch(batch_parameters={"dataframe": build_frame([report()])})
    results = batch.validate(suite, result_format=validate.RESULT_FORMAT)
    with pytest.raises(validate.ValidationError, match="t4.total"):
        validate.expectation_results(results)


def test_the_frame_index_must_be_the_report_key(validator) -> None:
    frame = build_frame([report(), report()]).iloc[::-1]
    with pytest.raises(validate.ValidationError):
        validator.validate(frame)


def test_data_docs_are_built_once_for_the_run(tmp_path) -> None:
    docs_dir = tmp_path / "docs"
    v = validate.Validator(data_docs_dir=docs_dir)
    reports = [report(t4__review__total=9), report(), report()]
    found = check_reports(reports, chunk_size=2, validator=v)
    assert [f.rule for f in found[0] if f.severity == "hard"] == ["t4.total"]
    assert not list(docs_dir.rglob("index.html"))  # nothing rendered per chunk
    index = v.build_data_docs()
    assert index is not None and index.name == "index.html"
    results = list(docs_dir.rglob("validations/**/*.json"))
    assert len([p for p in results if "uncommitted" in p.parts]) == 2  # one stored result per chunk
    assert validate.ALL_SUITE in index.read_text(encoding="utf-8")
