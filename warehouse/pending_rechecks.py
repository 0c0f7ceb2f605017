"""The carryover cascade's to-do list, kept in the warehouse so a killed run cannot drop it.

A load that changes an agency's facts for year Y makes (agency, Y + 1) due for checking again.
The pair is written here in that load's transaction and deleted in the transaction that checks
it again (a load or reload of the pair), so between the two it survives any kill: the next run
finds it here and checks it, although its files are `unchanged`.
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import Connection, delete, select, tuple_

from warehouse.clock import now
from warehouse.records import Pair
from warehouse.schema import PendingRecheck
from warehouse.sql import chunks, upsert

_T = PendingRecheck.__table__


def settle_pending(conn: Connection, checked: Iterable[Pair], due: Iterable[Pair]) -> None:
    """In a load's transaction: the pairs it checked are done, the pairs it made due are kept."""
    forget(conn, checked)
    rows = [{"agency_id": a, "year": y, "since": now()} for a, y in sorted(set(due))]
    upsert(conn, _T, rows, ["agency_id", "year"], update=[], unique=True)


def pending_pairs(conn: Connection) -> list[Pair]:
    """Every pair still due for checking again, oldest year first; a pair whose submissions are gone
    has nothing left to check and is dropped."""
    from warehouse.supersession import held_for

    listed = [(a, y) for a, y in conn.execute(select(_T.c.agency_id, _T.c.year).order_by(_T.c.year, _T.c.agency_id))]
    held = held_for(conn, listed)
    forget(conn, [pair for pair in listed if not held.get(pair)])
    return [pair for pair in listed if held.get(pair)]


def forget(conn: Connection, pairs: Iterable[Pair]) -> None:
    """Drop pairs that have nothing left to check (their submissions are gone)."""
    done = sorted({(a, y) for a, y in pairs if a is not None and y is not None})
    for part in chunks(done):
        conn.execute(delete(_T).where(tuple_(_T.c.agency_id, _T.c.year).in_(list(part))))
