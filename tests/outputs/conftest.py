"""A synthetic province loaded and aggregated once per module (SQLite and PostgreSQL), and the
sums computed independently from the generator's truth files that every output is checked against."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal

import pytest
from sqlalchemy import Engine

from form.catalogue import cell_spec
from warehouse.aggregation import Aggregation, read_aggregation
from warehouse.queries import AMOUNT_DECIMALS

from ..warehouse.synthetic import Province, loaded_warehouse, write_and_check

YEARS = range(2021, 2024)


@pytest.fixture(scope="session")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Province:
    return write_and_check(tmp_path_factory.mktemp("outputs"), 90, YEARS, 0.3, 5, consolidated=2)


@pytest.fixture(scope="module")
def province(corpus: Province, module_warehouse_url: str) -> Iterator[Engine]:
    with loaded_warehouse(corpus, module_warehouse_url) as engine:
        yield engine


@pytest.fixture(scope="module")
def aggregations(province: Engine) -> dict[int, Aggregation]:
    out = {}
    with province.connect() as conn:
        for year in YEARS:
            agg = read_aggregation(conn, year)
            assert agg is not None
            out[year] = agg
    return out


def figure(value: Decimal, cell: str) -> int | float:
    return round(float(value), AMOUNT_DECIMALS) if cell_spec(cell).kind == "amount" else int(value)


def truth_sums(corpus: Province, year: int, region_prefix: str = "") -> dict[str, int | float]:
    """Every cell summed over the loaded, not consolidated reports of agencies whose region code
    starts with `region_prefix`, from the truth files (blank as 0)."""
    marked = {r["agency_id"] for r in corpus.registry if r["consolidated"]}
    regions = {a: r["region_code"] for a, r in corpus.registry_in(year).items()}
    sums: dict[str, Decimal] = {}
    for agency, file in corpus.loaded(year).items():
        if agency in marked or not regions[agency].startswith(region_prefix):
            continue
        for cell, value in corpus.truth(file)["cells"].items():
            sums[cell] = sums.get(cell, Decimal(0)) + Decimal(str(value if value is not None else 0))
    return {c: figure(v, c) for c, v in sums.items()}
