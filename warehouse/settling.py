"""Settling a chunk's (agency, year) pairs: supersession links, whose facts each pair holds, and the counts.

After a chunk has written its submissions, each pair it touched is settled with
`supersession.decide`: the latest received submission supersedes the earlier ones, and the fact
tables hold the facts of the latest loaded one (the pair's other facts deleted, the source's
written when this chunk read them). A load and a reload both settle here and both copy what it
did into their `LoadResult` with `record_settled`, so their counts cannot drift apart.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from sqlalchemy import Connection

from warehouse.clock import now
from warehouse.facts import FACT_LAYOUT, FactRows
from warehouse.pending_rechecks import settle_pending
from warehouse.records import LoadResult, Pair
from warehouse.sql import upsert
from warehouse.supersession import (
    apply_links,
    decide,
    delete_facts_except,
    delete_pair_facts,
    delete_submission_facts,
    held_for,
    set_fact_flags,
)

#: (agency, year, submission key): facts a pair holds from one submission
Owned = tuple[str, int, int]


@dataclass
class Settled:
    """What settling a chunk's pairs did."""

    links: dict[int, int | None] = field(default_factory=dict)
    facts_written: int = 0
    facts_deleted: int = 0
    #: pairs whose facts were written, cleared or trimmed
    fact_pairs: set[Pair] = field(default_factory=set)
    #: pairs where some submission's superseded_by changed
    link_pairs: set[Pair] = field(default_factory=set)
    reread: list[int] = field(default_factory=list)
    #: submissions whose has_facts was set / cleared by deciding, and stale sources cleared before
    on: list[int] = field(default_factory=list)
    off: list[int] = field(default_factory=list)
    unheld: list[int] = field(default_factory=list)
    #: pairs whose facts must be deleted whole / all but the source's (agency, year, source)
    clear: list[Pair] = field(default_factory=list)
    keep: list[Owned] = field(default_factory=list)

    @property
    def touched(self) -> set[int]:
        """Submissions whose link or fact flag settling changed."""
        return set(self.links) | set(self.on) | set(self.off) | set(self.unheld)


def settle_pairs(
    conn: Connection, pairs: Iterable[Pair], available: Mapping[int, FactRows], unhold: Sequence[Owned] = ()
) -> Settled:
    """Supersede within each pair and make its facts the latest loaded submission's (`decide`).

    `available` holds the fact rows this chunk read, by submission key. `unhold` names stored
    fact sources whose facts are stale (a reload read them differently or elsewhere): they are
    deleted first. A pair whose source is neither held nor available (a reload demoted the newer
    source) is left without facts and the source is reported for re-reading: never facts of the
    wrong submission.
    """
    out = Settled(unheld=[key for _a, _y, key in unhold])
    if unhold:
        out.facts_deleted = delete_submission_facts(conn, unhold)
        out.fact_pairs.update((a, y) for a, y, _key in unhold)
        set_fact_flags(conn, [], out.unheld)
    decide_pairs(conn, pairs, available, out)
    apply_links(conn, out.links, now())
    out.facts_deleted += delete_pair_facts(conn, out.clear) + delete_facts_except(conn, out.keep)
    out.facts_written = write_facts(conn, [available[key] for key in out.on])
    set_fact_flags(conn, out.on, out.off)
    out.reread.sort()
    return out


def decide_pairs(conn: Connection, pairs: Iterable[Pair], available: Mapping[int, FactRows], out: Settled) -> None:
    """Decide each pair against what is stored now, collecting into `out` what to write (no writes)."""
    for pair, held in held_for(conn, pairs).items():
        act = decide(held, available)
        out.links.update(act.links)
        if act.links:
            out.link_pairs.add(pair)
        out.off += sorted(act.off)
        if act.clear:
            out.clear.append(pair)
        if act.source is not None:
            if act.drop_others:
                out.keep.append((pair[0], pair[1], act.source))
            if act.write:
                out.on.append(act.source)
            if act.reread:
                out.reread.append(act.source)
        if act.facts_change:
            out.fact_pairs.add(pair)


def write_facts(conn: Connection, facts: Iterable[FactRows]) -> int:
    """Upsert the fact rows of several submissions on the grain keys; returns rows written."""
    rows: FactRows = tuple([] for _ in FACT_LAYOUT)
    for submission in facts:
        for i, table_rows in enumerate(submission):
            rows[i].extend(table_rows)
    return sum(
        upsert(conn, layout.table, table_rows, layout.grain, unique=True)
        for layout, table_rows in zip(FACT_LAYOUT, rows, strict=True)
    )


def next_year_pairs(conn: Connection, pairs: Iterable[Pair]) -> list[Pair]:
    """(agency, year + 1) for each pair, where that year has submissions: what to re-check."""
    later = held_for(conn, [(a, y + 1) for a, y in pairs])
    return sorted(pair for pair, held in later.items() if held)


def record_settled(
    conn: Connection,
    result: LoadResult,
    settled: Settled,
    changed: Iterable[Pair],
    checked: Iterable[Pair] = (),
) -> None:
    """Copy what settling did into the chunk's result: counts, changed pairs, re-checks, re-reads.

    `changed` are the pairs whose submissions the chunk wrote; pairs whose facts or links
    settling changed are added to them. The chunk checked `changed` and `checked` again (a reload
    may change nothing): their pending re-checks are done, and those it makes due are kept
    (warehouse/pending_rechecks.py), in the same transaction.
    """
    result.superseded = sum(1 for by in settled.links.values() if by is not None)
    result.facts_written += settled.facts_written
    result.facts_deleted += settled.facts_deleted
    result.reread = settled.reread
    written = list(changed)
    result.changed = sorted(set(written) | settled.fact_pairs | settled.link_pairs)
    result.recheck = next_year_pairs(conn, settled.fact_pairs) if settled.fact_pairs else []
    settle_pending(conn, checked=[*written, *checked], due=result.recheck)
