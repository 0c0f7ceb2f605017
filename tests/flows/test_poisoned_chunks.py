"""Issue 14's acceptance for isolation: one poisoned report per chunk, and only it fails.

A generated province is ingested in chunks of 5 with one poisoned report in every chunk, of two
kinds in turn:

* a fee of 1e30 万元, which overflowed NUMERIC on PostgreSQL before: now a `values.domain`
  finding, so the report is rejected with the cell named and its chunk loads;
* a report the warehouse itself refuses: a trigger on dim_submission raising "numeric value out
  of range" for its path, a real failing store in the real database (no Python stand-in), as
  happens with a value the checks let through. Its chunk is halved down to it: it alone ends
  `failed` with the database's reason, every other report of its chunk loads.

The backfill's reload takes the same path: a trigger refusing updates of one stored report per
reload chunk leaves only those reports failed, and every other reload applies.
"""

from __future__ import annotations

import os
import time
from datetime import UTC, datetime
from pathlib import Path
from types import SimpleNamespace

import pytest
from sqlalchemy import text

from connectors.reading import reading_of
from flows.batches import by_year, targets_by_year
from synth.province import generate
from warehouse.backfill import backfill_targets
from warehouse.engine import engine_scope

pytestmark = pytest.mark.slow

CHUNK = 5
REFUSAL = "numeric value out of range (poison)"
FEE = "t2.fees.amount"


def _refuse(conn, dialect: str, event: str, marker: str) -> None:
    """A trigger refusing `event` (INSERT or UPDATE) of dim_submission rows whose path holds `marker`."""
    if dialect == "sqlite":
        conn.execute(text(
            f"CREATE TRIGGER refuse_{event.lower()} BEFORE {event} ON dim_submission "
            f"WHEN NEW.path LIKE '%{marker}%' BEGIN SELECT RAISE(ABORT, '{REFUSAL}'); END"
        ))
        return
    conn.execute(text(
        f"CREATE FUNCTION refuse_{event.lower()}() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
        f"RAISE EXCEPTION '{REFUSAL}' USING ERRCODE = 'numeric_value_out_of_range'; END $$"
    ))
    conn.execute(text(
        f"CREATE TRIGGER refuse_{event.lower()} BEFORE {event} ON dim_submission FOR EACH ROW "
        f"WHEN (NEW.path LIKE '%{marker}%') EXECUTE FUNCTION refuse_{event.lower()}()"
    ))


def _fee_of_1e30(path: Path) -> bool:
    """Print the report's fee (万元) as 1 followed by 30 zeros; False when it prints no fee to change."""
    fee = reading_of(path.read_bytes(), str(path)).report.cells.get(FEE)
    content = path.read_bytes()  # UTF-8 or GB18030: the digits are the same bytes in both
    printed = f"\t{fee}\n".encode("ascii")
    if fee is None or content.count(printed) != 1:
        return False
    path.write_bytes(content.replace(printed, b"\t1" + b"0" * 30 + b"\n"))
    return True


def _poison(reports: Path) -> tuple[set[str], set[str]]:
    """One report per chunk of 5 poisoned (the flow's chunks: per year, in path order, every file
    arriving at the same time), the kinds in turn; (names refused by the store, names with the fee)."""
    by_year: dict[int, list[Path]] = {}
    for path in sorted(reports.iterdir()):
        by_year.setdefault(reading_of(path.read_bytes(), str(path)).report.year, []).append(path)
    refused, fees = set(), set()
    n = 0
    for year in sorted(by_year):
        files = by_year[year]
        for start in range(0, len(files), CHUNK):
            chunk = files[start : start + CHUNK]
            victim = chunk[min(2, len(chunk) - 1)]
            if n % 2 == 1:
                victim = next((p for p in chunk if _fee_of_1e30(p)), None)
                assert victim is not None, f"no report of {year} prints a fee"
                fees.add(victim.name)
            else:
                renamed = victim.with_name(victim.stem + "-poison" + victim.suffix)
                victim.rename(renamed)
                refused.add(renamed.name)
            n += 1
    for path in reports.iterdir():  # one arrival time: chunks follow the path order
        os.utime(path, (1_700_000_000, 1_700_000_000))
    return refused, fees


@pytest.fixture
def poisoned(tmp_path: Path) -> tuple[Path, set[str], set[str]]:
    out = tmp_path / "province"
    generate(out, 14, range(2021, 2023), ("txt",), 0.0, seed=5)
    refused, fees = _poison(out / "reports")
    # the flow's own chunking puts exactly one poisoned report in each chunk
    files = [
        SimpleNamespace(path=str(f), received_at=datetime.fromtimestamp(f.stat().st_mtime, UTC),
                        year=reading_of(f.read_bytes(), str(f)).report.year)
        for f in (out / "reports").iterdir()
    ]
    for chunk in by_year(files, CHUNK):
        assert sum(Path(f.path).name in refused | fees for f in chunk) == 1
    return out, refused, fees


def test_one_poisoned_report_per_chunk_fails_alone(prefect_api, warehouse_url, poisoned, tmp_path) -> None:
    from flows.backfill import backfill
    from flows.ingest import ingest

    province, refused, fees = poisoned
    dialect = "sqlite" if warehouse_url.startswith("sqlite") else "postgresql"
    with engine_scope(warehouse_url) as engine, engine.begin() as conn:
        _refuse(conn, dialect, "INSERT", "-poison")
    archive = tmp_path / "archive"
    clock = time.perf_counter()
    summary = ingest(
        inbox=[str(province / "reports")],
        registry=str(province / "registry.csv"),
        chunk_size=CHUNK,
        warehouse_url=warehouse_url,
        archive_url=str(archive),
        outbox_dir=str(tmp_path / "outbox"),
    )
    seconds = time.perf_counter() - clock
    by_name = {Path(f.source.path).name: f for f in summary.files}
    total = len(list((province / "reports").iterdir()))
    assert len(by_name) == total and len(refused) >= 3 and len(fees) >= 3

    for name in refused:
        assert by_name[name].state == "failed", name
        assert by_name[name].reason.startswith("could not be loaded: ") and REFUSAL in by_name[name].reason
    for name in fees:
        assert by_name[name].state == "rejected", name
    others = {n: f.state for n, f in by_name.items() if n not in refused | fees}
    assert set(others.values()) == {"loaded"}, others

    with engine_scope(warehouse_url) as engine, engine.connect() as conn:
        domain = set(conn.execute(text(
            "SELECT s.path FROM fact_finding f JOIN dim_submission s USING (submission_key) "
            "WHERE f.rule_id = 'values.domain' AND f.cell = :cell"
        ), {"cell": FEE}).scalars())
        numbers = list(conn.execute(text(
            "SELECT chunk_no FROM load_audit WHERE run_id = :run AND mode = 'load'"
        ), {"run": summary.run_id}).scalars())
    assert {Path(p).name for p in domain} == fees
    assert len(numbers) == len(set(numbers))  # every load attempt has its own number
    print(f"\n{dialect}: {total} files in chunks of {CHUNK}, {len(refused)} refused, {len(fees)} fees: {seconds:.1f} s")

    # the reload takes the same path: one stored report per reload chunk refused
    with engine_scope(warehouse_url) as engine, engine.begin() as conn:
        chunks = list(targets_by_year(backfill_targets(conn, None, None, None), CHUNK))
        victims = {chunk[len(chunk) // 2].submission_key for chunk in chunks}
        conn.execute(text("UPDATE dim_submission SET path = path || '#victim' WHERE submission_key = :k"),
                     [{"k": k} for k in victims])
        # a stale name on every stored report, so every reload rewrites its row
        conn.execute(text("UPDATE dim_submission SET printed_agency = printed_agency || '#stale'"))
        _refuse(conn, dialect, "UPDATE", "#victim")
    clock = time.perf_counter()
    refill = backfill(chunk_size=CHUNK, warehouse_url=warehouse_url, archive_url=str(archive))
    seconds = time.perf_counter() - clock
    with engine_scope(warehouse_url) as engine, engine.connect() as conn:
        stale = dict(conn.execute(text(
            "SELECT submission_key, path FROM dim_submission WHERE printed_agency LIKE '%#stale'"
        )).all())
    assert set(stale) == victims  # every other reload applied
    assert sorted(f.source.path for f in refill.failed) == sorted(stale.values())
    assert all(f.reason.startswith("could not be reloaded: ") and REFUSAL in f.reason for f in refill.failed)
    print(f"{dialect}: backfill of {sum(len(c) for c in chunks)} in {len(chunks)} chunks, "
          f"{len(victims)} refused: {seconds:.1f} s")
