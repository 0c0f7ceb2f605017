"""Which stored files a backfill re-reads, and how they are cut into chunks.

A backfill re-reads archived originals with the current parser and reloads them
(warehouse/reload.py). Its targets are chosen one of three ways, one function each:

- `backfill_targets`: by years, agencies and regions (None = all). Per selected (agency, year):
  its latest submission and, when that is not the one, the older loaded one whose facts the pair
  holds (a parser fix changes those facts too); `history=True` takes every submission. Unplaced
  files (quarantined, or read without agency or year) are added when no agency or region is
  asked for (a parser fix may now read them), or as `unplaced` says.
- `backfill_targets_for_pairs`: exactly these (agency, year) pairs (the carryover cascade), a
  query per year (`agencies_by_year`), never one per pair.
- `backfill_targets_by_key`: exactly these submissions (`LoadResult.reread` names some).

Placed targets come ordered by (year, agency, received_at), so one pair's files are adjacent;
`chunk_by_pair` cuts them without splitting a pair (a reload settles each pair in one chunk).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, Connection, Select, and_, exists, false, or_, select, table
from sqlalchemy.sql.expression import ColumnClause

from warehouse.queries import region_prefix
from warehouse.records import Pair
from warehouse.schema import DimSubmission
from warehouse.sql import chunks


@dataclass(frozen=True)
class BackfillTarget:
    """A stored file a backfill re-reads from the raw archive (by sha256)."""

    submission_key: int
    sha256: str
    path: str
    media_type: str
    received_at: datetime
    agency_id: str | None
    year: int | None
    state: str
    #: latest (its pair's current submission) · facts (an older loaded one whose facts the pair
    #: still holds) · unplaced (quarantined, or no agency or year) · history (older, with history=True)
    why: str


def _targets() -> Select[Any]:
    s = DimSubmission.__table__.c
    return select(
        s.submission_key,
        s.sha256,
        s.path,
        s.media_type,
        s.received_at,
        s.agency_id,
        s.year,
        s.state,
        s.superseded_by,
        s.has_facts,
    )


def _placed() -> ColumnElement[bool]:
    s = DimSubmission.__table__.c
    return and_(s.agency_id.is_not(None), s.year.is_not(None))


def _why(row: Any) -> str:
    if row.agency_id is None or row.year is None:
        return "unplaced"
    return "latest" if row.superseded_by is None else "facts" if row.has_facts else "history"


def _target(row: Any, why: str | None = None) -> BackfillTarget:
    return BackfillTarget(
        submission_key=row.submission_key,
        sha256=row.sha256,
        path=row.path,
        media_type=row.media_type,
        received_at=row.received_at,
        agency_id=row.agency_id,
        year=row.year,
        state=row.state,
        why=why or _why(row),
    )


def scope_filters(
    years: Sequence[int] | None, agency_ids: Sequence[str] | None, region_codes: Sequence[str] | None
) -> list[ColumnElement[bool]]:
    """The conditions on dim_submission for each filter given (None: no condition; empty: nothing).

    Regions select agencies placed in that region or below in the report's year (`region_prefix`;
    000000 selects provisional agencies).
    """
    s = DimSubmission.__table__.c
    out: list[ColumnElement[bool]] = []
    if years is not None:
        out.append(s.year.in_(sorted(set(years))) if years else false())
    if agency_ids is not None:
        out.append(s.agency_id.in_(sorted(set(agency_ids))) if agency_ids else false())
    if region_codes is not None:
        ay = table("v_agency_year", ColumnClause("agency_id"), ColumnClause("year"), ColumnClause("region_code"))
        prefixes = sorted({region_prefix(code) for code in region_codes})
        within = or_(*(ay.c.region_code.like(p + "%") for p in prefixes)) if prefixes else false()
        out.append(exists().where(ay.c.agency_id == s.agency_id, ay.c.year == s.year, within))
    return out


def placed_targets(
    conn: Connection,
    years: Sequence[int] | None = None,
    agency_ids: Sequence[str] | None = None,
    region_codes: Sequence[str] | None = None,
    *,
    history: bool = False,
) -> list[BackfillTarget]:
    """Placed submissions in scope: each pair's latest and fact source, or all of them (`history`)."""
    s = DimSubmission.__table__.c
    query = _targets().where(_placed(), *scope_filters(years, agency_ids, region_codes))
    if not history:
        query = query.where(or_(s.superseded_by.is_(None), s.has_facts.is_(True)))
    query = query.order_by(s.year, s.agency_id, s.received_at, s.submission_key)
    return [_target(r) for r in conn.execute(query)]


def unplaced_targets(conn: Connection) -> list[BackfillTarget]:
    """Every stored file without an agency or a year, oldest first."""
    s = DimSubmission.__table__.c
    query = _targets().where(~_placed()).order_by(s.received_at, s.submission_key)
    return [_target(r, "unplaced") for r in conn.execute(query)]


def backfill_targets(
    conn: Connection,
    years: Sequence[int] | None = None,
    agency_ids: Sequence[str] | None = None,
    region_codes: Sequence[str] | None = None,
    *,
    unplaced: bool | None = None,
    history: bool = False,
) -> list[BackfillTarget]:
    """The stored submissions a backfill of these years, agencies and regions re-reads (module doc)."""
    out = placed_targets(conn, years, agency_ids, region_codes, history=history)
    include = unplaced if unplaced is not None else (agency_ids is None and region_codes is None)
    return out + unplaced_targets(conn) if include else out


def backfill_targets_by_key(conn: Connection, submission_keys: Iterable[int]) -> list[BackfillTarget]:
    """Exactly these submissions, whatever their state, ordered as `backfill_targets` orders them."""
    s = DimSubmission.__table__.c
    rows: list[Any] = []
    for part in chunks(sorted(set(submission_keys))):
        rows += conn.execute(_targets().where(s.submission_key.in_(part))).all()
    rows.sort(
        key=lambda r: (
            r.agency_id is None or r.year is None,
            r.year or 0,
            r.agency_id or "",
            r.received_at,
            r.submission_key,
        )
    )
    return [_target(r) for r in rows]


def agencies_by_year(pairs: Iterable[Sequence[Any]]) -> dict[int, list[str]]:
    """(agency, year) pairs as year → its agencies, both sorted: one query per year, not per pair."""
    out: dict[int, set[str]] = {}
    for agency, year in pairs:
        out.setdefault(int(year), set()).add(agency)
    return {year: sorted(out[year]) for year in sorted(out)}


def backfill_targets_for_pairs(conn: Connection, pairs: Iterable[Sequence[Any]]) -> list[BackfillTarget]:
    """Each (agency, year)'s latest submission and fact source, as `backfill_targets` picks them,
    for exactly these pairs (lists from a JSON parameter are pairs too); year by year."""
    wanted: set[Pair] = {(agency, int(year)) for agency, year in pairs}
    out: list[BackfillTarget] = []
    for year, agencies in agencies_by_year(wanted).items():
        for part in chunks(agencies):
            out += placed_targets(conn, [year], list(part))
    return out


def chunk_by_pair(targets: Sequence[BackfillTarget], size: int) -> Iterator[list[BackfillTarget]]:
    """Chunks of about `size` targets that never split one (agency, year)'s files (a pair larger
    than `size` makes one chunk of its own): a reload settles each pair within one chunk."""
    groups: dict[Pair | int, list[BackfillTarget]] = {}
    for t in targets:
        key: Pair | int = -t.submission_key  # unplaced: a chunk-mate of anything
        if t.agency_id is not None and t.year is not None:
            key = (t.agency_id, t.year)
        groups.setdefault(key, []).append(t)
    batch: list[BackfillTarget] = []
    for group in groups.values():
        if batch and len(batch) + len(group) > size:
            yield batch
            batch = []
        batch += group
    if batch:
        yield batch
