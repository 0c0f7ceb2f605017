"""Consolidated reports against their members: the findings are exactly the generator's record.

A synthetic province whose registry marks some county governments `consolidated` (their report
prints the county's sum) runs through the real pipeline; the aggregation must find every cell the
generator recorded in consolidated.csv (its injected faults and the gaps members leave), no
other, with both figures, and must leave consolidated reports out of the 汇总 sums.
"""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal

import pytest
from sqlalchemy import Engine

from form.catalogue import cell_spec
from warehouse.aggregation import read_aggregation
from warehouse.consolidation import RULE, consolidation_findings
from warehouse.queries import AMOUNT_DECIMALS

from .synthetic import Province, loaded_warehouse, write_and_check

YEARS = range(2021, 2024)


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Province:
    return write_and_check(tmp_path_factory.mktemp("consolidated"), 90, YEARS, 0.3, 11, consolidated=3)


@pytest.fixture(scope="module")
def province(corpus: Province, module_warehouse_url: str) -> Iterator[Engine]:
    with loaded_warehouse(corpus, module_warehouse_url) as engine:
        yield engine


def _figure(text: str, cell: str) -> int | float:
    value = Decimal(text)
    return round(float(value), AMOUNT_DECIMALS) if cell_spec(cell).kind == "amount" else int(value)


def test_the_generator_marks_and_injects(corpus: Province) -> None:
    marked = [r["agency_id"] for r in corpus.registry if r["consolidated"]]
    rows = corpus.csv_rows("consolidated.csv")
    assert len(marked) == 3
    assert {r["agency_id"] for r in rows} <= set(marked)
    assert any(r["cause"] == "injected" for r in rows) and any(r["cause"] == "members" for r in rows)


@pytest.mark.slow  # loads a generated province
def test_findings_are_exactly_the_recorded_differences(corpus: Province, province: Engine) -> None:
    expected = {
        (r["agency_id"], int(r["year"]), r["cell"], _figure(r["printed"], r["cell"]), _figure(r["members"], r["cell"]))
        for r in corpus.csv_rows("consolidated.csv")
    }
    with province.connect() as conn:
        found = [f for year in YEARS for f in consolidation_findings(conn, year)]
    assert {f.rule_id for f in found} == {RULE}
    assert {(f.agency_id, f.year, f.cell_id, f.printed, f.expected) for f in found} == expected
    assert all(f.members > 0 for f in found)


@pytest.mark.slow
def test_every_consolidated_report_loaded_and_is_left_out_of_the_sums(corpus: Province, province: Engine) -> None:
    marked = {r["agency_id"] for r in corpus.registry if r["consolidated"]}
    for year in YEARS:
        loaded = corpus.loaded(year)
        with province.connect() as conn:
            agg = read_aggregation(conn, year)
        assert agg is not None
        sums: dict[str, Decimal] = {}
        for agency, file in loaded.items():
            if agency in marked:
                continue
            for cell, value in corpus.truth(file)["cells"].items():
                sums[cell] = sums.get(cell, Decimal(0)) + Decimal(str(value if value is not None else 0))
        assert agg.province == {c: _figure(str(v), c) for c, v in sums.items()}
    # the generator's consolidated reports pass every hard rule unless it injected one
    faulty = {r["file"] for r in corpus.csv_rows("faults.csv")}
    clean = [f for f, row in corpus.manifest.items() if row["agency_id"] in marked and f not in faulty]
    states = {sub.source.path.rsplit("/", 1)[-1]: sub.state for sub in corpus.submissions}
    assert clean and all(states[f] == "loaded" for f in clean)


@pytest.mark.slow
def test_earlier_years_never_aggregated_are_aggregated_once(corpus: Province, province: Engine) -> None:
    from warehouse.aggregation import aggregate_earlier_years
    from warehouse.schema import AggRun

    with province.begin() as conn:
        conn.execute(AggRun.__table__.delete().where(AggRun.__table__.c.year == YEARS[0]))
    assert aggregate_earlier_years(province, YEARS[-1]) == [YEARS[0]]
    assert aggregate_earlier_years(province, YEARS[-1]) == []
