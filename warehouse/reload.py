"""Backfill: re-loading stored files with a new reading and new findings, and its dry run.

A backfill re-reads archived originals with the current parser and checks, then hands the new
`CheckedSubmission`s to `Loader.reload_chunk`. Bytes already stored are not "unchanged" there:
the stored submission keeps its key, path and received_at (history), while its state, reason,
placement, findings and — where it is or becomes its pair's fact source — facts are replaced, and
supersession is settled exactly as a fresh load settles it (warehouse/settling.py). Whatever a
reload changes is logged in `submission_revision` (state and placement before, counts of changed
cells and findings); a reload with identical results writes nothing.

`plan_reload` is the dry run: the same preparation (warehouse/reload_plan.py: placing, comparing
findings and facts with what is stored, simulating `decide` over each pair's submissions)
without a single write, so the plan and the reload cannot disagree. It compares with the
warehouse as it is, one chunk at a time: files of one (agency, year) belong in the same chunk
(`backfill.chunk_by_pair`).

One case needs the caller: when a reload demotes a pair's fact source (it was loaded, now it is
rejected or read as another agency/year), the pair's facts must become those of its previous
loaded submission, which the warehouse no longer holds. The pair is then left without facts and
`LoadResult.reread` / `ReloadPlan.reread` name that submission: reload it too.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, bindparam, insert, update

from form.agency_matching import AgencyMatcher
from warehouse.clock import now
from warehouse.placing import VALUE_FIELDS, Placed
from warehouse.records import CheckedSubmission, LoadOutcome, LoadResult, Pair, ReloadPlan
from warehouse.registry_matcher import load_matcher
from warehouse.reload_plan import Prepared, pair_of, prepare
from warehouse.results import record_results
from warehouse.schema import DimSubmission, SubmissionRevision
from warehouse.settling import Settled, record_settled, settle_pairs
from warehouse.submissions import delete_findings, ensure_dimensions, insert_findings, insert_submissions


def plan_reload(
    conn: Connection, submissions: Sequence[CheckedSubmission], matcher: AgencyMatcher | None = None
) -> ReloadPlan:
    """What `Loader.reload_chunk(submissions)` would change, computed without writing anything."""
    return prepare(conn, list(submissions), matcher or load_matcher(conn), now()).plan


def rewrite_submissions(conn: Connection, rewrite: Sequence[Placed]) -> None:
    """Store the new `VALUE_FIELDS` of stored submissions a reload read differently."""
    if not rewrite:
        return
    s = DimSubmission.__table__
    stmt = (
        update(s)
        .where(s.c.submission_key == bindparam("k"))
        .values({f: bindparam(f"new_{f}") for f in VALUE_FIELDS})
    )
    conn.execute(stmt, [{"k": p.key, **{f"new_{f}": v for f, v in p.values().items()}} for p in rewrite])


def revision_row(p: Placed, prep: Prepared, audit_key: int, revised_at: datetime) -> dict[str, Any]:
    """The submission_revision row of a stored submission the reload changed: before → after."""
    sub = prep.by_index[p.index]
    return {
        "submission_key": p.key,
        "audit_key": audit_key,
        "revised_at": revised_at,
        "state_before": p.stored.state,
        "state_after": p.state,
        "agency_before": p.stored.agency_id,
        "agency_after": p.agency_id,
        "year_before": p.stored.year,
        "year_after": sub.year_after,
        "reason_before": p.stored.reason,
        "facts_changed": sub.facts_changed,
        "findings_added": sum(sub.findings_added.values()),
        "findings_removed": sum(sub.findings_removed.values()),
    }


def changed_placed(prep: Prepared, settled: Settled) -> list[Placed]:
    """The chunk's submissions the reload wrote or settled differently (every new file among them)."""
    touched = settled.touched
    return [
        p
        for p in prep.placed
        if p.stored is None
        or bool(prep.fields_changed.get(p.skey))
        or p.key in prep.findings_changed
        or p.key in touched
    ]


def reload_into(
    conn: Connection,
    items: Sequence[CheckedSubmission],
    matcher: AgencyMatcher,
    result: LoadResult,
    started: datetime,
) -> None:
    """The body of `Loader.reload_chunk`, inside its transaction (see the module doc)."""
    prep = prepare(conn, items, matcher, started)
    result.provisional_agencies = ensure_dimensions(conn, prep.placed, prep.provisional)
    insert_submissions(conn, prep.fresh, result.audit_key)
    rewrite_submissions(conn, [p for p in prep.reloaded if prep.fields_changed.get(p.skey)])
    refind = [p for p in prep.reloaded if p.key in prep.findings_changed]
    delete_findings(conn, [p.skey for p in refind])
    result.findings_written = insert_findings(conn, [*prep.fresh, *refind])
    available = {p.skey: p.facts for p in prep.placed if p.facts is not None}
    settled = settle_pairs(conn, prep.pairs, available, prep.unhold)

    changed = changed_placed(prep, settled)
    revisions = [revision_row(p, prep, result.audit_key, started) for p in changed if p.stored is not None]
    if revisions:
        conn.execute(insert(SubmissionRevision.__table__), revisions)
    pairs: set[Pair] = {x for p in changed for x in (p.pair, pair_of(p.stored)) if x is not None}
    record_settled(conn, result, settled, pairs, checked=prep.pairs)
    outcomes: dict[int, LoadOutcome] = {p.index: p.state for p in changed}
    keys = {p.item.source.sha256: p.skey for p in prep.placed}
    record_results(conn, result, items, prep.placed, keys, outcomes, settled.links)
