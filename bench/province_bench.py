"""The whole flow on a province, as a user runs it: `xxgk ingest` in a subprocess, end to end.

Run: `make bench`, or `.venv/bin/python bench/province_bench.py [--reports 10000] [--sizes 2500,40000]
[--postgres-url URL] [--naive 200] [--cache DIR]`.

In one run it prints:
1. the floor: read the bytes, unzip and lxml-parse a docx's document.xml, lxml-parse the html,
   decode the text; one core, every file of the province;
2. `xxgk ingest DIR --registry CSV --json` into a fresh SQLite warehouse (Prefect's start
   included): wall time, reports/s, peak RSS of the whole process tree, and per-stage times read
   from Prefect's own task-run records;
3. the same into a throwaway database on PostgreSQL;
4. the naive path (`bench/naive_path.py`) on a sample, per report;
5. `xxgk backfill` of every year and `xxgk aggregate` of one year, on the SQLite warehouse of 2;
6. the same ingest at the other sizes (time per report at each);
7. one line: `RESULT reports=… e2e_s=… rss_mb=… floor_ratio=… naive_ratio=… growth=…`.

Provinces are generated once with `xxgk synth … --seed 42` (about 6 reports per agency over
2019–2024, a tenth with a fault) and kept under `--cache` (default `~/.cache/xxgk-bench`).
Every measured command runs with its own XXGK_HOME; Prefect's home is one folder per bench run,
started once before the first measurement, so each figure includes a later start, not the first.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import re
import resource
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
import uuid
import zipfile
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PYTHON = sys.executable
#: agencies per 10,000 reports: the issue's province (1,700 agencies, 10,173 files over 2019–2024)
AGENCIES_PER_10K = 1_700
PAGE = os.sysconf("SC_PAGE_SIZE")


# ---------------------------------------------------------------- corpus


def province(reports: int, cache: Path) -> Path:
    """A generated province of about `reports` files (seed 42), made once and kept."""
    agencies = max(2, round(reports * AGENCIES_PER_10K / 10_000))
    out = cache / f"province-{agencies}"
    if not (out / "manifest.csv").exists():
        print(f"  generating {agencies} agencies into {out} …", flush=True)
        started = time.perf_counter()
        _xxgk(["synth", "--agencies", str(agencies), "--years", "2019-2024", "--formats", "docx,html,txt",
               "--fault-rate", "0.1", "--seed", "42", "--out", str(out), "--quiet"], env=os.environ.copy())
        print(f"  generated in {time.perf_counter() - started:.0f} s", flush=True)
    return out


def files_of(prov: Path) -> list[Path]:
    return sorted(p for p in (prov / "reports").iterdir() if p.is_file())


# ---------------------------------------------------------------- floor


def floor_seconds(files: list[Path]) -> float:
    """Seconds for the irreducible work on every file, one core."""
    from lxml import etree, html

    started = time.perf_counter()
    for path in files:
        data = path.read_bytes()
        if path.suffix == ".docx":
            with zipfile.ZipFile(io.BytesIO(data)) as z:
                etree.fromstring(z.read("word/document.xml"))
        elif path.suffix in (".html", ".htm"):
            html.fromstring(data)
        else:
            data.decode("utf-8", errors="replace")
    return time.perf_counter() - started


# ---------------------------------------------------------------- running the CLI


class TreeRss:
    """Peak resident memory of a process and all its descendants, sampled every 50 ms."""

    def __init__(self, pid: int) -> None:
        self.pid, self.peak, self._stop = pid, 0, threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _tree(self) -> list[int]:
        children: dict[int, list[int]] = {}
        for entry in os.listdir("/proc"):
            if not entry.isdigit():
                continue
            try:
                stat = Path(f"/proc/{entry}/stat").read_text()
            except OSError:
                continue
            ppid = int(stat.rsplit(")", 1)[1].split()[1])
            children.setdefault(ppid, []).append(int(entry))
        out, todo = [], [self.pid]
        while todo:
            pid = todo.pop()
            out.append(pid)
            todo.extend(children.get(pid, []))
        return out

    def _rss(self) -> int:
        total = 0
        for pid in self._tree():
            try:
                total += int(Path(f"/proc/{pid}/statm").read_text().split()[1]) * PAGE
            except (OSError, IndexError, ValueError):
                continue
        return total

    def _run(self) -> None:
        while not self._stop.is_set():
            self.peak = max(self.peak, self._rss())
            self._stop.wait(0.05)

    def stop(self) -> int:
        self._stop.set()
        self._thread.join()
        return self.peak


@dataclass
class Run:
    seconds: float
    rss_mb: float
    code: int
    #: user + system CPU seconds of the process tree (every descendant that was waited for)
    cpu: float
    #: the 1-minute load average when the command started (the machine is shared)
    load: float
    stdout: str
    stderr: str
    states: Counter = field(default_factory=Counter)


def _xxgk(args: list[str], env: dict[str, str], ok: tuple[int, ...] = (0,)) -> Run:
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    load = os.getloadavg()[0]
    started = time.perf_counter()
    proc = subprocess.Popen(
        [PYTHON, "-m", "flows.cli", *args], cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    rss = TreeRss(proc.pid)
    out, err = proc.communicate()
    seconds = time.perf_counter() - started
    peak = rss.stop()
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    if proc.returncode not in ok:
        sys.exit(f"xxgk {' '.join(args[:2])} … exited {proc.returncode}:\n{err[-3000:]}")
    return Run(seconds, peak / 2**20, proc.returncode, cpu, load, out, err)


def environment(home: Path, prefect_home: Path, warehouse: str | None = None) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("XXGK_", "PREFECT_API_URL"))}
    env.update(XXGK_HOME=str(home), PREFECT_HOME=str(prefect_home))
    if warehouse:
        env["XXGK_WAREHOUSE_URL"] = warehouse
    return env


def ingest(prov: Path, warehouse: str | None, prefect_home: Path, work: Path) -> tuple[Run, Path]:
    home = Path(tempfile.mkdtemp(prefix="home-", dir=work))
    env = environment(home, prefect_home, warehouse)
    run = _xxgk(["ingest", str(prov / "reports"), "--registry", str(prov / "registry.csv"), "--json"], env, ok=(0, 1, 2))
    run.states = Counter(json.loads(line)["state"] for line in run.stdout.splitlines() if line.startswith("{"))
    if not run.states:  # refused before reading anything (exit 2 is also "some file unreadable")
        sys.exit(f"xxgk ingest {prov} read nothing (exit {run.code}):\n{run.stderr[-3000:]}")
    return run, home


# ---------------------------------------------------------------- Prefect's records of the last run


def _when(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value) if value else None


def stage_times(prefect_home: Path) -> list[tuple[str, int, float, float]]:
    """(task, runs, busy seconds, wall span) of the latest flow run, from Prefect's own database."""
    db = prefect_home / "prefect.db"
    if not db.exists():
        return []
    with sqlite3.connect(f"file:{db}?mode=ro", uri=True) as conn:
        row = conn.execute("SELECT id FROM flow_run ORDER BY created DESC LIMIT 1").fetchone()
        if row is None:
            return []
        runs = conn.execute(
            "SELECT name, start_time, end_time FROM task_run WHERE flow_run_id = ?", (row[0],)
        ).fetchall()
    stages: dict[str, list[tuple[datetime, datetime]]] = {}
    for name, start, end in runs:
        began, ended = _when(start), _when(end)
        if began and ended:
            stages.setdefault(re.sub(r"-[0-9a-f]{3}$", "", name), []).append((began, ended))
    out = []
    for name, spans in stages.items():
        busy = sum((e - b).total_seconds() for b, e in spans)
        wall = (max(e for _, e in spans) - min(b for b, _ in spans)).total_seconds()
        out.append((name, len(spans), busy, wall))
    return sorted(out, key=lambda s: -s[3])


def print_run(title: str, run: Run, reports: int, prefect_home: Path) -> None:
    states = ", ".join(f"{k} {v}" for k, v in sorted(run.states.items()))
    print(f"{title}: {run.seconds:.1f} s, {reports / run.seconds:.0f} reports/s, "
          f"{1000 * run.seconds / reports:.2f} ms/report, CPU {run.cpu:.1f} s, peak RSS {run.rss_mb:.0f} MB "
          f"(exit {run.code}; {states}; load {run.load:.2f} at start)")
    for name, n, busy, wall in stage_times(prefect_home):
        print(f"    {name:<28} {n:>5} task runs  busy {busy:7.1f} s  span {wall:7.1f} s")


# ---------------------------------------------------------------- PostgreSQL


def postgres_database(server: str) -> tuple[str, callable]:
    """A throwaway database on the server: its URL and a function that drops it."""
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    admin = make_url(server).set(drivername="postgresql+psycopg")
    name = f"xxgk_bench_{uuid.uuid4().hex[:10]}"
    engine = create_engine(admin, isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))

    def drop() -> None:
        with engine.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        engine.dispose()

    return admin.set(database=name).render_as_string(hide_password=False), drop


# ---------------------------------------------------------------- the naive path


def naive(prov: Path, files: list[Path], count: int, prefect_home: Path, work: Path) -> float | None:
    """ms per report through `bench/naive_path.py` on the first `count` files in year order."""
    if count <= 0:
        return None
    sample = [str(p) for p in sorted(files, key=lambda p: (p.stem.rsplit("_", 1)[-1], p.name))[:count]]
    home = Path(tempfile.mkdtemp(prefix="naive-", dir=work))
    proc = subprocess.run(
        [PYTHON, str(ROOT / "bench" / "naive_path.py"), "--warehouse", f"sqlite:///{home / 'w.db'}",
         "--registry", str(prov / "registry.csv"), *sample],
        cwd=ROOT, env=environment(home, prefect_home), capture_output=True, text=True,
    )
    found = re.search(r"ms_per_report=([\d.]+)", proc.stdout)
    if proc.returncode or not found:
        sys.exit(f"naive path failed ({proc.returncode}):\n{proc.stderr[-3000:]}")
    return float(found.group(1))


# ---------------------------------------------------------------- the bench


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--reports", type=int, default=10_000, help="the main province's size")
    parser.add_argument("--sizes", default="2500,40000", help="other sizes for the growth figure ('' for none)")
    parser.add_argument("--naive", type=int, default=200, help="reports through the naive path (0: skip)")
    parser.add_argument("--no-postgres", action="store_true", help="skip the PostgreSQL ingest")
    parser.add_argument("--no-backfill", action="store_true", help="skip the backfill and the aggregation")
    parser.add_argument("--postgres-url", default=os.environ.get("XXGK_TEST_POSTGRES_URL"),
                        help="a PostgreSQL server to create a throwaway database on (default $XXGK_TEST_POSTGRES_URL)")
    parser.add_argument("--aggregate-year", type=int, default=2023)
    parser.add_argument("--cache", type=Path, default=Path.home() / ".cache" / "xxgk-bench")
    args = parser.parse_args()
    args.cache.mkdir(parents=True, exist_ok=True)
    sizes = [int(s) for s in args.sizes.split(",") if s.strip()]

    print(f"machine: {os.cpu_count()} cores, Python {sys.version.split()[0]}, {ROOT}")
    with tempfile.TemporaryDirectory(prefix="xxgk-bench-") as tmp:
        work = Path(tmp)
        prefect_home = work / "prefect"
        prov = province(args.reports, args.cache)
        files = files_of(prov)
        n = len(files)
        print(f"province: {n} files in {prov}")

        floor = floor_seconds(files)
        print(f"1. floor: {floor:.1f} s, {1000 * floor / n:.2f} ms/file (one core)")

        empty = work / "empty"
        empty.mkdir()
        first = _xxgk(["ingest", str(empty), "--json"], environment(work / "warm", prefect_home))
        print(f"   (Prefect's first start in a new PREFECT_HOME, an empty ingest: {first.seconds:.1f} s)")

        e2e, home = ingest(prov, None, prefect_home, work)
        print_run("2. ingest → SQLite", e2e, n, prefect_home)

        if args.postgres_url and not args.no_postgres:
            url, drop = postgres_database(args.postgres_url)
            try:
                pg, _ = ingest(prov, url, prefect_home, work)
                print_run("3. ingest → PostgreSQL", pg, n, prefect_home)
            finally:
                drop()
        else:
            print("3. ingest → PostgreSQL: skipped (no --postgres-url and no XXGK_TEST_POSTGRES_URL)")

        naive_ms = naive(prov, files, args.naive, prefect_home, work)
        if naive_ms is not None:
            print(f"4. naive path: {args.naive} reports, {naive_ms:.1f} ms/report "
                  f"(e2e above: {1000 * e2e.seconds / n:.2f} ms/report)")

        env = environment(home, prefect_home)
        if not args.no_backfill:
            backfill = _xxgk(["backfill", "--json"], env, ok=(0, 1, 2))
            print(f"5. backfill, every year: {backfill.seconds:.1f} s, peak RSS {backfill.rss_mb:.0f} MB")
            aggregate = _xxgk(["aggregate", "--year", str(args.aggregate_year)], env)
            print(f"   aggregate {args.aggregate_year}: {aggregate.seconds:.1f} s, peak RSS {aggregate.rss_mb:.0f} MB")
        per_report: dict[int, float] = {n: e2e.seconds / n}
        for size in sizes:
            other = province(size, args.cache)
            m = len(files_of(other))
            run, _ = ingest(other, None, prefect_home, work)
            per_report[m] = run.seconds / m
            print_run(f"6. ingest → SQLite at {m} files", run, m, prefect_home)
        small, large = min(per_report), max(per_report)
        growth = per_report[large] / per_report[small] if large != small else 1.0

        print(f"RESULT reports={n} e2e_s={e2e.seconds:.1f} rss_mb={e2e.rss_mb:.0f} "
              f"floor_ratio={e2e.seconds / floor:.2f} "
              f"naive_ratio={(naive_ms / (1000 * e2e.seconds / n)) if naive_ms else float('nan'):.1f} "
              f"growth={growth:.2f}")


if __name__ == "__main__":
    main()
