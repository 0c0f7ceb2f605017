"""The flows tell how far they got: every stage announces its files and finishes them, whoever
listens (here a recorder; on a terminal the command line's bars), and nobody has to."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from flows import progress
from synth.province import generate


class Recorder:
    """A reporter that remembers what it was told."""

    def __init__(self) -> None:
        self.totals: Counter[str] = Counter()
        self.done: Counter[str] = Counter()

    def add(self, stage: str, total: int) -> None:
        self.totals[stage] += total

    def advance(self, stage: str, done: int) -> None:
        assert stage in self.totals, f"{stage} advanced before it was announced"
        self.done[stage] += done


def test_calls_reach_the_installed_reporter_only_while_it_is_installed() -> None:
    recorder = Recorder()
    progress.add("read", 3)  # nobody listens: nothing happens
    with progress.reporting(recorder):
        progress.add("read", 2)
        progress.advance("read", 2)
        progress.advance(None, 5)  # a stage not reported
    progress.add("read", 7)
    assert recorder.totals == {"read": 2} and recorder.done == {"read": 2}


@pytest.fixture(scope="module")
def province(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("province")
    generate(out, 6, range(2022, 2024), ("docx", "html", "txt"), 0.2, seed=5)
    return out


@pytest.mark.slow  # runs three flows
def test_ingest_backfill_and_aggregate_report_every_stage(prefect_api, province: Path, tmp_path: Path) -> None:
    from flows.aggregate import aggregate
    from flows.backfill import backfill
    from flows.ingest import ingest

    url = f"sqlite:///{tmp_path / 'warehouse.sqlite'}"
    archive = str(tmp_path / "archive")
    files = sorted((province / "reports").iterdir())
    with progress.reporting(Recorder()) as recorder:
        ingest(
            inbox=[str(province / "reports")],
            registry=str(province / "registry.csv"),
            warehouse_url=url,
            archive_url=archive,
            outbox_dir=str(tmp_path / "outbox"),
            chunk_size=4,
        )
    for stage in ("read", "checked", "loaded"):
        assert recorder.totals[stage] == recorder.done[stage] == len(files), stage

    with progress.reporting(Recorder()) as recorder:
        summary = backfill(dry_run=True, warehouse_url=url, archive_url=archive, chunk_size=4)
    assert summary.targets > 0
    for stage in ("read", "checked", "compared"):
        assert recorder.totals[stage] == recorder.done[stage] == summary.targets, stage

    with progress.reporting(Recorder()) as recorder:
        aggregate(year=2023, warehouse_url=url, out=str(tmp_path / "documents"))
    assert recorder.totals == recorder.done == {"steps": 4}
