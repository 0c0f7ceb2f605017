"""What a chunk tells its caller about each file, read back from the warehouse after settling.

A `SubmissionResult` says where the file ended: its state, whether its facts count, what
supersedes it and whether that arrived in the same run (`superseded_in_run`). A file superseded
by a later chunk of the run cannot be flagged in its own, already returned, result: that later
chunk lists it in `superseded_earlier`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from sqlalchemy import Connection, select

from warehouse.placing import Placed
from warehouse.queries import run_supersessions
from warehouse.records import CheckedSubmission, LoadOutcome, LoadResult, SubmissionResult
from warehouse.schema import DimSubmission, LoadAudit
from warehouse.sql import chunks


def stored_results(conn: Connection, keys: Iterable[int]) -> dict[int, Any]:
    """Per submission key: agency, year, state, match method, has_facts, superseded_by, and the
    run ids its row and its superseder's row arrived in."""
    s, n = DimSubmission.__table__.alias("s"), DimSubmission.__table__.alias("n")
    a, b = LoadAudit.__table__.alias("a"), LoadAudit.__table__.alias("b")
    rows: dict[int, Any] = {}
    for part in chunks(sorted(set(keys))):
        query = (
            select(
                s.c.submission_key,
                s.c.agency_id,
                s.c.year,
                s.c.state,
                s.c.match_method,
                s.c.has_facts,
                s.c.superseded_by,
                a.c.run_id.label("arrived"),
                b.c.run_id.label("superseder_arrived"),
            )
            .join(a, a.c.audit_key == s.c.audit_key)
            .outerjoin(n, n.c.submission_key == s.c.superseded_by)
            .outerjoin(b, b.c.audit_key == n.c.audit_key)
            .where(s.c.submission_key.in_(part))
        )
        rows.update((r.submission_key, r) for r in conn.execute(query))
    return rows


def chunk_results(
    conn: Connection,
    run_id: str,
    items: Sequence[CheckedSubmission],
    placed: Sequence[Placed],
    keys: Mapping[str, int],
    outcomes: Mapping[int, LoadOutcome],
) -> list[SubmissionResult]:
    """One result per item (in order), read back after settling: state, facts, supersession.

    `outcomes` is by item index; items without one (duplicates, stored bytes) are "unchanged".
    `superseded_in_run` is true when the submission and the one superseding it both arrived in
    `run_id` (their dim_submission rows were created by chunks of that run).
    """
    rows = stored_results(conn, keys.values())
    reloaded = {p.key for p in placed if p.stored is not None}
    out = []
    for i, item in enumerate(items):
        key = keys[item.source.sha256]
        r = rows[key]
        out.append(
            SubmissionResult(
                sha256=item.source.sha256,
                path=item.source.path,
                outcome=outcomes.get(i, "unchanged"),
                submission_key=key,
                agency_id=r.agency_id,
                year=r.year,
                match_method=r.match_method,
                has_facts=bool(r.has_facts),
                state=r.state,
                reloaded=key in reloaded,
                superseded_by=r.superseded_by,
                superseded_in_run=r.superseded_by is not None
                and r.arrived == run_id
                and r.superseder_arrived == run_id,
            )
        )
    return out


def superseded_earlier(
    conn: Connection, run_id: str, links: Mapping[int, int | None], chunk_keys: Iterable[int]
) -> list[int]:
    """Keys outside this chunk, arrived in `run_id`, that this chunk's links superseded by a file of the run."""
    mine = set(chunk_keys)
    candidates = sorted(k for k, by in links.items() if by is not None and k not in mine)
    out: list[int] = []
    for part in chunks(candidates):
        out += [key for key, _by in conn.execute(run_supersessions(run_id, part))]
    return sorted(out)


def record_results(
    conn: Connection,
    result: LoadResult,
    items: Sequence[CheckedSubmission],
    placed: Sequence[Placed],
    keys: Mapping[str, int],
    outcomes: Mapping[int, LoadOutcome],
    links: Mapping[int, int | None],
) -> None:
    """The chunk's per-file results and the earlier files it superseded, into `result`."""
    result.submissions = chunk_results(conn, result.run_id, items, placed, keys, outcomes)
    result.superseded_earlier = superseded_earlier(conn, result.run_id, links, keys.values())
