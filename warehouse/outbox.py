"""The outbox table: mail queued once per (submission, content hash), its delivery state, retries.

States: pending → sent; or failed (last error, attempts) and retried after a backoff that doubles
from `BACKOFF_FIRST` up to `BACKOFF_MAX`, until `MAX_ATTEMPTS` (then it waits for
`xxgk notify --resend`). A newer content for a submission supersedes its unsent older rows; a
row whose recipient is missing or unusable is `no_address` (the provincial summary lists them).

Also what a quality report is built from: the stored submission, every finding on it (the
rules' and the loader's) and when the previous-year reports its carryover names were received.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Connection, Engine, and_, func, or_, select, update

from form.record import Finding
from warehouse.schema import DimAgency, DimSubmission, FactFinding, Outbox
from warehouse.sql import chunks

PENDING, SENT, FAILED, SUPERSEDED, NO_ADDRESS = "pending", "sent", "failed", "superseded", "no_address"
#: taken by a sender (named in claimed_by): no transaction stays open while a server answers, and
#: a sender that died mid-send leaves the row due again once its lease is over, or at once when
#: the next sender sees its process is gone (`release_orphans`)
SENDING = "sending"
LEASE = timedelta(minutes=10)
#: states a row can still be sent from
OPEN_STATES = (PENDING, FAILED)
MAX_ATTEMPTS = 8
BACKOFF_FIRST = timedelta(minutes=5)
BACKOFF_MAX = timedelta(hours=6)


def backoff(attempts: int) -> timedelta:
    """How long to wait after the `attempts`-th failed attempt: 5 min, 10, 20, … at most 6 h."""
    return min(BACKOFF_FIRST * (2 ** max(0, attempts - 1)), BACKOFF_MAX)


@dataclass(frozen=True)
class StoredSubmission:
    """A stored submission with what its quality report needs."""

    submission_key: int
    path: str
    received_at: datetime | None
    state: str
    reason: str | None
    agency_id: str | None
    agency_name: str | None
    year: int | None
    findings: tuple[Finding, ...] = field(default_factory=tuple)
    #: the agency's current contact address in the registry, if any
    email: str | None = None


def _findings(conn: Connection, keys: Sequence[int]) -> dict[int, list[Finding]]:
    f = FactFinding.__table__.c
    grouped: dict[tuple[int, int], dict] = {}
    for part in chunks(list(keys)):
        rows = conn.execute(
            select(f.submission_key, f.finding_no, f.cell, f.rule_id, f.severity, f.printed, f.expected, f.message, f.previous)
            .where(f.submission_key.in_(part))
            .order_by(f.submission_key, f.finding_no, f.cell)
        )
        for r in rows:
            g = grouped.setdefault(
                (r.submission_key, r.finding_no),
                {"rule": r.rule_id, "severity": r.severity, "cells": [], "printed": r.printed,
                 "expected": r.expected, "message": r.message, "previous": r.previous},
            )
            if r.cell:
                g["cells"].append(r.cell)
    out: dict[int, list[Finding]] = {}
    for (key, _no), g in sorted(grouped.items()):
        out.setdefault(key, []).append(Finding(**g))
    return out


def stored_submissions(conn: Connection, keys: Iterable[int]) -> list[StoredSubmission]:
    """The submissions with these keys, their findings, agency names and contact addresses, in key order
    (per chunk of keys: one query for the submissions with their agencies, one for the findings)."""
    wanted = sorted(set(keys))
    s = DimSubmission.__table__.c
    a = DimAgency.__table__
    rows = []
    for part in chunks(wanted):
        rows += conn.execute(
            select(s.submission_key, s.path, s.received_at, s.state, s.reason, s.agency_id, s.printed_agency, s.year,
                   a.c.name, a.c.email)
            .select_from(DimSubmission.__table__.outerjoin(a, and_(a.c.agency_id == s.agency_id, a.c.is_current.is_(True))))
            .where(s.submission_key.in_(part))
        ).all()
    found = _findings(conn, wanted)
    return [
        StoredSubmission(
            r.submission_key, r.path, r.received_at, r.state, r.reason, r.agency_id,
            r.name or r.printed_agency, r.year, tuple(found.get(r.submission_key, [])), r.email or None,
        )
        for r in sorted(rows, key=lambda r: r.submission_key)
    ]


def received_of_paths(conn: Connection, paths: Iterable[str]) -> dict[str, datetime]:
    """When the stored file at each path was first received (previous-year sources name paths)."""
    s = DimSubmission.__table__.c
    out: dict[str, datetime] = {}
    for part in chunks(sorted({p for p in paths if p})):
        out.update(conn.execute(select(s.path, func.min(s.received_at)).where(s.path.in_(part)).group_by(s.path)).all())
    return out


def registry_agencies(conn: Connection) -> list[tuple[str, str, str | None]]:
    """(agency id, current name, contact e-mail) of every registered agency."""
    t = DimAgency.__table__.c
    rows = conn.execute(
        select(t.agency_id, t.name, t.email).where(t.is_current.is_(True), t.is_registered.is_(True))
    ).all()
    return [(r.agency_id, r.name, r.email) for r in rows]


# ---- the queue ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Queued:
    """A row to add: what it is about, to whom, and what it says."""

    kind: str
    submission_key: int | None
    content_hash: str
    agency_id: str | None
    year: int | None
    recipient: str | None
    subject: str
    content: str


def enqueue(conn: Connection, items: Sequence[Queued], now: datetime) -> int:
    """Add each item unless its (submission, content hash) — or a summary's hash — is queued already;
    a submission's older unsent rows become superseded. How many were added.

    A chunk of reports costs a few statements, not three per report (h5: 1,000 reports queued in
    2.7 s before): one read of what the submissions have queued, one update that supersedes, one
    bulk insert."""
    o = Outbox.__table__
    reports = {}  # a submission's last item wins, as if queued one after another
    for item in items:
        if item.submission_key is not None:
            reports[item.submission_key] = item
    queued: set[tuple[int, str]] = set()
    for part in chunks(sorted(reports)):
        rows = conn.execute(select(o.c.submission_key, o.c.content_hash).where(o.c.submission_key.in_(part)))
        queued.update((key, digest) for key, digest in rows)
    fresh = [i for i in reports.values() if (i.submission_key, i.content_hash) not in queued]
    for item in items:
        if item.submission_key is None:
            same = select(o.c.outbox_key).where(o.c.content_hash == item.content_hash, o.c.submission_key.is_(None))
            if conn.execute(same).first() is None and item not in fresh:
                fresh.append(item)
    for part in chunks(sorted(i.submission_key for i in fresh if i.submission_key is not None)):
        conn.execute(
            update(o)
            .where(o.c.submission_key.in_(part), o.c.state.in_((*OPEN_STATES, NO_ADDRESS)))
            .values(state=SUPERSEDED, next_attempt_at=None)
        )
    if fresh:
        conn.execute(
            o.insert(),
            [
                {
                    "kind": i.kind, "submission_key": i.submission_key, "content_hash": i.content_hash,
                    "agency_id": i.agency_id, "year": i.year, "recipient": i.recipient, "subject": i.subject,
                    "content": i.content, "state": PENDING if i.recipient else NO_ADDRESS, "attempts": 0,
                    "created_at": now, "next_attempt_at": now if i.recipient else None, "sent_at": None,
                    "sent_via": None, "last_error": None, "resends": 0,
                }
                for i in fresh
            ],
        )
    return len(fresh)


def _due(o, now: datetime):
    """Pending or failed with its next attempt come (and attempts left), or taken by a sender whose lease ran out."""
    open_row = and_(o.state.in_(OPEN_STATES), o.attempts < MAX_ATTEMPTS, or_(o.next_attempt_at.is_(None), o.next_attempt_at <= now))
    return or_(open_row, and_(o.state == SENDING, o.next_attempt_at <= now))


def retire_superseded(conn: Connection) -> int:
    """Unsent reports on files a newer file of the same agency and year replaced: superseded, so
    an agency that resubmitted before the mail went out hears only of its latest file."""
    o = Outbox.__table__
    s = DimSubmission.__table__.c
    replaced = select(s.submission_key).where(s.superseded_by.is_not(None))
    result = conn.execute(
        update(o)
        .where(o.c.kind == "quality", o.c.state.in_((*OPEN_STATES, NO_ADDRESS)), o.c.submission_key.in_(replaced))
        .values(state=SUPERSEDED, next_attempt_at=None)
    )
    return result.rowcount


def due(conn: Connection, now: datetime, limit: int | None = None) -> list:
    """Rows to send now: pending, or failed whose next attempt has come, oldest first."""
    query = select(Outbox.__table__).where(_due(Outbox.__table__.c, now)).order_by(Outbox.__table__.c.outbox_key)
    return list(conn.execute(query.limit(limit) if limit else query))


def due_count(conn: Connection, now: datetime) -> int:
    """How many rows are due at `now`."""
    o = Outbox.__table__
    return conn.execute(select(func.count()).select_from(o).where(_due(o.c, now))).scalar_one()


def claim_page(conn: Connection, now: datetime, limit: int, sender: str | None = None) -> list:
    """Take up to `limit` due rows, oldest first (state sending, under a lease, held by `sender`),
    and return them as they were before: a row another sender took between the read and the
    update is left out.

    Commit right after: the sends happen outside any transaction, then `mark_page` records them."""
    o = Outbox.__table__
    rows = list(conn.execute(select(o).where(_due(o.c, now)).order_by(o.c.outbox_key).limit(limit)))
    if not rows:
        return []
    taken = update(o).where(o.c.outbox_key.in_([r.outbox_key for r in rows]), _due(o.c, now))
    taken = taken.values(state=SENDING, next_attempt_at=now + LEASE, claimed_by=sender)
    got = {k for (k,) in conn.execute(taken.returning(o.c.outbox_key))}
    return [r for r in rows if r.outbox_key in got]


def release_orphans(conn: Connection, gone: Callable[[str], bool], now: datetime) -> int:
    """Rows held by senders `gone` says are dead: due again at once (pending, attempts kept);
    how many. The one mail such a sender may have handed over without recording it goes out
    again: delivery is at least once (see mail/dispatch.py)."""
    o = Outbox.__table__
    holders = conn.execute(select(o.c.claimed_by).where(o.c.state == SENDING, o.c.claimed_by.is_not(None)).distinct())
    dead = [h for (h,) in holders if gone(h)]
    if not dead:
        return 0
    return conn.execute(
        update(o)
        .where(o.c.state == SENDING, o.c.claimed_by.in_(dead))
        .values(state=PENDING, next_attempt_at=now, claimed_by=None)
    ).rowcount


@contextmanager
def unflushed(engine: Engine) -> Iterator[Connection]:
    """A transaction whose commit does not wait for the disk (PostgreSQL: synchronous_commit off
    for it; SQLite: synchronous OFF for it, then back): it survives this process being killed,
    not a power cut or a crash of the database server.

    For the per-mail "sent" marks: a durable commit costs one disk flush (~20 ms here, more than
    the mail itself), and a mark lost to a power cut only means that mail goes out again, which
    delivery at least once allows."""
    with engine.connect() as conn:
        sqlite = conn.dialect.name == "sqlite"
        before = None
        if sqlite:
            before = int(conn.exec_driver_sql("PRAGMA synchronous").scalar_one())
            conn.exec_driver_sql("PRAGMA synchronous=OFF")
            conn.commit()
        try:
            with conn.begin():
                if conn.dialect.name == "postgresql":
                    conn.exec_driver_sql("SET LOCAL synchronous_commit TO OFF")
                yield conn
        finally:
            if sqlite:
                conn.exec_driver_sql(f"PRAGMA synchronous={before}")
                conn.commit()


@dataclass(frozen=True)
class Outcome:
    """What became of one claimed row: sent, failed (error), no address (error), or not tried (released)."""

    row: Any
    state: str
    error: str | None = None
    #: the server failed, not the message: the rest of the pass is not tried
    unreachable: bool = False


def mark_page(conn: Connection, outcomes: Sequence[Outcome], now: datetime, via: str) -> None:
    """Record a page of sends in one transaction: the sent rows in one statement, each failure
    with its backoff, and rows not tried back as they were (due again at once)."""
    o = Outbox.__table__
    sent = [x.row.outbox_key for x in outcomes if x.state == SENT]
    for part in chunks(sent):
        conn.execute(
            update(o)
            .where(o.c.outbox_key.in_(part))
            .values(state=SENT, sent_at=now, sent_via=via, attempts=o.c.attempts + 1, last_error=None,
                    next_attempt_at=None, claimed_by=None)
        )
    for x in outcomes:
        if x.state == FAILED:
            mark_failed(conn, x.row.outbox_key, x.error or "", now)
        elif x.state == NO_ADDRESS:
            mark_no_address(conn, x.row.outbox_key, x.error or "")
        elif x.state == PENDING:
            conn.execute(
                update(o)
                .where(o.c.outbox_key == x.row.outbox_key, o.c.state == SENDING)
                .values(state=x.row.state, next_attempt_at=x.row.next_attempt_at, claimed_by=None)
            )


def claim(conn: Connection, key: int, now: datetime) -> bool:
    """Take a due row (state sending, under a lease): False when another sender took it first.

    Commit right after: the send happens outside any transaction, then `mark_*` records it."""
    o = Outbox.__table__
    result = conn.execute(
        update(o).where(o.c.outbox_key == key, _due(o.c, now)).values(state=SENDING, next_attempt_at=now + LEASE)
    )
    return result.rowcount == 1


def mark_sent(conn: Connection, key: int, now: datetime, via: str) -> None:
    o = Outbox.__table__
    conn.execute(
        update(o)
        .where(o.c.outbox_key == key)
        .values(state=SENT, sent_at=now, sent_via=via, attempts=o.c.attempts + 1, last_error=None,
                next_attempt_at=None, claimed_by=None)
    )


def mark_failed(conn: Connection, key: int, error: str, now: datetime) -> None:
    """Count the attempt, keep the error, and say when to try again (never after MAX_ATTEMPTS)."""
    o = Outbox.__table__
    attempts = conn.execute(select(o.c.attempts).where(o.c.outbox_key == key)).scalar_one() + 1
    again = now + backoff(attempts) if attempts < MAX_ATTEMPTS else None
    conn.execute(
        update(o)
        .where(o.c.outbox_key == key)
        .values(state=FAILED, attempts=attempts, last_error=error[:1000], next_attempt_at=again, claimed_by=None)
    )


def mark_no_address(conn: Connection, key: int, error: str) -> None:
    o = Outbox.__table__
    conn.execute(
        update(o).where(o.c.outbox_key == key).values(state=NO_ADDRESS, last_error=error[:1000], next_attempt_at=None, claimed_by=None)
    )


def resend(conn: Connection, agency_id: str, year: int, now: datetime) -> int:
    """Queue again the latest report of each of the agency's submissions for the year; how many."""
    o = Outbox.__table__
    latest = (
        select(func.max(o.c.outbox_key))
        .where(o.c.kind == "quality", o.c.agency_id == agency_id, o.c.year == year, o.c.state != SUPERSEDED)
        .group_by(o.c.submission_key)
    )
    keys = [k for (k,) in conn.execute(latest)]
    if not keys:
        return 0
    conn.execute(
        update(o)
        .where(o.c.outbox_key.in_(keys), o.c.recipient.is_not(None))
        .values(state=PENDING, attempts=0, next_attempt_at=now, last_error=None, resends=o.c.resends + 1)
    )
    return len(keys)


def status_rows(conn: Connection, states: Sequence[str] | None = None) -> list:
    """Every row (or those in `states`), newest first, without the content."""
    o = Outbox.__table__.c
    cols = [c for c in Outbox.__table__.c if c.name != "content"]
    query = select(*cols).order_by(o.outbox_key.desc())
    if states:
        query = query.where(o.state.in_(states))
    return list(conn.execute(query))


def content_of(conn: Connection, key: int) -> str:
    o = Outbox.__table__.c
    return conn.execute(select(o.content).where(o.outbox_key == key)).scalar_one()


def counts(conn: Connection) -> dict[str, int]:
    """Rows per state."""
    o = Outbox.__table__.c
    return dict(conn.execute(select(o.state, func.count()).group_by(o.state)).all())


def unsendable(conn: Connection, year: int | None = None) -> list:
    """Quality reports that could not be addressed (no usable e-mail), for the summary."""
    o = Outbox.__table__.c
    query = select(o.agency_id, o.year, o.subject, o.recipient, o.last_error, o.content).where(
        o.kind == "quality", o.state == NO_ADDRESS
    )
    if year is not None:
        query = query.where(or_(o.year == year, and_(o.year.is_(None))))
    return list(conn.execute(query.order_by(o.outbox_key)))
