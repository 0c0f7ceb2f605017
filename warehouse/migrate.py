"""Alembic, driven from code: `upgrade(url)` brings any warehouse URL (or engine) to the latest schema.

There is no alembic.ini: `alembic_config` points `script_location` at the migrations package and
hands env.py the connection, so the command line, the flows and the tests migrate the same way.
After an upgrade to head the fixed dimensions are re-synced with the catalogue (an upsert), so a
cell or rule added to `form/` reaches an existing warehouse without a new migration.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, Engine
from sqlalchemy.engine import URL

from warehouse.dimensions import fixed_rows
from warehouse.engine import engine_scope
from warehouse.schema import Base
from warehouse.sql import upsert

MIGRATIONS = Path(__file__).resolve().parent / "migrations"


def alembic_config(connection: Connection | None = None, url: str | None = None) -> Config:
    """A Config without an ini file; env.py uses `connection` when given, else `url`."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["connection"] = connection
    config.attributes["url"] = url
    return config


@cache
def head() -> str:
    """The newest revision the code knows."""
    heads = ScriptDirectory.from_config(alembic_config()).get_heads()
    if len(heads) != 1:
        raise RuntimeError(f"migrations must have one head, found {heads}")
    return heads[0]


def revisions() -> list[str]:
    """Every revision id, oldest first."""
    script = ScriptDirectory.from_config(alembic_config())
    return [r.revision for r in reversed(list(script.walk_revisions()))]


def sync_fixed_dimensions(conn: Connection) -> int:
    """Upsert the catalogue's fixed dimension rows (labels updated, new cells and rules added)."""
    tables = Base.metadata.tables
    return sum(upsert(conn, tables[name], rows, keys) for name, (keys, rows) in fixed_rows().items())


def upgrade(target: str | URL | Engine, revision: str = "head") -> str | None:
    """Migrate to `revision` in one transaction; at head, re-sync the fixed dimensions. Returns the new revision."""
    with engine_scope(target) as engine, engine.begin() as conn:
        command.upgrade(alembic_config(conn), revision)
        now = MigrationContext.configure(conn).get_current_revision()
        if now == head():
            sync_fixed_dimensions(conn)
        return now


def downgrade(target: str | URL | Engine, revision: str) -> str | None:
    """Migrate down to `revision` (`base` removes every warehouse table and view)."""
    with engine_scope(target) as engine, engine.begin() as conn:
        command.downgrade(alembic_config(conn), revision)
        return MigrationContext.configure(conn).get_current_revision()


def current(target: str | URL | Engine) -> str | None:
    """The revision the warehouse is at (None: never migrated)."""
    with engine_scope(target) as engine, engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()
