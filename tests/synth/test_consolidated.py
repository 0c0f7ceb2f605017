"""Consolidated county reports in the generator: which counties, what they print, what is recorded."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

from synth import consolidated as cons
from synth.province import build, generate

YEARS = range(2021, 2024)


@pytest.mark.slow  # a province of 120 agencies, twice
def test_marked_counties_have_steady_members_and_report_after_them() -> None:
    corpus = build(120, YEARS, ("html",), 0.3, 4, consolidated=3)
    marked = [a for a in corpus.agencies if a.consolidated]
    assert len(marked) == 3 and all(a.level == "county" for a in marked)
    for county in marked:
        members = cons.members_of(county, corpus.agencies)
        assert members and all(m.valid_from <= YEARS.start and m.valid_to is None for m in members)
        order = [r.agency_id for r in corpus.reports]
        own = [i for i, a in enumerate(order) if a == county.id]
        assert own and all(i > max(j for j, a in enumerate(order) if a in {m.id for m in members}) for i in own)
    assert build(120, YEARS, ("html",), 0.3, 4).agencies == tuple(
        a.__class__(**{**a.__dict__, "consolidated": False}) for a in corpus.agencies
    )  # the mark changes nothing else in the registry


@pytest.mark.slow  # writes a province
def test_the_record_holds_the_printed_figures_and_both_causes(tmp_path: Path) -> None:
    generate(tmp_path, 120, YEARS, ("html", "txt"), 0.3, 4, consolidated=3)
    with (tmp_path / "registry.csv").open(encoding="utf-8") as f:
        marked = {r["agency_id"] for r in csv.DictReader(f) if r["consolidated"] == "1"}
    with (tmp_path / "consolidated.csv").open(encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    assert len(marked) == 3 and {r["agency_id"] for r in rows} <= marked
    assert {r["cause"] for r in rows} == {"injected", "members"}
    for r in rows:
        truth = json.loads((tmp_path / "truth" / f"{r['file']}.json").read_text(encoding="utf-8"))
        assert float(r["printed"]) == float(truth["cells"][r["cell"]] or 0)
        assert r["printed"] != r["members"]
