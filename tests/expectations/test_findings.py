"""Mapping GX results back to findings, without GX: cells by pair index, lists split, Chinese text."""

from __future__ import annotations

from expectations import frame as f
from expectations.findings import map_findings
from expectations.results import ExpectationResult, Failure
from expectations.suite_files import read_suites
from form import catalogue as cat
from form.record import Previous
from tests.expectations.builders import report


def expectation(suite: str, rule: str, type_: str, **kwargs) -> dict:
    """The suite file's expectation for a rule (first one of that type)."""
    for e in read_suites()[suite]["expectations"]:
        if (
            e["meta"]["rule"] == rule
            and e["type"] == type_
            and all(e["kwargs"].get(k) == v for k, v in kwargs.items())
        ):
            return e
    raise LookupError(rule)


def outcome(e: dict, *failures: Failure) -> ExpectationResult:
    return ExpectationResult("", e["type"], e["kwargs"], e["meta"], list(failures))


def test_a_failing_pair_names_its_cells_and_the_printed_value() -> None:
    e = expectation("xxgk.totals", "t3.row_total", "expect_column_pairs_to_be_equal")
    index = [p[0] for p in e["kwargs"]["pairs"]].index("t3.granted.total")
    r = report(t3__granted__total=None)
    (found,) = map_findings([r], f.build_frame([r]), [outcome(e, Failure(0, index, 0, 8))])
    (finding,) = found
    assert finding.rule == "t3.row_total" and finding.severity == "hard"
    assert finding.cells[0] == "t3.granted.total" and len(finding.cells) == 7
    assert (finding.printed, finding.expected) == (None, 8)  # blank as printed, not the 0 it counts as
    assert (
        finding.message
        == f"{cat.describe_cell('t3.granted.total')}填报为空白（按0计），但「自然人」＋「商业企业」＋「科研机构」＋「社会公益组织」＋「法律服务机构」＋「其他」＝8，两者应相等。"
    )


def test_status_failures_are_not_checkable_with_the_reason() -> None:
    e = expectation("xxgk.carryover", "carryover.requests", "expect_column_values_to_be_in_set")
    reports = [report(year=2023), report(year=2023)]
    pairs = [Previous("missing"), Previous("ambiguous", candidates=("/a.docx", "/b.docx"))]
    found = map_findings(reports, f.build_frame(reports, pairs), [outcome(e, Failure(0), Failure(1))])
    assert [x.severity for fs in found for x in fs] == ["not_checkable", "not_checkable"]
    assert (
        found[0][0].message
        == f"表三「{cat.T3_ROWS['2021'][1].label}」无法与上一年度年报核对：未提供同一机关2022年度的年报。"
    )
    assert "/a.docx、/b.docx" in found[1][0].message and found[1][0].previous is None


def test_list_columns_become_one_finding_per_cell() -> None:
    e = expectation("xxgk.values", "blank.totals", "expect_column_values_to_be_null")
    r = report(t3__denied_secret__total=None, t4__suit_direct__total=None)
    (found,) = map_findings([r], f.build_frame([r]), [outcome(e, Failure(0))])
    assert [(x.rule, x.severity, x.cells) for x in found] == [
        ("blank.totals", "soft", ["t3.denied_secret.total"]),
        ("blank.totals", "soft", ["t4.suit_direct.total"]),
    ]


def test_findings_land_on_their_report_in_order() -> None:
    e = expectation("xxgk.totals", "t4.total", "expect_column_pairs_to_be_equal")
    reports = [report(), report(t4__review__total=5), report()]
    found = map_findings(reports, f.build_frame(reports), [outcome(e, Failure(1, 0, 5, 2))])
    assert [len(x) for x in found] == [0, 1, 0]
    assert found[1][0].cells[0] == "t4.review.total"
