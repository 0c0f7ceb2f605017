"""Killing `xxgk` on purpose and comparing what it left with an uninterrupted run.

A run is `xxgk ingest` in a subprocess of its own session (its children die with it). A kill is
placed with `XXGK_PAUSE_AT` (warehouse/crash_points.py): the process writes a marker at the named
point and waits there, and the test sends SIGKILL to its whole process group.

What two runs are compared on, surrogate keys and times left out (a rolled-back chunk uses up
PostgreSQL sequence numbers; times differ from run to run):
- the warehouse: every row of the registry, submission, fact and finding tables, with each
  submission key replaced by the file's sha256;
- the archive: the set of sha256 of the stored files;
- the outbox: each row's (agency, year, state, hash of its content without the submission key);
- the mail folder: the same (recipient, subject) mails, each as often as in the uninterrupted run.
"""

from __future__ import annotations

import hashlib
import json
import os
import signal
import subprocess
import time
import urllib.request
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from email import policy
from email.parser import BytesParser
from pathlib import Path

from sqlalchemy import DateTime, Integer, func, select

from tests.flows.clirun import XXGK, free_port
from warehouse.engine import engine_scope
from warehouse.schema import Base

#: the tables a load writes that must end identical (load_audit differs by design: a killed
#: chunk leaves its trace)
COMPARED = (
    "agency", "dim_agency", "agency_alias", "dim_submission", "fact_application", "fact_disclosure",
    "fact_review_litigation", "fact_finding", "submission_revision",
)
#: columns naming a submission by its key
SUBMISSION_COLUMNS = ("submission_key", "superseded_by")


@contextmanager
def prefect_server(home: Path) -> Iterator[str]:
    """A `prefect server start` on a free port for all the runs of a test module; its API URL.

    One server instead of each run starting Prefect's temporary one (17-31 s each here)."""
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("PREFECT_")}
    env.update(PREFECT_HOME=str(home), PREFECT_SERVER_ANALYTICS_ENABLED="false", DO_NOT_TRACK="1",
               PREFECT_LOGGING_LEVEL="WARNING", PREFECT_SERVER_LOGGING_LEVEL="WARNING")
    log = (home / "server.log").open("w")
    server = subprocess.Popen(
        [str(XXGK.with_name("prefect")), "server", "start", "--host", "127.0.0.1", "--port", str(port)],
        env=env, stdout=log, stderr=subprocess.STDOUT, cwd=home, start_new_session=True,
    )
    url = f"http://127.0.0.1:{port}/api"
    try:
        deadline = time.monotonic() + 180
        while True:
            try:
                with urllib.request.urlopen(f"{url}/health", timeout=2) as r:
                    if r.status == 200:
                        break
            except OSError:
                pass
            if server.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"prefect server did not start: {(home / 'server.log').read_text()[-2000:]}")
            time.sleep(0.5)
        yield url
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait()
        log.close()


def start(args: list[str], env: dict[str, str], cwd: Path, **extra: str) -> subprocess.Popen:
    """`xxgk ARGS` in a session of its own (so its process group can be killed whole)."""
    return subprocess.Popen(
        [str(XXGK), *args], env={**env, **extra}, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
        text=True, start_new_session=True,
    )


@dataclass
class Kill:
    point: str
    #: the n-th time the process reaches it
    nth: int
    #: seconds from the start to the kill
    after: float = 0.0


def run_and_kill(args: list[str], env: dict[str, str], cwd: Path, kill: Kill, timeout: float = 300) -> None:
    """Run until the process reaches `kill.point` for the `kill.nth` time, then SIGKILL its group.

    Fails when the run ends (or hangs) without reaching it: a kill point that never comes
    would make the test prove nothing."""
    marker = cwd / f"paused-{kill.point}-{kill.nth}"
    marker.unlink(missing_ok=True)
    started = time.monotonic()
    proc = start(args, env, cwd, XXGK_PAUSE_AT=f"{kill.point}:{kill.nth}", XXGK_PAUSE_MARKER=str(marker))
    while not marker.exists():
        if proc.poll() is not None:
            out, err = proc.communicate()
            raise AssertionError(f"the run ended (code {proc.returncode}) before {kill.point}:{kill.nth}\n{err[-3000:]}")
        if time.monotonic() - started > timeout:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.communicate()
            raise AssertionError(f"{kill.point}:{kill.nth} not reached within {timeout} s")
        time.sleep(0.05)
    kill.after = round(time.monotonic() - started, 2)
    os.killpg(proc.pid, signal.SIGKILL)
    proc.communicate()
    assert proc.returncode == -signal.SIGKILL


def run_to_end(
    args: list[str], env: dict[str, str], cwd: Path, timeout: float = 600, codes: tuple[int, ...] = (0, 1)
) -> subprocess.CompletedProcess:
    return finish(start(args, env, cwd), timeout, codes)


def finish(proc: subprocess.Popen, timeout: float = 600, codes: tuple[int, ...] = (0, 1)) -> subprocess.CompletedProcess:
    """Wait for a run `start` began; it must end as a run does (0, or 1: some rejected; `codes`),
    without a traceback."""
    try:
        out, err = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        raise
    assert "Traceback" not in err, err[-3000:]
    assert proc.returncode in codes, f"code {proc.returncode}\n{err[-3000:]}"
    return subprocess.CompletedProcess(proc.args, proc.returncode, out, err)


def record(name: str, data: dict) -> None:
    """Write a test's figures to `$XXGK_RELIABILITY_OUT/<name>.json` when that is set (RELIABILITY.md)."""
    out = os.environ.get("XXGK_RELIABILITY_OUT")
    if out:
        Path(out).mkdir(parents=True, exist_ok=True)
        (Path(out) / f"{name}.json").write_text(json.dumps(data, ensure_ascii=False, indent=1), encoding="utf-8")


def _canonical(value: object) -> str:
    if isinstance(value, float):
        return repr(round(value, 6))
    return "" if value is None else str(value)


def warehouse_rows(url: str) -> dict[str, list[str]]:
    """Each compared table's rows, sorted, with submission keys as sha256 and no surrogate keys or times."""
    with engine_scope(url) as engine, engine.connect() as conn:
        s = Base.metadata.tables["dim_submission"].c
        sha = {k: h for k, h in conn.execute(select(s.submission_key, s.sha256))}
        out: dict[str, list[str]] = {}
        for name in COMPARED:
            table = Base.metadata.tables[name]
            kept = [
                c for c in table.c
                if c.name in SUBMISSION_COLUMNS
                or not (isinstance(c.type, DateTime) or (c.name.endswith("_key") and isinstance(c.type, Integer)))
            ]
            rows = []
            for row in conn.execute(select(*kept)):
                values = [sha.get(v, f"?{v}") if c.name in SUBMISSION_COLUMNS and v is not None else v
                          for c, v in zip(kept, row, strict=True)]
                rows.append("\x1f".join(_canonical(v) for v in values))
            out[name] = sorted(rows)
        return out


def content_hash(content: str) -> str:
    """A mail's content hash without its submission key (keys differ between runs, see above)."""
    data = json.loads(content)
    data.pop("submission_key", None)
    return hashlib.sha256(json.dumps(data, ensure_ascii=False, sort_keys=True).encode()).hexdigest()


def outbox_rows(url: str) -> Counter:
    """(agency, year, state, content hash) of every outbox row, counted."""
    with engine_scope(url) as engine, engine.connect() as conn:
        o = Base.metadata.tables["outbox"].c
        rows = conn.execute(select(o.agency_id, o.year, o.state, o.content))
        return Counter((r.agency_id, r.year, r.state, content_hash(r.content)) for r in rows)


def archived(folder: Path) -> set[str]:
    """The sha256 of every file in the raw archive (stored under its hash)."""
    return {p.name.split(".")[0] for p in folder.rglob("*") if p.is_file() and not p.name.endswith(".part")}


def mails(folder: Path) -> Counter:
    """The mails handed over, as (recipient, subject), counted: a mail written twice under two
    names, or not at all, shows here (one name is one outbox row; rewriting it is idempotent)."""
    out: Counter = Counter()
    for path in folder.glob("*.eml"):
        msg = BytesParser(policy=policy.default).parse(path.open("rb"))
        out[(str(msg["To"]), str(msg["Subject"]))] += 1
    return out


def count_duplicates(url: str) -> dict[str, int]:
    """Rows that repeat what another row holds: the same file, fact cell, finding or mail twice."""
    grains = {
        "submissions": ("dim_submission", ("sha256",)),
        "facts": None,
        "findings": ("fact_finding", ("submission_key", "finding_no", "cell")),
        "outbox": ("outbox", ("submission_key", "content_hash")),
    }
    out: dict[str, int] = {}
    with engine_scope(url) as engine, engine.connect() as conn:
        for name, grain in grains.items():
            if grain is None:
                continue
            table = Base.metadata.tables[grain[0]]
            cols = [table.c[c] for c in grain[1]]
            repeated = select(func.count().label("n")).select_from(table).group_by(*cols).having(func.count() > 1).subquery()
            out[name] = conn.execute(select(func.coalesce(func.sum(repeated.c.n - 1), 0))).scalar_one()
        facts = 0
        for name in ("fact_application", "fact_disclosure", "fact_review_litigation"):
            table = Base.metadata.tables[name]
            cols = list(table.primary_key.columns)  # the fact grain
            repeated = select(func.count().label("n")).select_from(table).group_by(*cols).having(func.count() > 1).subquery()
            facts += conn.execute(select(func.coalesce(func.sum(repeated.c.n - 1), 0))).scalar_one()
        out["facts"] = facts
        o = Base.metadata.tables["outbox"].c  # the same content for the same agency and year, twice and live
        live = o.state.not_in(("superseded",))
        repeated = (
            select(func.count().label("n")).where(live, o.kind == "quality")
            .group_by(o.agency_id, o.year, o.content_hash).having(func.count() > 1).subquery()
        )
        out["outbox"] += conn.execute(select(func.coalesce(func.sum(repeated.c.n - 1), 0))).scalar_one()
    return {k: int(v) for k, v in out.items()}
