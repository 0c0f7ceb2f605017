"""Which submission of an (agency, year) is current, and whose facts the fact tables hold.

Pure: given every submission of one (agency, year), ordered by when it was received (then by
key), each one is superseded by the next; the facts are those of the latest *loaded* one. So a
newer rejected submission supersedes the older one in history (it is the agency's latest word)
while the older loaded facts stay until a loaded correction arrives; an old file that reaches
the warehouse after a newer one (a backfill) slots into history without displacing the facts.

`decide` turns that into what a chunk must do to one pair's facts (write the source's, drop
everything, keep them, or ask for the source to be re-read when a reload demoted the newer one);
loads, reloads and their dry runs all call it, so a dry run cannot disagree with the real thing.
"""

from __future__ import annotations

from collections.abc import Container, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Connection, bindparam, delete, select, update

from warehouse.records import Pair
from warehouse.schema import FACT_TABLES, DimSubmission
from warehouse.sql import chunks


@dataclass(frozen=True)
class Held:
    """One stored submission of an (agency, year), as much as settling needs."""

    key: int
    received_at: datetime
    state: str
    superseded_by: int | None
    has_facts: bool


@dataclass(frozen=True)
class Settlement:
    #: submission key → its new superseded_by, only where that changes
    links: dict[int, int | None]
    #: the submission whose facts the pair should hold (None: nothing loaded yet)
    fact_source: int | None
    #: submissions whose facts the pair holds now (normally at most one)
    holders: frozenset[int]

    @property
    def facts_change(self) -> bool:
        return self.holders != ({self.fact_source} if self.fact_source is not None else set())


def settle(held: Sequence[Held]) -> Settlement:
    """The supersession chain and fact source for one (agency, year)."""
    ordered = sorted(held, key=lambda h: (h.received_at, h.key))
    links: dict[int, int | None] = {}
    for i, h in enumerate(ordered):
        wanted = ordered[i + 1].key if i + 1 < len(ordered) else None
        if h.superseded_by != wanted:
            links[h.key] = wanted
    loaded = [h.key for h in ordered if h.state == "loaded"]
    return Settlement(
        links=links,
        fact_source=loaded[-1] if loaded else None,
        holders=frozenset(h.key for h in held if h.has_facts),
    )


@dataclass(frozen=True)
class PairAction:
    """What settling one (agency, year) does to its facts, given the facts a chunk has at hand."""

    links: dict[int, int | None]
    #: the latest loaded submission: whose facts the pair should hold (None: nothing loaded)
    source: int | None
    #: submissions whose facts the pair holds now
    holders: frozenset[int]
    #: the source's facts are at hand (this chunk read them) and must be written
    write: bool
    #: the source's facts are needed but neither held nor at hand: re-read that submission
    reread: bool

    @property
    def holding(self) -> bool:
        return self.source is not None and self.source in self.holders

    @property
    def clear(self) -> bool:
        """Delete every fact of the pair (its holders are not the source)."""
        return bool(self.holders) and not self.holding

    @property
    def drop_others(self) -> bool:
        """The source holds, but so do others: delete theirs."""
        return self.holding and len(self.holders) > 1

    @property
    def off(self) -> frozenset[int]:
        return self.holders - {self.source} if self.holding else self.holders

    @property
    def facts_change(self) -> bool:
        return self.clear or self.write or self.drop_others


def decide(held: Sequence[Held], available: Container[int]) -> PairAction:
    """Settle one pair: `available` holds the keys whose facts the caller can write."""
    verdict = settle(held)
    source = verdict.fact_source
    holding = source is not None and source in verdict.holders
    write = source is not None and not holding and source in available
    return PairAction(
        links=verdict.links,
        source=source,
        holders=verdict.holders,
        write=write,
        reread=source is not None and not holding and not write,
    )


# ---- database side -----------------------------------------------------------------------------


def held_for(conn: Connection, pairs: Iterable[Pair]) -> dict[Pair, list[Held]]:
    """Every stored submission of each (agency, year) in `pairs`."""
    wanted = set(pairs)
    out: dict[Pair, list[Held]] = {p: [] for p in wanted}
    if not wanted:
        return out
    s = DimSubmission.__table__.c
    agencies = sorted({a for a, _ in wanted})
    years = sorted({y for _, y in wanted})
    for part in chunks(agencies):
        rows = conn.execute(
            select(
                s.submission_key, s.agency_id, s.year, s.received_at, s.state, s.superseded_by, s.has_facts
            ).where(s.agency_id.in_(part), s.year.in_(years))
        )
        for key, agency, year, received, state, by, has in rows:
            if (agency, year) in wanted:
                out[(agency, year)].append(Held(key, received, state, by, bool(has)))
    return out


def apply_links(conn: Connection, links: dict[int, int | None], now: datetime) -> int:
    """Write superseded_by (and when) for the submissions whose link changed."""
    if not links:
        return 0
    s = DimSubmission.__table__
    stmt = (
        update(s)
        .where(s.c.submission_key == bindparam("k"))
        .values(superseded_by=bindparam("by"), superseded_at=bindparam("at"))
    )
    conn.execute(stmt, [{"k": k, "by": by, "at": now if by is not None else None} for k, by in links.items()])
    return len(links)


def set_fact_flags(conn: Connection, on: Iterable[int], off: Iterable[int]) -> None:
    """Mark which submissions' facts the fact tables hold (off first, so no moment has two)."""
    s = DimSubmission.__table__
    stmt = update(s).where(s.c.submission_key == bindparam("k")).values(has_facts=bindparam("v"))
    for keys, value in ((list(off), False), (list(on), True)):
        if keys:
            conn.execute(stmt, [{"k": k, "v": value} for k in keys])


def delete_pair_facts(conn: Connection, pairs: Sequence[Pair]) -> int:
    """Remove every fact of each (agency, year)."""
    if not pairs:
        return 0
    deleted = 0
    for table in FACT_TABLES:
        stmt = delete(table).where(table.c.agency_id == bindparam("a"), table.c.year == bindparam("y"))
        result = conn.execute(stmt, [{"a": a, "y": y} for a, y in pairs])
        deleted += max(result.rowcount, 0)
    return deleted


def delete_submission_facts(conn: Connection, owned: Sequence[tuple[str, int, int]]) -> int:
    """Remove the facts (agency, year) holds from one submission (a reload unholding it)."""
    if not owned:
        return 0
    deleted = 0
    for table in FACT_TABLES:
        stmt = delete(table).where(
            table.c.agency_id == bindparam("a"),
            table.c.year == bindparam("y"),
            table.c.submission_key == bindparam("s"),
        )
        result = conn.execute(stmt, [{"a": a, "y": y, "s": s} for a, y, s in owned])
        deleted += max(result.rowcount, 0)
    return deleted


def delete_facts_except(conn: Connection, keep: Sequence[tuple[str, int, int]]) -> int:
    """Remove each (agency, year)'s facts that are not from its source submission."""
    if not keep:
        return 0
    deleted = 0
    for table in FACT_TABLES:
        stmt = delete(table).where(
            table.c.agency_id == bindparam("a"),
            table.c.year == bindparam("y"),
            table.c.submission_key != bindparam("s"),
        )
        result = conn.execute(stmt, [{"a": a, "y": y, "s": s} for a, y, s in keep])
        deleted += max(result.rowcount, 0)
    return deleted
