"""Shared fixtures: the real published reports and the seed, copied into tests/fixtures."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

pytest_plugins = ["tests.databases"]

FIXTURES = Path(__file__).parent / "fixtures"
SAMPLES = FIXTURES / "samples"
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
