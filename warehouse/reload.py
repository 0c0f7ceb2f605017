"""Backfill: re-loading stored files with a new reading and new findings, and its dry run.

A backfill re-reads archived originals with the current parser and checks, then hands the new
`CheckedSubmission`s to `Loader.reload_chunk`. Bytes already stored are not "unchanged" there:
the stored submission keeps its key, path and received_at (history), while its state, reason,
placement, findings and — where it is or becomes its pair's fact source — facts are replaced, and
supersession is settled exactly as a fresh load settles it (`supersession.decide`). Whatever a
reload changes is logged in `submission_revision` (state and placement before, counts of changed
cells and findings); a reload with identical results writes nothing.

`plan_reload` is the dry run: the same preparation (placing, comparing findings and facts with
what is stored, simulating `decide` over each pair's submissions) without a single write, so the
plan and the reload cannot disagree. It compares with the warehouse as it is, one chunk at a
time: files of one (agency, year) belong in the same chunk (`chunk_by_pair`).

One case needs the caller: when a reload demotes a pair's fact source (it was loaded, now it is
rejected or read as another agency/year), the pair's facts must become those of its previous
loaded submission, which the warehouse no longer holds. The pair is then left without facts and
`LoadResult.reread` / `ReloadPlan.reread` name that submission: reload it too.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, bindparam, delete, func, insert, select, update

from form.agency_matching import AgencyMatcher
from warehouse.loader import (
    FactRows,
    Placed,
    _finding_rows,
    _naive_utc,
    _now,
    chunk_results,
    ensure_dimensions,
    finding_rows_of,
    insert_submissions,
    next_year_pairs,
    place,
    settle_pairs,
    superseded_earlier,
)
from warehouse.queries import BackfillTarget, as_number, facts_of_pairs
from warehouse.records import (
    CellChange,
    CheckedSubmission,
    LoadResult,
    Outcome,
    Pair,
    PairPlan,
    ReloadPlan,
    SubmissionPlan,
)
from warehouse.registry_matcher import load_matcher
from warehouse.schema import DimSubmission, FactFinding, SubmissionRevision
from warehouse.sql import chunks
from warehouse.supersession import Held, PairAction, decide, delete_submission_facts, held_for, set_fact_flags

#: dim_submission columns a reading and placing decide (what a reload may rewrite)
VALUE_FIELDS = (
    "media_type",
    "published",
    "printed_agency",
    "agency_id",
    "year",
    "version",
    "state",
    "reason",
    "match_method",
)
#: cell changes listed per pair and per submission in a plan
EXAMPLES = 5

FindingRow = tuple[Any, ...]


@dataclass
class _Prepared:
    """Everything a reload (or its dry run) decides before writing."""

    placed: list[Placed]
    provisional: dict[str, str]
    fields_changed: dict[int, tuple[str, ...]] = field(default_factory=dict)
    old_findings: dict[int, list[FindingRow]] = field(default_factory=dict)
    findings_changed: set[int] = field(default_factory=set)
    #: (old agency, old year, key) of stored fact sources whose facts must go before settling
    unhold: list[tuple[str, int, int]] = field(default_factory=list)
    pairs: set[Pair] = field(default_factory=set)
    plan: ReloadPlan = field(default_factory=ReloadPlan)
    #: plan per placed submission (by item index)
    by_index: dict[int, SubmissionPlan] = field(default_factory=dict)


def _stored_rows(conn: Connection, hashes: Sequence[str]) -> dict[str, Any]:
    s = DimSubmission.__table__
    out: dict[str, Any] = {}
    for part in chunks(list(dict.fromkeys(hashes))):
        out.update((r.sha256, r) for r in conn.execute(select(s).where(s.c.sha256.in_(part))))
    return out


def _stored_findings(conn: Connection, keys: Sequence[int]) -> dict[int, list[FindingRow]]:
    f = FactFinding.__table__
    columns = [f.c[c.name] for c in f.columns]
    out: dict[int, list[FindingRow]] = defaultdict(list)
    for part in chunks(sorted(keys)):
        for row in conn.execute(select(*columns).where(f.c.submission_key.in_(part))):
            out[row.submission_key].append(tuple(row))
    return out


def _finding_tuples(rows: Iterable[dict[str, Any]]) -> list[FindingRow]:
    names = [c.name for c in FactFinding.__table__.columns]
    return [tuple(r[n] for n in names) for r in rows]


def _signatures(rows: Sequence[FindingRow]) -> Counter[tuple[Any, ...]]:
    """Findings (not cell rows) as comparable signatures: rule, severity, cells, printed, expected, message."""
    names = [c.name for c in FactFinding.__table__.columns]
    at = {n: i for i, n in enumerate(names)}
    grouped: dict[int, list[FindingRow]] = defaultdict(list)
    for r in rows:
        grouped[r[at["finding_no"]]].append(r)
    out: Counter[tuple[Any, ...]] = Counter()
    for group in grouped.values():
        first = group[0]
        cells = tuple(sorted(r[at["cell"]] for r in group))
        out[
            (
                first[at["rule_id"]],
                first[at["severity"]],
                cells,
                first[at["printed"]],
                first[at["expected"]],
                first[at["message"]],
                first[at["previous"]],
            )
        ] += 1
    return out


def _by_rule(counter: Counter[tuple[Any, ...]]) -> dict[str, int]:
    out: dict[str, int] = {}
    for signature, n in counter.items():
        out[signature[0]] = out.get(signature[0], 0) + n
    return dict(sorted(out.items()))


def _new_facts(p: Placed) -> dict[str, Any] | None:
    """The cells a placed, loadable submission would hold, as the fact tables give them back."""
    if p.facts is None or p.item.report is None:
        return None
    return {cell: as_number(value, cell) for cell, value in p.item.report.cells.items()}


def _diff(before: dict[str, Any], after: dict[str, Any]) -> list[CellChange]:
    out = []
    for cell in sorted(set(before) | set(after)):
        if cell not in after:
            out.append(CellChange(cell, before[cell], None, "removed"))
        elif cell not in before:
            out.append(CellChange(cell, None, after[cell], "added"))
        elif before[cell] != after[cell]:
            out.append(CellChange(cell, before[cell], after[cell]))
    return out


def _placeholder_base(conn: Connection) -> int:
    s = DimSubmission.__table__
    return int(conn.execute(select(func.max(s.c.submission_key))).scalar() or 0) + 1


def _prepare(
    conn: Connection, items: Sequence[CheckedSubmission], matcher: AgencyMatcher, now: datetime
) -> _Prepared:
    """Place, compare and simulate a reload of `items` against the warehouse; reads only."""
    stored = _stored_rows(conn, [i.source.sha256 for i in items])
    placed: list[Placed] = []
    seen: set[str] = set()
    for i, item in enumerate(items):
        sha = item.source.sha256
        if sha in seen:
            continue
        seen.add(sha)
        row = stored.get(sha)
        received = row.received_at if row is not None else _naive_utc(item.received_at, now)
        placed.append(Placed(i, item, received, stored=row))
    prep = _Prepared(placed=placed, provisional=place(placed, matcher))

    reloaded = [p for p in placed if p.stored is not None]
    for p in reloaded:
        old = p.stored
        # an operator's `registry map` stays the reason the name is placed where it is
        if old.match_method == "mapped" and p.method == "alias" and p.agency_id == old.agency_id:
            p.method = "mapped"
        values = p.values()
        prep.fields_changed[p.skey] = tuple(f for f in VALUE_FIELDS if getattr(old, f) != values[f])

    prep.old_findings = _stored_findings(conn, [p.skey for p in reloaded])
    for p in reloaded:
        new = _finding_tuples(_finding_rows(p.skey, p.findings))
        if sorted(new, key=repr) != sorted(prep.old_findings.get(p.skey, []), key=repr):
            prep.findings_changed.add(p.skey)

    old_pair: dict[int, Pair | None] = {p.skey: _pair_of(p.stored) for p in reloaded}
    for p in placed:
        if p.pair is not None:
            prep.pairs.add(p.pair)
    prep.pairs.update(pair for pair in old_pair.values() if pair is not None)
    before = facts_of_pairs(conn, prep.pairs)
    new_facts = {p.index: _new_facts(p) for p in placed}

    unheld: set[int] = set()
    for p in reloaded:
        pair = old_pair[p.skey]
        if not p.stored.has_facts or pair is None:
            continue
        held_now = {c: v for c, (v, k) in before[pair].items() if k == p.key}
        if p.pair != pair or new_facts[p.index] != held_now:
            prep.unhold.append((pair[0], pair[1], p.skey))
            unheld.add(p.skey)

    # simulate: the pairs' stored submissions, with this chunk's as they would be after writing
    base = _placeholder_base(conn)
    key_of = {p.index: p.key if p.key is not None else base + n for n, p in enumerate(placed)}
    mine = {p.key for p in reloaded}
    held = held_for(conn, prep.pairs)
    holders_before = {pair: frozenset(h.key for h in hs if h.has_facts) for pair, hs in held.items()}
    simulated = {pair: [h for h in hs if h.key not in mine] for pair, hs in held.items()}
    for p in placed:
        if p.pair is None:
            continue
        old = p.stored
        simulated[p.pair].append(
            Held(
                key=key_of[p.index],
                received_at=p.received_at,
                state=p.state,
                superseded_by=old.superseded_by if old is not None else None,
                has_facts=bool(old is not None and old.has_facts and p.key not in unheld),
            )
        )
    available = {key_of[p.index] for p in placed if new_facts[p.index] is not None}
    actions: dict[Pair, PairAction] = {pair: decide(hs, available) for pair, hs in simulated.items()}
    facts_by_key = {key_of[p.index]: new_facts[p.index] for p in placed}
    prep.plan = _plan(prep, actions, holders_before, before, facts_by_key, key_of, old_pair)
    prep.plan.recheck = next_year_pairs(conn, _fact_changed_pairs(prep.plan)) if prep.plan.pairs else []
    return prep


def _pair_of(row: Any) -> Pair | None:
    return None if row is None or row.agency_id is None or row.year is None else (row.agency_id, row.year)


def _fact_changed_pairs(plan: ReloadPlan) -> list[Pair]:
    return [(p.agency_id, p.year) for p in plan.pairs]


def _plan(
    prep: _Prepared,
    actions: dict[Pair, PairAction],
    holders_before: dict[Pair, frozenset[int]],
    before: dict[Pair, dict[str, tuple[Any, int]]],
    facts_by_key: dict[int, dict[str, Any] | None],
    key_of: dict[int, int],
    old_pair: dict[int, Pair | None],
) -> ReloadPlan:
    plan = ReloadPlan()
    links: dict[int, int | None] = {}
    source_after: dict[Pair, int | None] = {}
    changes: dict[int, list[CellChange]] = defaultdict(list)
    counts: Counter[int] = Counter()
    for pair in sorted(actions):
        act = actions[pair]
        links.update(act.links)
        old_values = {c: v for c, (v, _k) in before[pair].items()}
        if act.write and act.source is not None:
            new_values = dict(facts_by_key[act.source] or {})
        elif act.holding:
            new_values = {c: v for c, (v, k) in before[pair].items() if k == act.source}
        else:
            new_values = {}
        after = act.source if (act.write or act.holding) else None
        source_after[pair] = after
        earlier = min(holders_before[pair]) if holders_before[pair] else None
        diff = _diff(old_values, new_values)
        if diff or earlier != after or act.reread:
            plan.pairs.append(
                PairPlan(
                    pair[0],
                    pair[1],
                    earlier,
                    after,
                    len(diff),
                    tuple(diff[:EXAMPLES]),
                    act.source if act.reread else None,
                )
            )
            for key in {k for k in (earlier, after) if k is not None}:
                changes[key] += diff
                counts[key] += len(diff)
        if act.reread and act.source is not None:
            plan.reread.append(act.source)
    plan.reread.sort()

    changed_pairs = {(p.agency_id, p.year) for p in plan.pairs}
    for pair, act in actions.items():
        if act.links:
            changed_pairs.add(pair)
    for p in prep.placed:
        key = key_of[p.index]
        old = p.stored
        has_after = p.pair is not None and source_after.get(p.pair) == key
        findings_added: dict[str, int] = {}
        findings_removed: dict[str, int] = {}
        if old is None or p.key in prep.findings_changed:
            new_sig = _signatures(_finding_tuples(_finding_rows(key, p.findings)))
            old_sig = _signatures(prep.old_findings.get(p.skey, [])) if old is not None else Counter()
            findings_added, findings_removed = _by_rule(new_sig - old_sig), _by_rule(old_sig - new_sig)
        sub = SubmissionPlan(
            sha256=p.item.source.sha256,
            path=p.item.source.path if old is None else old.path,
            submission_key=p.key,
            state_before=old.state if old is not None else None,
            state_after=p.state,
            agency_before=old.agency_id if old is not None else None,
            agency_after=p.agency_id,
            year_before=old.year if old is not None else None,
            year_after=p.year if p.agency_id is not None else None,
            has_facts_before=bool(old is not None and old.has_facts),
            has_facts_after=has_after,
            superseded_by_before=old.superseded_by if old is not None else None,
            superseded_by_after=links.get(key, old.superseded_by if old is not None else None),
            fields_changed=prep.fields_changed.get(p.skey, ()) if old is not None else (),
            facts_changed=counts[key],
            examples=tuple(changes[key][:EXAMPLES]),
            findings_added=findings_added,
            findings_removed=findings_removed,
        )
        prep.by_index[p.index] = sub
        plan.submissions.append(sub)
        if sub.changed:
            changed_pairs.update(x for x in (p.pair, old_pair.get(p.skey) if old is not None else None) if x)
    plan.changed = sorted(changed_pairs)
    return plan


def plan_reload(
    conn: Connection, submissions: Sequence[CheckedSubmission], matcher: AgencyMatcher | None = None
) -> ReloadPlan:
    """What `Loader.reload_chunk(submissions)` would change, computed without writing anything."""
    return _prepare(conn, list(submissions), matcher or load_matcher(conn), _now()).plan


def reload_into(
    conn: Connection,
    items: Sequence[CheckedSubmission],
    matcher: AgencyMatcher,
    result: LoadResult,
    now: datetime,
) -> None:
    """The body of `Loader.reload_chunk`, inside its transaction (see the module doc)."""
    prep = _prepare(conn, items, matcher, now)
    placed = prep.placed
    fresh = [p for p in placed if p.stored is None]
    reloaded = [p for p in placed if p.stored is not None]
    result.provisional_agencies = ensure_dimensions(conn, placed, prep.provisional)
    insert_submissions(conn, fresh, result.audit_key)

    s = DimSubmission.__table__
    rewrite = [p for p in reloaded if prep.fields_changed.get(p.skey)]
    if rewrite:
        stmt = (
            update(s)
            .where(s.c.submission_key == bindparam("k"))
            .values({f: bindparam(f"new_{f}") for f in VALUE_FIELDS})
        )
        conn.execute(stmt, [{"k": p.key, **{f"new_{f}": v for f, v in p.values().items()}} for p in rewrite])
    f = FactFinding.__table__
    refind = [p for p in reloaded if p.key in prep.findings_changed]
    for part in chunks(sorted(p.skey for p in refind)):
        conn.execute(delete(f).where(f.c.submission_key.in_(part)))
    findings = finding_rows_of([*fresh, *refind])
    if findings:
        conn.execute(insert(f), findings)
    result.findings_written = len(findings)

    result.facts_deleted = delete_submission_facts(conn, prep.unhold)
    set_fact_flags(conn, [], [k for _a, _y, k in prep.unhold])
    available: dict[int, FactRows] = {p.skey: p.facts for p in placed if p.facts is not None}
    settled = settle_pairs(conn, prep.pairs, available)
    result.superseded = sum(1 for by in settled.links.values() if by is not None)
    result.facts_written = settled.facts_written
    result.facts_deleted += settled.facts_deleted
    result.reread = settled.reread
    fact_pairs = settled.fact_pairs | {(a, y) for a, y, _k in prep.unhold}
    result.recheck = next_year_pairs(conn, fact_pairs) if fact_pairs else []

    touched = set(settled.links) | set(settled.on) | set(settled.off) | {k for *_, k in prep.unhold}
    outcomes: dict[int, Outcome] = {}
    changed_pairs = set(fact_pairs) | settled.link_pairs
    revisions = []
    for p in placed:
        sub = prep.by_index[p.index]
        changed = (
            p.stored is None
            or bool(prep.fields_changed.get(p.skey))
            or p.key in prep.findings_changed
            or p.key in touched
        )
        if not changed:
            continue
        outcomes[p.index] = p.state
        changed_pairs.update(x for x in (p.pair, _pair_of(p.stored)) if x is not None)
        if p.stored is not None:
            revisions.append(
                {
                    "submission_key": p.key,
                    "audit_key": result.audit_key,
                    "revised_at": now,
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
            )
    if revisions:
        conn.execute(insert(SubmissionRevision.__table__), revisions)
    result.changed = sorted(changed_pairs)
    keys = {p.item.source.sha256: p.skey for p in placed}
    result.submissions = chunk_results(conn, result.run_id, items, placed, keys, outcomes)
    result.superseded_earlier = superseded_earlier(conn, result.run_id, settled.links, keys.values())


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
