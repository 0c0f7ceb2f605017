"""Each rule family on hand-made reports: given a report, exactly these findings (dbt-style)."""

from __future__ import annotations

from datetime import date

import pytest

from form import catalogue as cat
from form.record import Finding, Problem
from tests.expectations.builders import report

NOT_CHECKABLE_WITHOUT_PREVIOUS = {
    ("carryover.requests", "not_checkable"),
    ("carryover.normative_in_force", "not_checkable"),
}


def checked(findings: list[Finding]) -> list[Finding]:
    """Findings other than the cross-year ones every report without a previous year gets."""
    return [f for f in findings if (f.rule, f.severity) not in NOT_CHECKABLE_WITHOUT_PREVIOUS]


def summary(findings: list[Finding]) -> set[tuple[str, str, str]]:
    """(rule, severity, first cell) of each finding."""
    return {(f.rule, f.severity, f.cells[0] if f.cells else "") for f in findings}


def test_a_consistent_report_has_no_finding(check) -> None:
    (found,) = check([report()])
    assert summary(found) == {
        ("carryover.requests", "not_checkable", "t3.carried_in.total"),
        ("carryover.normative_in_force", "not_checkable", "t2.normative.in_force"),
    }


@pytest.mark.parametrize("column", ["natural", "commercial", "research", "social", "legal", "other"])
def test_row_total_is_checked_against_every_applicant_column(check, column) -> None:
    processed = report().cells[f"t3.processed_total.{column}"]
    r = report(**{f"t3__denied_law__{column}": 1, f"t3__processed_total__{column}": processed + 1})
    (found,) = check([r])
    # the row's total (0) no longer adds up, and neither does （七）总计 in the total column
    assert summary(checked(found)) == {
        ("t3.row_total", "hard", "t3.denied_law.total"),
        ("t3.row_total", "hard", "t3.processed_total.total"),
        ("t3.balance", "hard", f"t3.new.{column}"),
    }
    row_total = next(f for f in found if f.cells[0] == "t3.denied_law.total")
    assert row_total.printed == 0 and row_total.expected == 1
    assert row_total.message.startswith("表三「2.其他法律行政法规禁止公开」行「总计」列填报为0")
    assert "「自然人」＋「商业企业」" in row_total.message


def test_processed_total_and_balance_are_checked_in_every_column(check) -> None:
    r = report(t3__processed_total__legal=4, t3__processed_total__total=15)
    (found,) = check([r])
    assert summary(checked(found)) == {
        ("t3.row_total", "hard", "t3.processed_total.total"),  # 9+2+0+1+4+0 = 16, not 15
        ("t3.processed_total", "hard", "t3.processed_total.legal"),
        ("t3.processed_total", "hard", "t3.processed_total.total"),
        ("t3.balance", "hard", "t3.new.legal"),
        ("t3.balance", "hard", "t3.new.total"),
    }
    legal = next(f for f in found if f.rule == "t3.processed_total" and f.cells[0].endswith(".legal"))
    assert (legal.printed, legal.expected) == (4, 0)
    assert "t3.granted.legal" in legal.cells
    balance = next(f for f in found if f.rule == "t3.balance" and f.cells[0].endswith(".total"))
    assert balance.cells == [
        "t3.new.total",
        "t3.carried_in.total",
        "t3.processed_total.total",
        "t3.carried_out.total",
    ]
    assert (balance.printed, balance.expected) == (14, 17)
    assert balance.message.startswith("表三「总计」列：")


def test_the_subtotal_column_is_checked_like_a_total_where_printed(check) -> None:
    assert checked(check([report(with_entities=True)])[0]) == []
    r = report(with_entities=True, t3__new__entities=4)
    (found,) = check([r])
    assert summary(checked(found)) == {
        ("t3.row_total", "hard", "t3.new.entities"),
        ("t3.balance", "hard", "t3.new.entities"),
    }
    entities = next(f for f in found if f.rule == "t3.row_total")
    assert entities.cells == [
        "t3.new.entities",
        "t3.new.commercial",
        "t3.new.research",
        "t3.new.social",
        "t3.new.legal",
        "t3.new.other",
    ]
    assert (entities.printed, entities.expected) == (4, 3)


def test_table_4_totals(check) -> None:
    (found,) = check([report(t4__suit_after_review__total=2)])
    assert summary(checked(found)) == {("t4.total", "hard", "t4.suit_after_review.total")}
    f = checked(found)[0]
    assert (f.printed, f.expected) == (2, 0)
    assert f.cells == [
        "t4.suit_after_review.total",
        "t4.suit_after_review.upheld",
        "t4.suit_after_review.corrected",
        "t4.suit_after_review.other",
        "t4.suit_after_review.pending",
    ]
    assert "表四「行政诉讼·复议后起诉」行「总计」列填报为2" in f.message


def test_a_blank_total_counts_as_zero_and_is_flagged(check) -> None:
    # a blank total whose row is all zero: only the soft blank.totals
    (found,) = check([report(t3__denied_secret__total=None)])
    assert summary(checked(found)) == {("blank.totals", "soft", "t3.denied_secret.total")}
    assert checked(found)[0].printed is None
    # a blank total over non-zero cells: also a hard row_total (blank read as 0)
    (found,) = check([report(t3__granted__total=None)])
    assert summary(checked(found)) == {
        ("blank.totals", "soft", "t3.granted.total"),
        ("t3.row_total", "hard", "t3.granted.total"),
        ("t3.processed_total", "hard", "t3.processed_total.total"),
    }
    row = next(f for f in found if f.rule == "t3.row_total")
    assert (row.printed, row.expected) == (None, 8)
    assert "空白（按0计）" in row.message
    # a blank cell that is not a total is just 0
    assert checked(check([report(t3__denied_secret__natural=None)])[0]) == []


def test_other_single_row_on_2021_tables_is_summed_and_noted(check) -> None:
    r = report(other_single_row=True, t3={"other_all": {"natural": 1}, "granted": {"natural": 4}})
    (found,) = check([r])
    assert summary(checked(found)) == {("structure.other_single_row", "soft", "t3.other_all.natural")}
    f = checked(found)[0]
    assert (f.printed, f.expected) == ("other_all", "other_no_correction;other_no_fee;other_other")
    assert len(f.cells) == 7
    # a 2019 table always prints it as one row
    assert checked(check([report(year=2020)])[0]) == []


def test_carryover_matches_the_previous_year_in_every_column(check) -> None:
    last = report(
        agency="洪泽区人民政府", year=2022, path="/2022/洪泽区人民政府.docx"
    )  # carried out: 2 natural
    this = report(
        agency="淮安市洪泽区人民政府", year=2023, t3={"carried_in": {"natural": 2}, "new": {"natural": 9}}
    )
    (found,) = check([this], [last])
    assert [f for f in found if f.rule == "carryover.requests"] == []
    this = report(
        agency="淮安市洪泽区人民政府", year=2023, t3={"carried_in": {"natural": 3}, "new": {"natural": 8}}
    )
    (found,) = check([this], [last])
    carry = [f for f in found if f.rule == "carryover.requests"]
    assert summary(carry) == {
        ("carryover.requests", "hard", "t3.carried_in.natural"),
        ("carryover.requests", "hard", "t3.carried_in.total"),
    }
    f = carry[0]
    assert (f.printed, f.expected, f.previous) == (3, 2, "/2022/洪泽区人民政府.docx")
    assert "/2022/洪泽区人民政府.docx" in f.message


def test_carryover_without_a_previous_year_is_not_checkable_never_a_pass(check) -> None:
    this = report(agency="淮安市洪泽区人民政府", year=2023, t3__carried_in__natural=3)
    (found,) = check([this], [report(agency="淮安市淮阴区人民政府", year=2022)])
    carry = [f for f in found if f.rule == "carryover.requests"]
    assert [(f.severity, f.previous) for f in carry] == [("not_checkable", None)]
    assert "未提供同一机关2022年度的年报" in carry[0].message


def test_an_ambiguous_previous_year_is_not_checkable_and_lists_the_candidates(check) -> None:
    a = report(agency="洪泽区人民政府", year=2022, path="/a/洪泽区人民政府.docx")
    b = report(
        agency="洪泽区政府",
        year=2022,
        path="/b/洪泽区政府.pdf",
        t3={"new": {"natural": 11}, "granted": {"natural": 6}},
    )
    (found,) = check([report(agency="洪泽区人民政府", year=2023)], [a, b])
    carry = next(f for f in found if f.rule == "carryover.requests")
    assert carry.severity == "not_checkable"
    assert "/a/洪泽区人民政府.docx" in carry.message and "/b/洪泽区政府.pdf" in carry.message


def test_normative_documents_in_force_follow_last_year(check) -> None:
    last = report(agency="东安县教育局", year=2022, t2__normative__in_force=18, path="/2022/edu.txt")

    def normative(found: list[Finding]) -> list[Finding]:
        return [f for f in found if f.rule == "carryover.normative_in_force"]

    assert normative(check([report(agency="东安县教育局", year=2023)], [last])[0]) == []  # 18 + 3 − 1 = 20
    (found,) = check([report(agency="东安县教育局", year=2023, t2__normative__in_force=25)], [last])
    found = normative(found)
    assert summary(found) == {("carryover.normative_in_force", "soft", "t2.normative.in_force")}
    assert (found[0].printed, found[0].expected, found[0].previous) == (25, 20, "/2022/edu.txt")
    # last year on the 2019 tables has no in-force count: not checkable, naming the report
    old = report(agency="东安县教育局", year=2020, path="/2020/edu.txt")
    (found,) = check([report(agency="东安县教育局", year=2021)], [old])
    f = next(f for f in found if f.rule == "carryover.normative_in_force")
    assert f.severity == "not_checkable" and "/2020/edu.txt" in f.message


def test_missing_tables_sections_and_cells(check) -> None:
    r = report()
    r.cells = {k: v for k, v in r.cells.items() if not k.startswith("t4.") and k != "t2.fees.amount"}
    r.problems = [Problem(cell="t4", reason="表四 not found")]
    del r.narrative["五"]
    (found,) = check([r])
    structure = [f for f in found if f.rule == "structure.sections"]
    assert [(f.severity, f.cells) for f in structure] == [
        ("hard", ["t4"]),
        ("hard", []),
        ("hard", ["t2.fees.amount"]),
    ]
    assert structure[0].message == f"年报缺少表四「{cat.TABLE_TITLES[4]}」。"
    assert "五、存在的主要问题及改进情况" in structure[1].message
    # nothing else: a missing table is not also a failed total
    assert {f.rule for f in checked(found)} == {"structure.sections"}


def test_a_cell_not_printed_is_missing_not_zero(check) -> None:
    r = report()
    r.cells["t3.new.total"] = None
    r.problems = [Problem(cell="t3.new.total", reason="cell not printed")]
    (found,) = check([r])
    assert summary(checked(found)) == {("structure.sections", "hard", "t3.new.total")}


def test_version_must_match_the_year(check) -> None:
    (found,) = check([report(year=2022, version="2019")])
    v = [f for f in found if f.rule == "version.matches_year"]
    assert [(f.severity, f.printed, f.expected) for f in v] == [("hard", "2019", "2021")]
    (found,) = check([report(year=2020, version="2021")])
    assert [(f.printed, f.expected) for f in found if f.rule == "version.matches_year"] == [("2021", "2019")]


def test_values_outside_their_domain(check) -> None:
    r = report(t2__licensing__decisions=-3, t2__fees__amount=-1.5)
    r.cells["t2.penalty.decisions"] = None
    r.problems = [Problem(cell="t2.penalty.decisions", raw="约5", reason="not a number")]
    (found,) = check([r])
    assert {(f.cells[0], f.printed) for f in checked(found)} == {
        ("t2.licensing.decisions", -3),
        ("t2.fees.amount", -1.5),
        ("t2.penalty.decisions", "约5"),
    }
    assert {f.rule for f in checked(found)} == {"values.domain"}
    text = next(f for f in found if f.cells == ["t2.penalty.decisions"])
    assert text.message == f"{cat.describe_cell('t2.penalty.decisions')}填报为「约5」，不是数字，应填写数字。"
    # a change may be negative on the 2019 tables
    assert checked(check([report(year=2020, t2__licensing__change=-4)])[0]) == []


def test_a_count_must_be_whole(check) -> None:
    (found,) = check([report(t2__coercion__decisions=2.5)])
    assert summary(checked(found)) == {("values.domain", "hard", "t2.coercion.decisions")}


def test_narrative_totals_compare_only_numbers_found(check) -> None:
    r = report()
    r.narrative["一"] = "本年度共收到政府信息公开申请14件，政府信息公开行政复议2件。"
    (found,) = check([r])
    assert [(f.rule, f.severity, f.cells, f.printed, f.expected) for f in checked(found)] == [
        ("narrative.totals", "soft", ["t3.new.total"], 14, 13)
    ]
    r.narrative["一"] = "本年度依申请公开工作平稳有序。"
    assert checked(check([r])[0]) == []


@pytest.mark.parametrize(
    ("agency", "flagged"),
    [
        ("东安镇人民政府", True),
        ("东安县人民政府", True),
        ("东安县教育局", True),
        ("华阳市人民政府", False),
        ("东岭省人民政府", False),
        ("湘西土家族苗族自治州人民政府", False),
    ],
)
def test_only_governments_with_rule_making_power_report_rules(check, agency, flagged) -> None:
    (found,) = check([report(agency=agency, t2__rules__issued=1, t2__rules__in_force=4)])
    rules = [f for f in found if f.rule == "semantic.rules_power"]
    assert bool(rules) == flagged
    if flagged:
        assert rules[0].severity == "soft"
        assert rules[0].cells == ["t2.rules.issued", "t2.rules.in_force"]


@pytest.mark.parametrize(
    ("agency", "published", "late"),
    [
        ("东安县教育局", date(2024, 1, 31), False),
        ("东安县教育局", date(2024, 2, 1), True),
        ("东安县人民政府", date(2024, 3, 31), False),
        ("东安县人民政府", date(2024, 4, 1), True),
        ("东安县人民政府办公室", date(2024, 2, 10), True),
    ],
)
def test_published_by_the_deadline_for_the_agencys_level(check, agency, published, late) -> None:
    (found,) = check([report(agency=agency, year=2023, published=published)])
    assert [(f.rule, f.severity) for f in checked(found)] == (
        [("timeliness.published", "soft")] if late else []
    )
    if late:
        assert checked(found)[0].printed == published.isoformat()


def test_no_publication_date_is_not_checkable(check) -> None:
    (found,) = check([report(published=None)])
    assert ("timeliness.published", "not_checkable") in {(f.rule, f.severity) for f in found}


def test_findings_are_ordered_hard_soft_not_checkable(check) -> None:
    (found,) = check([report(published=date(2024, 3, 1), t4__review__total=3)])
    assert [f.severity for f in found] == sorted(
        (f.severity for f in found), key=["hard", "soft", "not_checkable"].index
    )
    assert found[0].rule == "t4.total"


@pytest.mark.parametrize(
    ("cell", "value"),
    [("t3.new.natural", 10**1000), ("t2.fees.amount", 1e30), ("t2.licensing.change", -(2**64))],
    ids=lambda v: v if isinstance(v, str) else f"{len(str(v))}-chars",
)
def test_a_value_too_large_for_the_warehouse_is_a_domain_finding(check, cell, value) -> None:
    """A 1,000-digit count once raised OverflowError while the frame was built, failing its chunk."""
    year = 2020 if cell.endswith(".change") else 2021
    r = report(year=year, **{cell.replace(".", "__"): value})
    (found,) = check([r, report()])[:1]
    domain = [f for f in checked(found) if f.rule == "values.domain"]
    assert [(f.severity, f.cells) for f in domain] == [("hard", [cell])]
    assert "数值过大" in domain[0].message and len(domain[0].message) < 120


@pytest.mark.parametrize(("year", "plausible"), [(1900, False), (2007, False), (2008, True), (2099, False)])
def test_a_report_year_outside_2008_to_next_year_is_a_hard_finding(check, year, plausible) -> None:
    (found,) = check([report(year=year)])
    years = [f for f in found if f.rule == "year.plausible"]
    assert (years == []) is plausible
    if not plausible:
        assert (years[0].severity, years[0].printed) == ("hard", year)
        assert years[0].expected == f"2008—{date.today().year + 1}"
        assert years[0].message.startswith(f"年报年度为{year}年")


def test_next_year_is_still_plausible(check) -> None:
    (found,) = check([report(year=date.today().year + 1)])
    assert "year.plausible" not in {f.rule for f in found}
