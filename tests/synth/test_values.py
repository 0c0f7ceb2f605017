"""An agency's figures: chained across years, consistent in both versions, plausible in size."""

from __future__ import annotations

import random
import statistics
from datetime import date

import pytest

from synth.registry import Agency, build_registry
from synth.values import APPLICANTS, ORGANISATIONS, poisson, series, split, view
from tests.synth.conftest import YEARS
from tests.synth.rules_reference import Submission, check


@pytest.fixture(scope="module")
def agencies() -> tuple[Agency, ...]:
    return build_registry(400, YEARS, random.Random(5))


@pytest.fixture(scope="module")
def figures(agencies: tuple[Agency, ...]) -> dict[str, dict]:
    return {a.id: series(a, YEARS, random.Random(a.id)) for a in agencies}


def test_requests_carry_over_column_by_column(figures: dict[str, dict]) -> None:
    for years in figures.values():
        for year in sorted(years)[1:]:
            if year - 1 in years:
                assert years[year].t3["carried_in"] == years[year - 1].t3["carried_out"]


def test_documents_in_force_move_by_issued_and_repealed(figures: dict[str, dict]) -> None:
    for years in figures.values():
        for year in sorted(years)[1:]:
            now, before = years[year].t2, years[year - 1].t2
            for row in ("rules", "normative"):
                assert now[f"t2.{row}.in_force"] == (
                    before[f"t2.{row}.in_force"] + now[f"t2.{row}.issued"] - now[f"t2.{row}.repealed"]
                )
                assert now[f"t2.{row}.in_force"] >= 0
            assert now["t2.licensing.prev_items"] == before["t2.licensing.prev_items"] + before["t2.licensing.change"]


@pytest.mark.parametrize(
    ("version", "single", "entities"),
    [("2021", False, False), ("2021", True, True), ("2019", False, False), ("2019", False, True)],
)
@pytest.mark.slow  # every layout of many generated reports
def test_every_view_satisfies_the_identities(figures: dict[str, dict], version: str, single: bool, entities: bool) -> None:
    for years in list(figures.values())[:120]:
        for year, fig in years.items():
            cells = view(fig, version, other_single_row=single, with_entities=entities)
            failed = check(Submission(year, version, date(year + 1, 1, 20), "province", dict(cells)))
            assert failed <= {"version.matches_year", "structure.other_single_row"}
            if entities:
                assert cells["t3.new.entities"] == sum(cells[f"t3.new.{c}"] for c in ORGANISATIONS)


def _median(figures: dict[str, dict], agencies: tuple[Agency, ...], level: str, key) -> float:
    values = [key(f) for a in agencies if a.level == level for f in figures[a.id].values()]
    return statistics.median(values)


def test_sizes_follow_the_level(agencies: tuple[Agency, ...], figures: dict[str, dict]) -> None:
    def requests(f):
        return f.t3["new"]["total"]

    def licensing(f):
        return f.t2["t2.licensing.decisions"]

    assert _median(figures, agencies, "township", requests) <= 1
    assert _median(figures, agencies, "city", requests) >= 40
    assert _median(figures, agencies, "county", licensing) >= 200
    assert _median(figures, agencies, "city", licensing) > _median(figures, agencies, "county", licensing)
    natural = sum(f.t3["new"]["natural"] for y in figures.values() for f in y.values())
    total = sum(f.t3["new"]["total"] for y in figures.values() for f in y.values())
    assert natural / total > 0.75


def test_only_rule_making_governments_issue_rules(agencies: tuple[Agency, ...], figures: dict[str, dict]) -> None:
    for a in agencies:
        issued = sum(f.t2["t2.rules.issued"] for f in figures[a.id].values())
        if not a.has_rule_power:
            assert issued == 0


def test_merged_agencies_stop_reporting(agencies: tuple[Agency, ...], figures: dict[str, dict]) -> None:
    merged = [a for a in agencies if a.valid_to is not None]
    assert merged
    for a in merged:
        assert max(figures[a.id]) == a.valid_to


def test_draws_are_sane() -> None:
    rng = random.Random(1)
    assert poisson(rng, 0) == 0
    assert abs(statistics.mean(poisson(rng, 4) for _ in range(4000)) - 4) < 0.2
    assert abs(statistics.mean(poisson(rng, 400) for _ in range(2000)) - 400) < 3
    parts = split(rng, 1000, (0.5, 0.5, 0.0))
    assert sum(parts) == 1000 and parts[2] == 0
    assert len(APPLICANTS) == 6
