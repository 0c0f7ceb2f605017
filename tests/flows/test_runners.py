"""Where tasks run: the same province ingested one task at a time, on worker processes and on a
2-worker Dask cluster gives the same warehouse (row counts per table, checksums of the facts)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from prefect.task_runners import ProcessPoolTaskRunner, ThreadPoolTaskRunner

from flows import runners
from flows.runners import ChosenTaskRunner, runner_for, warm_pool
from flows.settings import Settings, get_settings
from synth.province import generate
from tests.databases import fresh_warehouse
from warehouse.engine import engine_scope
from warehouse.queries import table_checksums
from warehouse.schema import STAR_TABLES

FACTS = ("fact_application", "fact_disclosure", "fact_review_litigation", "fact_finding")


def test_settings_pick_the_runner() -> None:
    assert isinstance(runner_for(Settings(workers=1)), ThreadPoolTaskRunner)
    assert isinstance(runner_for(Settings(workers=2)), ProcessPoolTaskRunner)
    from prefect_dask import DaskTaskRunner

    assert isinstance(runner_for(Settings(workers=2, dask_address="tcp://127.0.0.1:8786")), DaskTaskRunner)


def test_the_chosen_runner_is_picked_when_a_run_starts(monkeypatch) -> None:
    monkeypatch.setenv("XXGK_WORKERS", "1")
    get_settings.cache_clear()
    try:
        with ChosenTaskRunner().duplicate() as runner:
            assert isinstance(runner.inner, ThreadPoolTaskRunner) and not runner.spreads
        assert runner.inner is None
    finally:
        get_settings.cache_clear()


def test_a_warm_pool_starts_its_workers_at_once_and_serves_the_next_run(monkeypatch) -> None:
    monkeypatch.setenv("XXGK_WORKERS", "2")
    get_settings.cache_clear()
    try:
        with warm_pool(get_settings()):
            warm = runners._warm["runner"]
            assert isinstance(warm, ProcessPoolTaskRunner)
            assert len(warm._executor._processes) == 2  # started before any task was submitted
            with ChosenTaskRunner().duplicate() as runner:
                assert runner.inner is None  # a pool is only taken by a run that submits
                assert runner._start() is warm and runner.spreads
                with ChosenTaskRunner().duplicate() as other:  # a second run at once starts its own
                    assert other._start() is not warm
            assert runners._warm["taken"] is False  # given back, still running
            assert warm._executor is not None
        assert runners._warm["runner"] is None and warm._executor is None  # stopped with the block
    finally:
        get_settings.cache_clear()


@pytest.fixture(scope="module")
def province(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("province")
    generate(out, 10, range(2020, 2023), ("docx", "html", "txt"), 0.3, seed=5)
    return out


def _ingest_with(env: dict[str, str], province: Path, url: str, folder: Path, monkeypatch) -> dict:
    """Ingest the province with these XXGK_* settings; (states per file, the warehouse's figures)."""
    from flows.ingest import ingest

    for name in ("XXGK_WORKERS", "XXGK_DASK_ADDRESS"):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    monkeypatch.setenv("XXGK_HOME", str(folder))
    get_settings.cache_clear()
    try:
        summary = ingest(
            inbox=[str(province / "reports")],
            registry=str(province / "registry.csv"),
            chunk_size=7,  # several chunks a year, so reading fans out
            warehouse_url=url,
            archive_url=str(folder / "archive"),
            outbox_dir=str(folder / "outbox"),
        )
    finally:
        get_settings.cache_clear()
    with engine_scope(url) as engine, engine.connect() as conn:
        sums = table_checksums(conn)
    assert not list((folder / "spool").glob("*/*")), "the run's spool is removed when it ends"
    return {
        "states": sorted((Path(f.source.path).name, f.state) for f in summary.files),
        "counts": {name: sums[name][0] for name in STAR_TABLES},
        "facts": {name: sums[name] for name in FACTS},
    }


@pytest.fixture
def two_warehouses(request: pytest.FixtureRequest, templates, tmp_path: Path) -> Iterator[tuple[str, str]]:
    dialect = request.param
    _folders(tmp_path)
    with (
        fresh_warehouse(dialect, templates, tmp_path / "a") as first,
        fresh_warehouse(dialect, templates, tmp_path / "b") as second,
    ):
        yield first, second


def _folders(tmp_path: Path) -> tuple[Path, Path]:
    for name in ("a", "b"):
        (tmp_path / name).mkdir(exist_ok=True)
    return tmp_path / "a", tmp_path / "b"


@pytest.mark.slow
@pytest.mark.parametrize("two_warehouses", ["sqlite"], indirect=True)
def test_worker_processes_load_what_one_process_loads(
    prefect_api, province, two_warehouses, tmp_path, monkeypatch
) -> None:
    one, pool = _folders(tmp_path)
    sequential = _ingest_with({"XXGK_WORKERS": "1"}, province, two_warehouses[0], one, monkeypatch)
    parallel = _ingest_with({"XXGK_WORKERS": "2"}, province, two_warehouses[1], pool, monkeypatch)
    assert parallel == sequential
    assert sequential["counts"]["fact_application"] > 0


@pytest.mark.slow
@pytest.mark.postgres
@pytest.mark.parametrize("two_warehouses", ["postgresql"], indirect=True)
def test_a_dask_cluster_loads_what_one_process_loads(
    prefect_api, province, two_warehouses, tmp_path, monkeypatch
) -> None:
    from distributed import Client, LocalCluster

    one, dask = _folders(tmp_path)
    sequential = _ingest_with({"XXGK_WORKERS": "1"}, province, two_warehouses[0], one, monkeypatch)
    with (
        LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster,
        Client(cluster) as client,
    ):
        on_dask = _ingest_with({"XXGK_DASK_ADDRESS": cluster.scheduler_address}, province, two_warehouses[1],
                               dask, monkeypatch)
        ran = client.run_on_scheduler(lambda dask_scheduler: sorted(dask_scheduler.task_prefixes))
    assert on_dask == sequential
    assert sequential["counts"]["fact_application"] > 0
    assert any("receive" in name for name in ran), ran
