"""Warehouses for tests: SQLite and a real PostgreSQL server, each test in a fresh database.

A pytest plugin (tests/conftest.py loads it) so warehouse and flow tests share one server.

PostgreSQL comes from XXGK_TEST_POSTGRES_URL (a server the tests may create and drop databases
on; CI always sets it). Without it, a throwaway server is started from the installed PostgreSQL
binaries (initdb + pg_ctl in a temporary folder on a free port, as the `postgres` user when
running as root); when that is impossible the PostgreSQL half of each test is skipped, saying
why — except under CI (`CI` set), where it fails instead: PostgreSQL is never skipped silently.

Each test gets its own database cloned from a migrated template (a file copy for SQLite,
`CREATE DATABASE … TEMPLATE` for PostgreSQL), so no test sees another's rows.
"""

from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import tempfile
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import OperationalError

from warehouse import migrate
from warehouse.engine import make_engine, normalise_url

DIALECTS = ("sqlite", "postgresql")


class _Unavailable(Exception):
    pass


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _throwaway_server(stack: list[tuple[str, Path, list[str]]]) -> str:
    """Start a private PostgreSQL on 127.0.0.1; its stop command is pushed on `stack`."""
    binaries = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb")) + [shutil.which("initdb") or ""]
    initdb = next((b for b in reversed(binaries) if b and os.access(b, os.X_OK)), None)
    if initdb is None:
        raise _Unavailable("no XXGK_TEST_POSTGRES_URL and no PostgreSQL binaries (initdb) installed")
    pg_ctl = str(Path(initdb).with_name("pg_ctl"))
    prefix: list[str] = []
    if os.geteuid() == 0:
        runuser = shutil.which("runuser")
        try:
            import pwd

            pwd.getpwnam("postgres")
        except KeyError as exc:
            raise _Unavailable("running as root and there is no `postgres` user to run initdb as") from exc
        if runuser is None:
            raise _Unavailable("running as root and runuser is missing, so initdb cannot run")
        prefix = [runuser, "-u", "postgres", "--"]
    folder = Path(tempfile.mkdtemp(prefix="xxgk-pg-"))
    if prefix:
        shutil.chown(folder, "postgres")
    data, port = folder / "data", _free_port()
    try:
        subprocess.run(
            [*prefix, initdb, "-D", str(data), "-A", "trust", "-U", "postgres", "-E", "UTF8"],
            check=True,
            capture_output=True,
        )
        options = f"-p {port} -k {folder} -c listen_addresses=127.0.0.1 -c fsync=off"
        subprocess.run(
            [*prefix, pg_ctl, "-D", str(data), "-o", options, "-l", str(folder / "log"), "-w", "start"],
            check=True,
            capture_output=True,
        )
    except (OSError, subprocess.CalledProcessError) as exc:
        shutil.rmtree(folder, ignore_errors=True)
        detail = (
            exc.stderr.decode(errors="replace")[-300:]
            if isinstance(exc, subprocess.CalledProcessError)
            else str(exc)
        )
        raise _Unavailable(f"could not start a throwaway PostgreSQL: {detail}") from exc
    stack.append((pg_ctl, data, prefix))
    return f"postgresql://postgres@127.0.0.1:{port}/postgres"


@pytest.fixture(scope="session")
def pg_server() -> Iterator[str | None]:
    """An admin URL of a PostgreSQL server, or None (with the reason in `_PG_SKIP`) outside CI."""
    stack: list[tuple[str, Path, list[str]]] = []
    url = os.environ.get("XXGK_TEST_POSTGRES_URL")
    try:
        if not url:
            url = _throwaway_server(stack)
        engine = make_engine(url, isolation_level="AUTOCOMMIT")
        deadline = time.monotonic() + 15
        while True:
            try:
                with engine.connect() as conn:
                    conn.execute(text("SELECT 1"))
                break
            except Exception as exc:
                if time.monotonic() > deadline:
                    raise _Unavailable(
                        f"PostgreSQL at {make_url(url).render_as_string()} does not answer: {exc}"
                    ) from exc
                time.sleep(0.3)
        engine.dispose()
    except _Unavailable as exc:
        if os.environ.get("CI") or os.environ.get("XXGK_TEST_POSTGRES_URL"):
            pytest.fail(f"PostgreSQL is required here: {exc}")
        _PG_SKIP.append(str(exc))
        url = None
    yield url
    for pg_ctl, data, prefix in stack:
        subprocess.run([*prefix, pg_ctl, "-D", str(data), "-m", "immediate", "stop"], capture_output=True)
        shutil.rmtree(data.parent, ignore_errors=True)


_PG_SKIP: list[str] = []


def _database_url(server: str, name: str) -> str:
    return normalise_url(server).set(database=name).render_as_string(hide_password=False)


class _Postgres:
    def __init__(self, server: str) -> None:
        self.admin = make_engine(server, isolation_level="AUTOCOMMIT")
        self.server = server

    def create(self, template: str | None = None) -> tuple[str, str]:
        name = f"xxgk_test_{uuid.uuid4().hex[:10]}"
        clause = f' TEMPLATE "{template}"' if template else ""
        with self.admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"{clause}'))
        return name, _database_url(self.server, name)

    def drop(self, name: str) -> None:
        with self.admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


class Templates:
    """A migrated, empty warehouse per dialect to clone, each made on its first use.

    The PostgreSQL server is looked up only then, so a SQLite-only run (`make test-fast`) never
    connects to one or starts one.
    """

    def __init__(self, request: pytest.FixtureRequest, folder: Path) -> None:
        self.request = request
        self.folder = folder
        self.made: dict[str, str] = {}
        self.pg: _Postgres | None = None

    def server(self) -> str | None:
        return self.request.getfixturevalue("pg_server")

    def __getitem__(self, dialect: str) -> str:
        if dialect not in self.made:
            self.made[dialect] = self._make(dialect)
        return self.made[dialect]

    def _make(self, dialect: str) -> str:
        if dialect == "sqlite":
            sqlite_file = self.folder / "warehouse.sqlite"
            migrate.upgrade(f"sqlite:///{sqlite_file}")
            return str(sqlite_file)
        self.pg = _Postgres(self.server())  # type: ignore[arg-type]
        name, url = self.pg.create()
        migrate.upgrade(url)
        return name

    def close(self) -> None:
        if self.pg is None:
            return
        # a throwaway server stops first (it was set up last), and its databases go with it
        with suppress(OperationalError):
            self.pg.drop(self.made["postgresql"])
        self.pg.admin.dispose()


@pytest.fixture(scope="session")
def templates(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Templates]:
    made = Templates(request, tmp_path_factory.mktemp("template"))
    yield made
    made.close()


def _require(dialect: str, templates: Templates) -> str | None:
    """The PostgreSQL server for a PostgreSQL test (skipped, saying why, when there is none)."""
    if dialect != "postgresql":
        return None
    server = templates.server()
    if not server:
        pytest.skip(f"PostgreSQL unavailable: {_PG_SKIP[0] if _PG_SKIP else 'no server'}")
    return server


@contextmanager
def fresh_warehouse(dialect: str, templates: Templates, folder: Path) -> Iterator[str]:
    """A migrated warehouse of `dialect` cloned from its template, removed afterwards."""
    server = _require(dialect, templates)
    if dialect == "sqlite":
        target = folder / f"warehouse-{uuid.uuid4().hex[:8]}.sqlite"
        shutil.copyfile(templates["sqlite"], target)
        yield f"sqlite:///{target}"
        return
    pg = _Postgres(server)  # type: ignore[arg-type]
    name, url = pg.create(template=templates["postgresql"])
    try:
        yield url
    finally:
        pg.drop(name)
        pg.admin.dispose()


@pytest.fixture(params=DIALECTS)
def warehouse_url(request: pytest.FixtureRequest, templates: Templates, tmp_path: Path) -> Iterator[str]:
    """A fresh, migrated warehouse of each dialect, per test."""
    with fresh_warehouse(request.param, templates, tmp_path) as url:
        yield url


@pytest.fixture(scope="module", params=DIALECTS)
def module_warehouse_url(
    request: pytest.FixtureRequest, templates: Templates, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[str]:
    """A fresh, migrated warehouse of each dialect shared by one module's tests (read-only use)."""
    with fresh_warehouse(request.param, templates, tmp_path_factory.mktemp("module")) as url:
        yield url


@pytest.fixture(params=DIALECTS)
def empty_url(request: pytest.FixtureRequest, templates: Templates, tmp_path: Path) -> Iterator[str]:
    """A fresh database of each dialect that has never been migrated."""
    server = _require(request.param, templates)
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'empty.sqlite'}"
        return
    pg = _Postgres(server)  # type: ignore[arg-type]
    name, url = pg.create()
    try:
        yield url
    finally:
        pg.drop(name)
        pg.admin.dispose()
