"""Mail fixtures: a migrated warehouse (SQLite and PostgreSQL) with the small test province's registry."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy import Engine

from warehouse.engine import make_engine
from warehouse.registry import load_registry_rows
from warehouse.registry_file import parse_registry

from ..warehouse.builders import REGISTRY_CSV


@pytest.fixture
def engine(warehouse_url: str) -> Iterator[Engine]:
    engine = make_engine(warehouse_url)
    yield engine
    engine.dispose()


@pytest.fixture
def registered(engine: Engine) -> Engine:
    rows, _ = parse_registry(REGISTRY_CSV)
    with engine.begin() as conn:
        load_registry_rows(conn, rows, as_of=2024)
    return engine
