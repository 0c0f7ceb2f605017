"""How a run's files are cut into chunks and how load results are told back per file.

Orchestration only: ordering and grouping, no parsing, SQL or rules.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from datetime import UTC, datetime
from typing import TypeVar

from flows.records import FileOutcome, FileSource

T = TypeVar("T")
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


def chunked(items: Sequence[T], size: int) -> Iterator[list[T]]:
    for start in range(0, len(items), max(1, size)):
        yield list(items[start : start + size])


def _aware(moment: datetime | None) -> datetime:
    if moment is None:
        return _EPOCH
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def years_in_chunks(spooled: Iterable, size: int) -> Iterator[list[list]]:
    """Per report year, oldest first, that year's chunks, in arrival order within the year.

    Loading year N before checking year N+1 lets carryover read last year from the warehouse;
    the chunks of one year need only earlier years, so they can be checked side by side.
    Unreadable files (no year) come first; they need no previous year. Items are `Spooled`
    (or anything with `year`, `received_at` and `path`).
    """
    groups: dict[int, list] = {}
    for item in spooled:
        groups.setdefault(item.year or 0, []).append(item)
    for year in sorted(groups):
        items = sorted(groups[year], key=lambda r: (_aware(r.received_at), r.path))
        yield list(chunked(items, size))


def by_year(spooled: Iterable, size: int) -> Iterator[list]:
    """The chunks of `years_in_chunks`, one after the other."""
    for chunks in years_in_chunks(spooled, size):
        yield from chunks


def file_outcomes(checked: Sequence, result) -> list[FileOutcome]:
    """One outcome per checked submission, in the chunk's order, from the loader's result.

    The same bytes twice in a chunk have one outcome each, in order (the first `loaded`, the next
    `unchanged`): pairing by sha256 alone once reported every copy as the last one's state.
    """
    by_sha: dict[str, list] = {}
    for s in result.submissions:
        by_sha.setdefault(s.sha256, []).append(s)
    out = []
    for item in checked:
        subs = by_sha.get(item.source.sha256) or []
        sub = subs.pop(0) if len(subs) > 1 else (subs[0] if subs else None)
        state = sub.reported if sub is not None else "failed"
        hard = sum(1 for f in item.findings if f.severity == "hard")
        soft = sum(1 for f in item.findings if f.severity == "soft")
        out.append(
            FileOutcome(
                source=FileSource(
                    path=item.source.path, sha256=item.source.sha256, media_type=item.source.media_type
                ),
                agency=item.report.agency if item.report else None,
                year=item.report.year if item.report else None,
                state=state,
                reason=item.reason,
                hard_findings=hard,
                soft_findings=soft,
                submission_key=sub.submission_key if sub is not None else None,
            )
        )
    return out


def unchecked_rechecks(
    pairs: Iterable[tuple[str, int]], done: Iterable[tuple[str | None, int | None]]
) -> list[tuple[str, int]]:
    """(agency, year) pairs to check again, less those this run already checked after the change.

    A run loads years in order, so a year it loaded itself was checked against the new previous
    year already; only submissions from earlier runs need the cascade.
    """
    seen = set(done)
    return sorted({p for p in pairs if p not in seen})


def target_years_in_chunks(targets: Iterable, size: int) -> Iterator[list[list]]:
    """Backfill targets per year, oldest first (carryover cascades forward), in chunks that
    never split one (agency, year)'s files: a reload settles each pair within one chunk."""
    from warehouse.backfill import chunk_by_pair

    groups: dict[int, list] = {}
    for t in targets:
        groups.setdefault(t.year or 0, []).append(t)
    for year in sorted(groups):
        ordered = sorted(groups[year], key=lambda t: (t.agency_id or "", _aware(t.received_at), t.path))
        yield list(chunk_by_pair(ordered, size))


def pair_groups(items: Iterable[T], target_of: Callable[[T], object]) -> list[list[T]]:
    """Items grouped by their backfill target's (agency, year), in first-seen order; a target with
    no pair is a group of its own. The groups a reload chunk may be divided into (a reload settles
    each pair within one load)."""
    groups: dict[object, list[T]] = {}
    for item in items:
        t = target_of(item)
        key: object = ("one", t.submission_key)
        if t.agency_id is not None and t.year is not None:
            key = (t.agency_id, t.year)
        groups.setdefault(key, []).append(item)
    return list(groups.values())


def targets_by_year(targets: Iterable, size: int) -> Iterator[list]:
    """The chunks of `target_years_in_chunks`, one after the other."""
    for chunks in target_years_in_chunks(targets, size):
        yield from chunks


def mark_superseded(outcomes: Sequence[FileOutcome], superseded: dict[int, int]) -> None:
    """Files a later chunk of the same run superseded are reported as "superseded"."""
    for o in outcomes:
        if o.submission_key in superseded and o.state in ("loaded", "rejected", "review"):
            o.state = "superseded"
