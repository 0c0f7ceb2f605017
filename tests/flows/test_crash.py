"""SIGKILL during `xxgk ingest` (issue 14): killed at five points in a row, then run to the end,
the warehouse, archive, outbox and mail folder are those of an uninterrupted run — no mail lost,
none doubled — on SQLite and PostgreSQL.

The kills are chained: each run is killed at the next point, so every restart also recovers
from the previous crash. With `XXGK_RELIABILITY_OUT` set, each database's kill points, counts and
outcome are written there as JSON (`crash-<database>.json`) for RELIABILITY.md.
"""

from __future__ import annotations

import shutil
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from synth.province import generate
from tests.databases import DIALECTS, fresh_warehouse
from tests.flows.clirun import fresh_env
from tests.flows.crashing import (
    Kill,
    archived,
    count_duplicates,
    finish,
    mails,
    outbox_rows,
    prefect_server,
    record,
    run_and_kill,
    run_to_end,
    start,
    warehouse_rows,
)

pytestmark = pytest.mark.slow

AGENCIES, YEARS = 20, range(2021, 2024)
#: small chunks: several loads per year, so kills land between them
CHUNK = 8
#: in this order, one per run; each names a moment a crash used to cost something
KILLS = (
    ("archived", 20, "reading: 20 files archived, nothing loaded"),
    ("chunk-before-commit", 2, "a chunk loaded and its mail queued, not committed"),
    ("chunk-committed", 3, "a chunk committed, before the flow goes on (mail used to be queued here)"),
    ("mail-claimed", 1, "a page of mail taken by the sender, none handed over"),
    ("mail-handed", 5, "the fifth mail handed over, not yet recorded as sent"),
)


@pytest.fixture(scope="module")
def province(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("crash-province")
    generate(out, AGENCIES, YEARS, ("docx", "html", "txt"), 0.3, seed=14)
    return out


@pytest.fixture(scope="module")
def api(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with prefect_server(tmp_path_factory.mktemp("prefect-home")) as url:
        yield url


@pytest.fixture(params=DIALECTS)
def dialect(request: pytest.FixtureRequest) -> str:
    return request.param


def _setup(folder: Path, url: str, api: str) -> dict[str, str]:
    """An account whose runs share one warehouse, archive and mail folder."""
    return fresh_env(
        folder, XXGK_WAREHOUSE_URL=url, XXGK_ARCHIVE_URL=str(folder / "archive"), XXGK_OUTBOX_DIR=str(folder / "mail"),
        PREFECT_API_URL=api, XXGK_WORKERS="1", XXGK_CHUNK_SIZE=str(CHUNK), XXGK_MAIL_SEND_SECONDS="600",
    )


def _state(folder: Path, url: str) -> dict:
    return {
        "warehouse": warehouse_rows(url), "archive": archived(folder / "archive"),
        "outbox": outbox_rows(url), "mails": mails(folder / "mail"),
    }


def test_killed_at_five_points_the_rerun_ends_as_an_uninterrupted_run(
    dialect: str, templates, province: Path, api: str, tmp_path: Path
) -> None:
    args = ["ingest", str(province / "reports"), "--registry", str(province / "registry.csv"), "--json"]
    with fresh_warehouse(dialect, templates, tmp_path) as clean_url, fresh_warehouse(dialect, templates, tmp_path) as url:
        clean, crashed = tmp_path / "uninterrupted", tmp_path / "crashed"
        uninterrupted = start(args, _setup(clean, clean_url, api), tmp_path)  # beside the killed runs
        env = _setup(crashed, url, api)
        kills = [Kill(point, nth) for point, nth, _why in KILLS]
        for kill in kills:
            run_and_kill(args, env, tmp_path, kill)
        run_to_end(args, env, tmp_path)
        finish(uninterrupted)
        expected, got = _state(clean, clean_url), _state(crashed, url)

    lost = expected["mails"] - got["mails"]
    doubled = got["mails"] - expected["mails"]
    differing = sorted(t for t in expected["warehouse"] if expected["warehouse"][t] != got["warehouse"][t])
    record(f"crash-{dialect}", {
        "section": "crash", "database": dialect, "files": len(list((province / "reports").iterdir())),
        "chunk_size": CHUNK,
        "kills": [{"point": k.point, "nth": k.nth, "what": why, "seconds_into_run": k.after}
                  for k, (_p, _n, why) in zip(kills, KILLS, strict=True)],
        "submissions": len(expected["warehouse"]["dim_submission"]),
        "facts": sum(len(expected["warehouse"][t]) for t in ("fact_application", "fact_disclosure", "fact_review_litigation")),
        "archived": len(expected["archive"]), "outbox_rows": sum(expected["outbox"].values()),
        "mails_expected": sum(expected["mails"].values()), "mails_sent": sum(got["mails"].values()),
        "mails_lost": sum(lost.values()), "mails_doubled": sum(doubled.values()),
        "warehouse_identical": not differing, "archive_identical": expected["archive"] == got["archive"],
        "outbox_identical": expected["outbox"] == got["outbox"],
    })
    assert sum(expected["mails"].values()) > 20  # the run under test sends mail at all
    assert not lost and not doubled, (lost, doubled)
    assert differing == [], {t: (len(expected["warehouse"][t]), len(got["warehouse"][t])) for t in differing}
    assert got["archive"] == expected["archive"]
    assert got["outbox"] == expected["outbox"]


@pytest.mark.postgres
def test_two_ingests_and_a_backfill_at_once_leave_no_duplicate(templates, province: Path, api: str, tmp_path: Path) -> None:
    """Both ingests read the same inbox while a backfill reloads what an earlier ingest stored."""
    reports = province / "reports"
    first_year = tmp_path / "first-year"
    first_year.mkdir()
    for path in reports.iterdir():
        if str(YEARS[0]) in path.name:
            shutil.copyfile(path, first_year / path.name)
    registry = ["--registry", str(province / "registry.csv")]
    with fresh_warehouse("postgresql", templates, tmp_path) as url:
        env = _setup(tmp_path / "account", url, api)
        run_to_end(["ingest", str(first_year), *registry], env, tmp_path)  # something to backfill
        started = time.monotonic()
        runs = [
            start(["ingest", str(reports), *registry, "--json"], env, tmp_path),
            start(["ingest", str(reports), *registry, "--json"], env, tmp_path),
            start(["backfill", "--json"], env, tmp_path),
        ]
        ended = [run.communicate(timeout=600) for run in runs]
        seconds = round(time.monotonic() - started, 1)
        codes = [run.returncode for run in runs]
        duplicates = count_duplicates(url)
        stored = warehouse_rows(url)["dim_submission"]
    record("concurrency-postgresql", {
        "section": "crash", "database": "postgresql", "what": "two ingests of the same inbox and a backfill at once",
        "files": len(list(reports.iterdir())), "exit_codes": codes, "seconds": seconds,
        "submissions": len(stored), "duplicates": duplicates,
    })
    for (_out, err), code in zip(ended, codes, strict=True):
        assert "Traceback" not in err and code in (0, 1), (code, err[-3000:])
    assert duplicates == {"submissions": 0, "facts": 0, "findings": 0, "outbox": 0}
    assert len(stored) == len({p.read_bytes() for p in reports.iterdir()})  # every distinct file, once


def _year_inbox(reports: Path, year: int, folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for path in reports.iterdir():
        if f"_{year}." in path.name:
            shutil.copyfile(path, folder / path.name)
    return folder


def test_killed_between_a_late_year_and_its_cascade_the_rerun_rechecks_the_next_year(
    templates, province: Path, api: str, tmp_path: Path
) -> None:
    later = _year_inbox(province / "reports", YEARS[1], tmp_path / "later")
    late = _year_inbox(province / "reports", YEARS[0], tmp_path / "late")
    chunks = -(-len(list(late.iterdir())) // CHUNK)
    registry = ["--registry", str(province / "registry.csv")]
    with fresh_warehouse("sqlite", templates, tmp_path) as clean_url, fresh_warehouse("sqlite", templates, tmp_path) as url:
        clean, crashed = _setup(tmp_path / "clean", clean_url, api), _setup(tmp_path / "crashed", url, api)
        for env in (clean, crashed):
            run_to_end(["ingest", str(later), *registry], env, tmp_path, codes=(0, 1, 2))
        run_to_end(["ingest", str(late), *registry], clean, tmp_path, codes=(0, 1, 2))
        run_and_kill(["ingest", str(late), *registry], crashed, tmp_path, Kill("chunk-committed", chunks))
        run_to_end(["ingest", str(late), *registry], crashed, tmp_path, codes=(0, 1, 2))
        expected, got = warehouse_rows(clean_url), warehouse_rows(url)
        assert outbox_rows(url) == outbox_rows(clean_url)
    assert {t for t in expected if expected[t] != got[t]} == set()
