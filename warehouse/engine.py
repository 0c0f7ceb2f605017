"""Engines for any warehouse URL, with the per-dialect settings the loaders rely on.

SQLite enforces foreign keys only when each connection asks (`PRAGMA foreign_keys=ON`), so the
engine sets it on connect; `postgresql://` is spelled out as psycopg 3 so an installed psycopg2
can never be picked up by accident.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import URL, make_url

_PG_ALIASES = ("postgresql", "postgres", "postgresql+psycopg2", "postgresql+psycopg")


def normalise_url(url: str | URL) -> URL:
    """`postgresql://` and `postgres://` as `postgresql+psycopg://`; anything else unchanged."""
    parsed = make_url(url) if isinstance(url, str) else url
    if parsed.drivername in _PG_ALIASES:
        parsed = parsed.set(drivername="postgresql+psycopg")
    return parsed


def _sqlite_on_connect(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.close()


def make_engine(url: str | URL, **kwargs: Any) -> Engine:
    """An engine for `url`: SQLite with foreign keys on (and its folder created), PostgreSQL via psycopg 3."""
    parsed = normalise_url(url)
    if parsed.get_backend_name() == "sqlite":
        database = parsed.database
        if database and database != ":memory:" and not database.startswith("file:"):
            Path(database).expanduser().parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(parsed, **kwargs)
        event.listen(engine, "connect", _sqlite_on_connect)
        return engine
    kwargs.setdefault("pool_pre_ping", True)
    return create_engine(parsed, **kwargs)


@contextmanager
def engine_scope(target: str | URL | Engine) -> Iterator[Engine]:
    """A ready engine as is, or one made for a URL and disposed afterwards (no pool left open)."""
    if isinstance(target, Engine):
        yield target
        return
    engine = make_engine(target)
    try:
        yield engine
    finally:
        engine.dispose()
