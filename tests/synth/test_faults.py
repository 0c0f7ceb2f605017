"""Each fault trips the rule it is named for, and exactly the rules its rows list."""

from __future__ import annotations

import random
import unicodedata

import pytest

from form.rules import RULES as FORM_RULES
from synth import faults, narrative
from synth.printed import PrintedReport
from synth.province import clean_report
from synth.registry import Agency, build_registry
from synth.values import series
from tests.synth.conftest import YEARS, submission
from tests.synth.rules_reference import check


def _chains() -> list[tuple[Agency, dict, list[PrintedReport]]]:
    """Clean reports for every year of a few dozen agencies, with the figures behind them."""
    out = []
    for i, agency in enumerate(build_registry(60, YEARS, random.Random(9))):
        rng = random.Random(agency.id)
        figures = series(agency, YEARS, rng)
        fmt = ("docx", "html", "txt")[i % 3]
        out.append((agency, figures, [clean_report(agency, y, fmt, rng, figures) for y in sorted(figures)]))
    return out


CHAINS = _chains()


def _cases(rule: str, limit: int = 12) -> list[tuple[PrintedReport, faults.Context]]:
    cases = []
    for agency, figures, reports in CHAINS:
        for prev, report in zip([None, *reports], reports, strict=False):
            ctx = faults.Context(agency, figures[report.year], prev)
            if faults.applicable(rule, report, ctx):
                cases.append((report, ctx))
    return cases[:: max(1, len(cases) // limit)][:limit]


def test_clean_reports_break_no_rule() -> None:
    for _, _, reports in CHAINS:
        for prev, report in zip([None, *reports], reports, strict=False):
            report.narrative = _narrative(report)
            assert check(submission(report), submission(prev) if prev else None) == set(), report.file


def _narrative(report: PrintedReport) -> dict[str, list[str]]:
    return narrative.build(report, random.Random(report.file))


@pytest.mark.parametrize("rule", faults.MADE)
def test_fault_trips_exactly_the_rules_it_lists(rule: str) -> None:
    cases = _cases(rule)
    assert cases, f"no report in the sample can carry {rule}"
    for clean, ctx in cases:
        clean_cells = dict(clean.cells)
        faulty = faults.inject(rule, clean, ctx, random.Random(clean.file))
        faulty.narrative = _narrative(faulty)
        prev = submission(ctx.previous) if ctx.previous else None
        assert faulty.faults[0].rule == rule
        assert check(submission(faulty), prev) == {f.rule for f in faulty.faults}, faulty.file
        assert clean.cells == clean_cells, "injecting must not touch the clean report"


def test_faults_spare_the_cells_next_year_reads() -> None:
    for rule in faults.RULES:
        for clean, ctx in _cases(rule, 4):
            faulty = faults.inject(rule, clean, ctx, random.Random(1))
            for cid in ("t3.carried_out.total", "t3.carried_out.natural", "t2.normative.in_force"):
                if cid in faulty.cells and cid in clean.cells:
                    assert (faulty.cells[cid] or 0) == (clean.cells[cid] or 0), (rule, cid)


def test_fault_rows_name_printed_and_expected_values() -> None:
    clean, ctx = _cases("t3.balance", 1)[0]
    faulty = faults.inject("t3.balance", clean, ctx, random.Random(3))
    (row,) = faulty.faults
    assert row.cells[0].startswith("t3.new.") and row.cells[-1] == "t3.new.total"
    for cid, printed, expected in zip(row.cells, row.printed, row.expected, strict=True):
        assert int(printed) == faulty.cells[cid]
        assert int(expected) == (clean.cells[cid] or 0)


def test_text_in_a_number_cell_is_null_in_the_truth() -> None:
    for clean, ctx in _cases("values.domain", 30):
        faulty = faults.inject("values.domain", clean, ctx, random.Random(clean.file))
        (row,) = faulty.faults
        cid = row.cells[0]
        assert unicodedata.normalize("NFKC", faulty.texts[cid]) == row.printed[0]
        if not row.printed[0].lstrip("-").isdigit():
            assert faulty.cells[cid] is None


def test_every_rule_of_the_form_has_a_fault_hard_rules_first() -> None:
    assert set(faults.MADE) == {r.id for r in FORM_RULES}
    assert set(faults.RULES) == set(faults.MADE) - faults.ON_REQUEST
    assert {r.id for r in FORM_RULES if r.severity == "hard"} == faults.HARD_RULES
    hard = [rule in faults.HARD_RULES for rule in faults.RULES]
    assert hard == sorted(hard, reverse=True), "hard rules are spread first"


def test_a_rule_without_a_fault_is_refused() -> None:
    clean, ctx = _cases("t3.balance", 1)[0]
    with pytest.raises(ValueError, match="no fault for rule 'registry.unregistered'"):
        faults.inject("registry.unregistered", clean, ctx, random.Random(0))
