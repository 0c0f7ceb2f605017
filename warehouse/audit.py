"""The load_audit row of each chunk: opened when it starts, closed with its counts, or marked failed.

A chunk's row is written inside its transaction ('running', then 'ok' with the counts); when the
chunk fails and rolls back, a 'failed' row saying why is written in a transaction of its own, so
every attempt leaves a trace.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Connection, Engine, insert, update

from warehouse.clock import now
from warehouse.records import LoadResult
from warehouse.schema import LoadAudit

#: load_audit's count columns (all 0 until a chunk closes)
COUNTS = (
    "loaded",
    "rejected",
    "quarantined",
    "review",
    "unchanged",
    "superseded",
    "provisional_agencies",
    "facts_written",
    "facts_deleted",
    "findings_written",
)
#: the count columns every warehouse has, back to 0001 (a later one has a server default of 0, so
#: a failure recorded in a warehouse behind the code leaves it out)
_FIRST_COUNTS = tuple(c for c in COUNTS if c != "review")


def open_audit(conn: Connection, run_id: str, chunk_no: int, started: datetime, size: int, mode: str) -> int:
    """A 'running' row for a chunk of `size` submissions; returns its audit key."""
    audit = LoadAudit.__table__
    return conn.execute(
        insert(audit)
        .values(
            run_id=run_id,
            chunk_no=chunk_no,
            status="running",
            started_at=started,
            submissions=size,
            mode=mode,
            **dict.fromkeys(COUNTS, 0),
        )
        .returning(audit.c.audit_key)
    ).scalar_one()


def close_audit(conn: Connection, result: LoadResult) -> None:
    """The chunk's row as 'ok', with its time and counts."""
    audit = LoadAudit.__table__
    conn.execute(
        update(audit)
        .where(audit.c.audit_key == result.audit_key)
        .values(
            status="ok",
            finished_at=now(),
            seconds=result.seconds,
            loaded=result.count("loaded"),
            rejected=result.count("rejected"),
            quarantined=result.count("quarantined"),
            review=result.count("review"),
            unchanged=result.count("unchanged"),
            superseded=result.superseded,
            provisional_agencies=result.provisional_agencies,
            facts_written=result.facts_written,
            facts_deleted=result.facts_deleted,
            findings_written=result.findings_written,
        )
    )


def record_failure(
    engine: Engine,
    run_id: str,
    chunk_no: int,
    started: datetime,
    seconds: float,
    size: int,
    error: Exception,
    mode: str | None,
) -> None:
    """A 'failed' row, in its own transaction, saying why (`mode` None: the warehouse may lack that column)."""
    with engine.begin() as conn:
        conn.execute(
            insert(LoadAudit.__table__).values(
                run_id=run_id,
                chunk_no=chunk_no,
                status="failed",
                started_at=started,
                finished_at=now(),
                seconds=seconds,
                submissions=size,
                message=f"{type(error).__name__}: {error}"[:4000],
                **({} if mode is None else {"mode": mode}),
                **dict.fromkeys(_FIRST_COUNTS, 0),
            )
        )
