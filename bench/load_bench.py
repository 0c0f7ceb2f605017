"""Facts per second loading synthetic reports into the warehouse: SQLite and PostgreSQL.

Run: `.venv/bin/python bench/load_bench.py [--reports 10000] [--chunk 500] [--postgres-url URL]`.
Reports are built in memory from the form catalogue (consistent random figures, 2019–2022, about
200 cells each) for a registry of reports/4 agencies, then loaded in chunks into a fresh, migrated
warehouse: a temporary SQLite file, and a throwaway database created on the PostgreSQL server at
`--postgres-url` (default: $XXGK_TEST_POSTGRES_URL; skipped with a note when neither is given).
Only the load is timed; building the reports and migrating are not.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from sqlalchemy import text  # noqa: E402

from tests.warehouse.builders import checked, make_report  # noqa: E402
from warehouse import migrate  # noqa: E402
from warehouse.engine import make_engine, normalise_url  # noqa: E402
from warehouse.loader import Loader  # noqa: E402
from warehouse.records import CheckedSubmission  # noqa: E402
from warehouse.registry import load_registry_rows  # noqa: E402
from warehouse.registry_file import RegistryRow  # noqa: E402

YEARS = (2019, 2020, 2021, 2022)


def registry(agencies: int) -> list[RegistryRow]:
    """A province of `agencies`: counties under cities, departments under counties."""
    rows = [RegistryRow("450000", "南川省人民政府", "province", "450000")]
    for i in range(agencies - 1):
        city, county, dept = i // 400 + 1, (i // 20) % 20 + 1, i % 20
        region = f"45{city:02d}{county + 1:02d}"
        if dept == 0:
            rows.append(RegistryRow(region, f"城{city}县{county}人民政府", "county", region, "450000"))
        else:
            rows.append(
                RegistryRow(
                    f"{region}-D{dept:02d}", f"城{city}县{county}第{dept}局", "department", region, region
                )
            )
    return rows


def corpus(reports: int) -> tuple[list[RegistryRow], list[CheckedSubmission]]:
    rows = registry(max(1, reports // len(YEARS)))
    subs = []
    for n in range(reports):
        agency = rows[n // len(YEARS) % len(rows)]
        year = YEARS[n % len(YEARS)]
        subs.append(checked(make_report(agency.name, year, entities=n % 7 == 0)))
    return rows, subs


def run(url: str, rows: list[RegistryRow], subs: list[CheckedSubmission], chunk: int) -> tuple[int, float]:
    engine = make_engine(url)
    try:
        migrate.upgrade(engine)
        with engine.begin() as conn:
            load_registry_rows(conn, rows, as_of=YEARS[0])
        started = time.perf_counter()
        results = Loader(engine, "bench").load(subs, chunk_size=chunk)
        elapsed = time.perf_counter() - started
        with engine.connect() as conn:
            facts = sum(
                conn.execute(text(f"SELECT COUNT(*) FROM {t}")).scalar_one()
                for t in ("fact_application", "fact_disclosure", "fact_review_litigation")
            )
        assert facts == sum(r.facts_written for r in results)
        return facts, elapsed
    finally:
        engine.dispose()


def postgres_database(server: str) -> tuple[str, object]:
    """A new empty database on the server; returns its URL and a function that drops it."""
    name = f"xxgk_bench_{uuid.uuid4().hex[:8]}"
    admin = make_engine(server, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))

    def drop() -> None:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()

    return normalise_url(server).set(database=name).render_as_string(hide_password=False), drop


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--reports", type=int, default=10000)
    parser.add_argument("--chunk", type=int, default=500)
    parser.add_argument("--postgres-url", default=os.environ.get("XXGK_TEST_POSTGRES_URL"))
    args = parser.parse_args()
    built = time.perf_counter()
    rows, subs = corpus(args.reports)
    print(
        f"built {len(subs)} reports for {len(rows)} agencies in {time.perf_counter() - built:.1f} s",
        file=sys.stderr,
    )
    print(f"{'database':<11} {'reports':>8} {'facts':>9} {'seconds':>8} {'facts/s':>9}")
    with tempfile.TemporaryDirectory() as tmp:
        facts, seconds = run(f"sqlite:///{tmp}/bench.sqlite", rows, subs, args.chunk)
        print(f"{'sqlite':<11} {len(subs):>8} {facts:>9} {seconds:>8.1f} {facts / seconds:>9.0f}", flush=True)
    if not args.postgres_url:
        print("postgresql: skipped (no --postgres-url and no XXGK_TEST_POSTGRES_URL)", file=sys.stderr)
        return
    url, drop = postgres_database(args.postgres_url)
    try:
        facts, seconds = run(url, rows, subs, args.chunk)
        print(
            f"{'postgresql':<11} {len(subs):>8} {facts:>9} {seconds:>8.1f} {facts / seconds:>9.0f}",
            flush=True,
        )
    finally:
        drop()  # type: ignore[operator]


if __name__ == "__main__":
    main()
