"""Infrastructure failures say what failed: exit 3 and one line naming the resource (the
warehouse, a full disk, the archive), never a traceback unless --debug, before the run and while
it runs; a value the database refuses is not infrastructure (issue 14 §7)."""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
import time
import uuid
from collections.abc import Callable, Iterator
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from flows.errors import EXIT_INFRASTRUCTURE, EXIT_INTERNAL, ErrorContext, explain, stops_the_run
from synth.province import generate
from tests.flows.clirun import XXGK, fresh_env, without_write_permission
from warehouse.archive import RawArchive

#: every ingest below reads this many reports, 10 a chunk: a dozen chunks, the first loaded
#: well before the last
AGENCIES, YEARS, CHUNK = 20, range(2020, 2025), "10"


def _raised(action: Callable[[], object]) -> BaseException:
    try:
        action()
    except BaseException as exc:
        return exc
    raise AssertionError("nothing was raised")


@pytest.fixture
def tmpfs(tmp_path: Path) -> Callable[[str], Path]:
    """A tiny file system of its own (a full disk for real); skipped where mounting is not allowed."""
    mounted: list[Path] = []

    def mount(size: str) -> Path:
        folder = tmp_path / f"tmpfs{len(mounted)}"
        folder.mkdir()
        if os.geteuid() != 0 or shutil.which("mount") is None:
            pytest.skip("a full disk needs a tmpfs mount, which needs root")
        done = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(folder)], capture_output=True)
        if done.returncode:
            pytest.skip(f"mounting a tmpfs is not permitted here: {done.stderr.decode().strip()}")
        mounted.append(folder)
        return folder

    yield mount
    for folder in mounted:
        subprocess.run(["umount", "-l", str(folder)], capture_output=True)


# --- what is infrastructure: real errors from the real libraries -------------------------------


def test_a_read_only_sqlite_warehouse_is_infrastructure(tmp_path: Path) -> None:
    path = tmp_path / "w.sqlite"
    with sqlite3.connect(path) as db:
        db.execute("create table t (x int)")
    url = f"sqlite:///file:{path}?mode=ro&uri=true"
    engine = create_engine(url)

    def write() -> None:
        with engine.begin() as conn:
            conn.execute(text("insert into t values (1)"))

    error = explain(_raised(write), ErrorContext(warehouse_url=url))
    assert error.code == EXIT_INFRASTRUCTURE
    assert error.line.startswith("xxgk: warehouse sqlite:///file")
    assert error.line.endswith(": attempt to write a readonly database")
    assert stops_the_run(_raised(write))


def test_a_value_the_database_refuses_is_not_infrastructure(tmp_path: Path) -> None:
    """A broken constraint is the statement's fault (a bug), not the warehouse's: the run goes on."""
    engine = create_engine(f"sqlite:///{tmp_path / 'w.sqlite'}")
    with engine.begin() as conn:
        conn.execute(text("create table t (x int primary key)"))
        conn.execute(text("insert into t values (1)"))

    def duplicate() -> None:
        with engine.begin() as conn:
            conn.execute(text("insert into t values (1)"))

    exc = _raised(duplicate)
    error = explain(exc)
    assert error.code == EXIT_INTERNAL and "refused a statement: UNIQUE constraint failed" in error.line
    assert not stops_the_run(exc)


@pytest.mark.postgres
def test_a_number_too_large_for_postgresql_is_not_infrastructure(pg_server: str | None) -> None:
    """The issue's fee of 1e30 万元 (NumericValueOutOfRange) fails its chunk, not the run."""
    if pg_server is None:
        pytest.skip("no PostgreSQL server")
    engine = create_engine(make_url(pg_server).set(drivername="postgresql+psycopg"))

    def too_large() -> None:
        with engine.connect() as conn:
            conn.execute(text("select cast(:v as numeric(14, 4))"), {"v": Decimal("1e30")})

    exc = _raised(too_large)
    engine.dispose()
    assert "NumericValueOutOfRange" in str(exc)
    assert explain(exc).code == EXIT_INTERNAL and not stops_the_run(exc)


def test_a_full_archive_is_named_and_keeps_no_partial_file(tmpfs) -> None:
    full = tmpfs("64k")
    archive = RawArchive(full / "archive")
    exc = _raised(lambda: [archive.put(os.urandom(20_000)) for _ in range(10)])
    assert isinstance(exc, OSError) and exc.filename
    error = explain(exc, ErrorContext(home=full, folders={"archive": full / "archive"}))
    assert error.code == EXIT_INFRASTRUCTURE
    assert error.line.startswith(f"xxgk: archive {full / 'archive'}: no space left on device (")
    assert not list(full.rglob("*.partial"))
    assert stops_the_run(exc)


# --- the command line, in a subprocess as a user runs it ---------------------------------------


@pytest.fixture(scope="module")
def province(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("province")
    generate(folder, AGENCIES, YEARS, ("txt",), 0.0, seed=14)
    return folder


@pytest.fixture(scope="module")
def prefect_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One PREFECT_HOME for the module: Prefect's first start (its database) is paid once."""
    return tmp_path_factory.mktemp("prefect")


def _start(province: Path, env: dict[str, str], cwd: Path, prefix: list[str], *extra: str) -> subprocess.Popen:
    args = ["ingest", str(province / "reports"), "--registry", str(province / "registry.csv"), "--chunk-size", CHUNK]
    return subprocess.Popen(
        [*prefix, str(XXGK), *args, *extra], env=env, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )


def _when(condition: Callable[[], bool], process: subprocess.Popen, timeout: float = 400) -> None:
    """Wait until `condition` holds while the ingest runs (it must not finish first)."""
    deadline = time.monotonic() + timeout
    while not condition():
        assert process.poll() is None, f"the ingest ended before the fault: {process.communicate()}"
        assert time.monotonic() < deadline, "the ingest loaded nothing in time"
        time.sleep(0.2)


def _finish(process: subprocess.Popen) -> tuple[int, list[str], list[str]]:
    out, err = process.communicate(timeout=600)
    return process.returncode, out.splitlines(), err.splitlines()


def _sqlite_loads(path: Path) -> Callable[[], bool]:
    def loaded() -> bool:
        try:
            with sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=0.1) as db:
                return db.execute("select count(*) from load_audit").fetchone()[0] > 0
        except sqlite3.Error:
            return False

    return loaded


def _one_line(code: int, out: list[str], err: list[str], start: str) -> None:
    """Exit 3, and the failure in one line and its hint: nothing else on stderr or stdout."""
    assert code == EXIT_INFRASTRUCTURE, "\n".join(err)
    assert len(err) == 2, "\n".join(err)
    assert err[0].startswith(start), err[0]
    assert err[1].startswith("xxgk: hint: ")
    assert out == [], out[:5]


@pytest.mark.slow
def test_a_sqlite_warehouse_made_read_only_while_ingest_runs(province: Path, prefect_home: Path, tmp_path: Path) -> None:
    prefix = without_write_permission()
    if prefix is None:
        pytest.skip("running as root without setpriv: file permissions cannot be made to hold")
    home = tmp_path / "xxgk-data"
    env = fresh_env(tmp_path, PREFECT_HOME=str(prefect_home), XXGK_WORKERS="1")
    process = _start(province, env, tmp_path, prefix)
    database = home / "warehouse.sqlite"
    try:
        _when(_sqlite_loads(database), process)
        database.chmod(0o444)
        home.chmod(0o555)  # no journal beside it either
        code, out, err = _finish(process)
    finally:
        home.chmod(0o755)
        process.kill()
    _one_line(code, out, err, f"xxgk: warehouse sqlite:///{database.resolve()}: attempt to write a readonly database")


@pytest.mark.slow
def test_a_full_disk_under_the_warehouse_while_ingest_runs(province: Path, prefect_home: Path, tmp_path: Path, tmpfs) -> None:
    """SQLite on a 1.5 MB file system: the schema and the first chunks fit, a later chunk does not."""
    disk = tmpfs("1536k")
    url = f"sqlite:///{disk / 'warehouse.sqlite'}"
    env = fresh_env(tmp_path, PREFECT_HOME=str(prefect_home), XXGK_WORKERS="1", XXGK_WAREHOUSE_URL=url)
    process = _start(province, env, tmp_path, [], "--json")
    try:
        code, out, err = _finish(process)
    finally:
        process.kill()
    _one_line(code, out, err, f"xxgk: warehouse {url}: database or disk is full")
    with sqlite3.connect(disk / "warehouse.sqlite") as db:  # it did load before the disk filled
        assert db.execute("select count(*) from load_audit").fetchone()[0] > 0


@pytest.mark.slow
def test_a_full_disk_under_the_archive(province: Path, prefect_home: Path, tmp_path: Path, tmpfs) -> None:
    disk = tmpfs("64k")
    env = fresh_env(tmp_path, PREFECT_HOME=str(prefect_home), XXGK_WORKERS="1", XXGK_ARCHIVE_URL=str(disk))
    code, out, err = _finish(_start(province, env, tmp_path, []))
    _one_line(code, out, err, f"xxgk: archive {disk}: no space left on device (")


@pytest.fixture
def pg_database(pg_server: str | None) -> Iterator[tuple[str, Callable[[], None], Callable[[], None]]]:
    """A new, migrated PostgreSQL warehouse; how to take it away (its sessions ended and the
    database renamed, as an operator would) and to give it back."""
    if pg_server is None:
        pytest.skip("no PostgreSQL server")
    from warehouse import migrate

    name = f"xxgk_test_{uuid.uuid4().hex[:10]}"
    admin = create_engine(make_url(pg_server).set(drivername="postgresql+psycopg"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    url = make_url(pg_server).set(database=name).render_as_string(hide_password=False)
    migrate.upgrade(url)

    def away() -> None:
        with admin.connect() as conn:
            conn.execute(text(f"SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '{name}'"))
            conn.execute(text(f'ALTER DATABASE "{name}" RENAME TO "{name}_away"'))

    def back() -> None:
        with admin.connect() as conn:
            conn.execute(text(f'ALTER DATABASE "{name}_away" RENAME TO "{name}"'))

    yield url, away, back
    with admin.connect() as conn:
        for db in (name, f"{name}_away"):
            conn.execute(text(f'DROP DATABASE IF EXISTS "{db}" WITH (FORCE)'))
    admin.dispose()


@pytest.mark.slow
@pytest.mark.postgres
def test_a_postgresql_warehouse_taken_away_while_ingest_runs(
    province: Path, prefect_home: Path, tmp_path: Path, pg_database
) -> None:
    url, away, back = pg_database
    env = fresh_env(tmp_path, PREFECT_HOME=str(prefect_home), XXGK_WORKERS="1", XXGK_WAREHOUSE_URL=url)
    process = _start(province, env, tmp_path, [], "--json")
    engine = create_engine(make_url(url).set(drivername="postgresql+psycopg"))

    def loaded() -> bool:
        with engine.connect() as conn:
            return bool(conn.execute(text("select count(*) from load_audit")).scalar())

    try:
        _when(loaded, process)
        engine.dispose()
        away()
        code, out, err = _finish(process)
    finally:
        process.kill()
    _one_line(code, out, err, f"xxgk: warehouse {make_url(url).render_as_string()}: ")
    assert "does not exist" in err[0] or "terminat" in err[0] or "connection" in err[0], err[0]

    back()  # once it is back, the same ingest loads what is left
    code, out, err = _finish(_start(province, env, tmp_path, [], "--json"))
    assert code == 0, "\n".join(err)
    states = {json.loads(line)["state"] for line in out}
    assert len(out) == len(list((province / "reports").iterdir())) and states <= {"loaded", "unchanged"}, states
