"""Shared fixtures: the real published reports (flows/samples) and the seed (tests/fixtures)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

pytest_plugins = ["tests.databases"]

#: fixtures whose "postgresql" parameter makes a test a PostgreSQL test
_DIALECT_FIXTURES = ("warehouse_url", "module_warehouse_url", "empty_url", "dialect")


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "slow: takes seconds (Prefect, subprocesses, a whole province); not in make test-fast")
    config.addinivalue_line("markers", "postgres: runs against PostgreSQL (set on every PostgreSQL-parametrised test)")


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark each test run on PostgreSQL `postgres`, so `-m "not postgres"` gives the SQLite half."""
    for item in items:
        params = getattr(getattr(item, "callspec", None), "params", {})
        if any(params.get(name) == "postgresql" for name in _DIALECT_FIXTURES):
            item.add_marker(pytest.mark.postgres)

FIXTURES = Path(__file__).parent / "fixtures"
#: the real published reports with their true values: shipped with the package for the demo
SAMPLES = Path(__file__).parents[1] / "flows" / "samples"
SEEDS = FIXTURES / "seeds"
SEED = SEEDS / "000_1a283dc4be3df628.txt"
#: the seed is the same report as this sample; it carries that sample's truth
SEED_TRUTH = SAMPLES / "海宁市人民政府办公室_2021.txt.truth.json"


def real_reports() -> list[tuple[Path, Path]]:
    """(report file, truth file) for every real report the project ships."""
    pairs = [(p, p.with_name(p.name + ".truth.json")) for p in sorted(SAMPLES.iterdir())]
    pairs = [(p, t) for p, t in pairs if t.exists()]
    pairs.append((SEED, SEED_TRUTH))
    return pairs


def load_truth(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


@pytest.fixture(scope="session")
def seed_bytes() -> bytes:
    return SEED.read_bytes()
