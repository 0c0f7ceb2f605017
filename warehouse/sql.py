"""Statements both dialects share: one upsert helper (`INSERT … ON CONFLICT`) and chunked `IN` lists.

SQLAlchemy has `on_conflict_do_update` for PostgreSQL and SQLite alike, but behind two imports;
every bulk write of the warehouse goes through `upsert`, so the loaders never branch on dialect.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from typing import Any

from sqlalchemy import Connection, Table, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.sql.expression import ColumnClause, TableClause

Row = Mapping[str, Any]
#: keys per `IN (…)` list: far below SQLite's 32,766 variables and PostgreSQL's 65,535
IN_CHUNK = 900
#: from this many rows on, PostgreSQL upserts COPY into a temporary table and upsert from there
COPY_FROM = 1000


def _insert(conn: Connection, table: Table) -> Any:
    name = conn.dialect.name
    if name == "postgresql":
        return postgresql.insert(table)
    if name == "sqlite":
        return sqlite.insert(table)
    raise NotImplementedError(f"the warehouse supports postgresql and sqlite, not {name}")


def upsert(
    conn: Connection,
    table: Table,
    rows: Sequence[Row],
    keys: Sequence[str],
    update: Sequence[str] | None = None,
    *,
    unique: bool = False,
) -> int:
    """Insert rows; on a key conflict update `update` columns (default: all non-key ones) or do nothing.

    SQLite: one statement, executemany. PostgreSQL: executemany (psycopg pipelines it) for small
    batches; from COPY_FROM rows, COPY into a temporary table and one `INSERT … SELECT … ON
    CONFLICT`, several times faster than row-by-row statements. Later rows win over earlier rows
    with the same key on both paths (`unique=True`: the caller guarantees distinct keys, which
    skips that pass). Returns the number of rows written.
    """
    if not rows:
        return 0
    if len(rows) > 1 and not unique:
        rows = list({tuple(r[k] for k in keys): r for r in rows}.values())
    staged = conn.dialect.name == "postgresql" and len(rows) >= COPY_FROM
    stmt = _insert(conn, table)
    if staged:
        stmt = stmt.from_select(list(rows[0]), select(*_staged(conn, table, rows)))
    columns = list(update) if update is not None else [c for c in rows[0] if c not in keys]
    if columns:
        stmt = stmt.on_conflict_do_update(
            index_elements=list(keys), set_={c: stmt.excluded[c] for c in columns}
        )
    else:
        stmt = stmt.on_conflict_do_nothing(index_elements=list(keys))
    if staged:
        conn.execute(stmt)
    else:
        _execute_many(conn, stmt, rows)
    return len(rows)


def _execute_many(conn: Connection, stmt: Any, rows: Sequence[Row]) -> None:
    """executemany; on SQLite with plain values, the compiled SQL straight to the driver.

    SQLAlchemy's per-row parameter handling costs as much as SQLite's insert itself; when no
    column needs a bind processor (no dates, booleans, decimals) the rows go to sqlite3 as tuples.
    """
    if conn.dialect.name == "sqlite":
        compiled = stmt.compile(dialect=conn.dialect)
        names = compiled.positiontup or []
        plain = all(compiled.binds[n].type.bind_processor(conn.dialect) is None for n in names)
        if names and plain and set(names) == set(rows[0]):
            conn.exec_driver_sql(compiled.string, [tuple(r[n] for n in names) for r in rows])
            return
    conn.execute(stmt, list(rows))


def _staged(conn: Connection, table: Table, rows: Sequence[Row]) -> Any:
    """COPY rows into a temporary twin of `table` (dropped at commit); returns its columns to select."""
    names = list(rows[0])
    stage = f"stage_{table.name}"
    conn.exec_driver_sql(f"CREATE TEMPORARY TABLE IF NOT EXISTS {stage} (LIKE {table.name} INCLUDING DEFAULTS) ON COMMIT DROP")
    conn.exec_driver_sql(f"TRUNCATE {stage}")
    cursor = conn.connection.dbapi_connection.cursor()  # type: ignore[union-attr]
    try:
        with cursor.copy(f"COPY {stage} ({', '.join(names)}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(tuple(row[n] for n in names))
    finally:
        cursor.close()
    staged = TableClause(stage, *(ColumnClause(n) for n in names))
    return [staged.c[n] for n in names]


def chunks(values: Sequence[Any], size: int = IN_CHUNK) -> Iterator[Sequence[Any]]:
    """Slices of `values` small enough for one `IN (…)` list."""
    for start in range(0, len(values), size):
        yield values[start : start + size]
