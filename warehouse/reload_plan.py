"""What a reload would do: the preparation a reload and its dry run share, without a single write.

`prepare` places the chunk again (`placing.place`), compares each stored submission's fields,
findings and facts with its new reading, and simulates `supersession.decide` over every pair the
chunk touches, with this chunk's submissions as they would be after writing. The result carries
the `ReloadPlan` (what `plan_reload` returns) and what `reload_into` needs to write exactly that,
so the plan and the reload cannot disagree.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, func, select

from form.agency_matching import AgencyMatcher
from warehouse.clock import naive_utc
from warehouse.placing import VALUE_FIELDS, Placed, place
from warehouse.queries import as_number, facts_of_pairs
from warehouse.records import CellChange, CheckedSubmission, Pair, PairPlan, ReloadPlan, SubmissionPlan
from warehouse.schema import DimSubmission, FactFinding
from warehouse.settling import Owned, next_year_pairs
from warehouse.sql import chunks
from warehouse.submissions import finding_rows
from warehouse.supersession import Held, PairAction, decide, held_for

#: cell changes listed per pair and per submission in a plan
EXAMPLES = 5

FindingRow = tuple[Any, ...]
#: cell → (value, the submission it came from), as `queries.facts_of_pairs` gives them
HeldFacts = dict[str, tuple[Any, int]]


@dataclass
class Prepared:
    """Everything a reload (or its dry run) decides before writing."""

    placed: list[Placed]
    provisional: dict[str, str]
    fields_changed: dict[int, tuple[str, ...]] = field(default_factory=dict)
    old_findings: dict[int, list[FindingRow]] = field(default_factory=dict)
    findings_changed: set[int] = field(default_factory=set)
    #: stored fact sources whose facts must go before settling (their old pair and key)
    unhold: list[Owned] = field(default_factory=list)
    pairs: set[Pair] = field(default_factory=set)
    plan: ReloadPlan = field(default_factory=ReloadPlan)
    #: plan per placed submission (by item index)
    by_index: dict[int, SubmissionPlan] = field(default_factory=dict)

    @property
    def fresh(self) -> list[Placed]:
        """Files whose bytes are not stored yet: they load as new."""
        return [p for p in self.placed if p.stored is None]

    @property
    def reloaded(self) -> list[Placed]:
        return [p for p in self.placed if p.stored is not None]


@dataclass
class Simulation:
    """The pairs' settling as it would run after the chunk's writes, and what is held before."""

    actions: dict[Pair, PairAction]
    holders_before: dict[Pair, frozenset[int]]
    before: dict[Pair, HeldFacts]
    #: the cells each submission would bring (None: not loadable), by (placeholder) key
    facts_by_key: dict[int, dict[str, Any] | None]
    #: item index → its key, or a placeholder above every stored key for a new file
    key_of: dict[int, int]
    old_pair: dict[int, Pair | None]


@dataclass
class PairEffects:
    """What the simulated settling does to each pair's facts, spread over the submissions involved."""

    links: dict[int, int | None] = field(default_factory=dict)
    source_after: dict[Pair, int | None] = field(default_factory=dict)
    changes: defaultdict[int, list[CellChange]] = field(default_factory=lambda: defaultdict(list))
    counts: Counter[int] = field(default_factory=Counter)


# ---- reading what is stored --------------------------------------------------------------------


def stored_rows(conn: Connection, hashes: Sequence[str]) -> dict[str, Any]:
    """The dim_submission row of each hash already stored."""
    s = DimSubmission.__table__
    out: dict[str, Any] = {}
    for part in chunks(list(dict.fromkeys(hashes))):
        out.update((r.sha256, r) for r in conn.execute(select(s).where(s.c.sha256.in_(part))))
    return out


def stored_findings(conn: Connection, keys: Sequence[int]) -> dict[int, list[FindingRow]]:
    """The fact_finding rows of each submission, as tuples in column order."""
    f = FactFinding.__table__
    columns = [f.c[c.name] for c in f.columns]
    out: dict[int, list[FindingRow]] = defaultdict(list)
    for part in chunks(sorted(keys)):
        for row in conn.execute(select(*columns).where(f.c.submission_key.in_(part))):
            out[row.submission_key].append(tuple(row))
    return out


def _placeholder_base(conn: Connection) -> int:
    s = DimSubmission.__table__
    return int(conn.execute(select(func.max(s.c.submission_key))).scalar() or 0) + 1


def pair_of(row: Any) -> Pair | None:
    """The (agency, year) a dim_submission row is placed in (None: unplaced, or no row)."""
    return None if row is None or row.agency_id is None or row.year is None else (row.agency_id, row.year)


# ---- comparing findings ------------------------------------------------------------------------


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
        signature = tuple(first[at[n]] for n in ("rule_id", "severity", "printed", "expected", "message", "previous"))
        out[(*signature[:2], cells, *signature[2:])] += 1
    return out


def _by_rule(counter: Counter[tuple[Any, ...]]) -> dict[str, int]:
    out: dict[str, int] = {}
    for signature, n in counter.items():
        out[signature[0]] = out.get(signature[0], 0) + n
    return dict(sorted(out.items()))


def compare_findings(conn: Connection, reloaded: Sequence[Placed]) -> tuple[dict[int, list[FindingRow]], set[int]]:
    """The stored findings of the reloaded submissions, and the keys whose new findings differ."""
    old = stored_findings(conn, [p.skey for p in reloaded])
    changed = set()
    for p in reloaded:
        new = _finding_tuples(finding_rows(p.skey, p.findings))
        if sorted(new, key=repr) != sorted(old.get(p.skey, []), key=repr):
            changed.add(p.skey)
    return old, changed


def findings_delta(p: Placed, key: int, prep: Prepared) -> tuple[dict[str, int], dict[str, int]]:
    """Findings by rule that the new reading adds and removes (all added for a new file)."""
    if p.stored is not None and p.key not in prep.findings_changed:
        return {}, {}
    new = _signatures(_finding_tuples(finding_rows(key, p.findings)))
    old = _signatures(prep.old_findings.get(p.skey, [])) if p.stored is not None else Counter()
    return _by_rule(new - old), _by_rule(old - new)


# ---- comparing fields and facts ----------------------------------------------------------------


def changed_fields(p: Placed) -> tuple[str, ...]:
    """The `VALUE_FIELDS` a stored submission's new reading changes.

    An operator's `registry map` stays the reason the name is placed where it is: a name the
    alias places on the same agency keeps its method `mapped`.
    """
    old = p.stored
    if old.match_method == "mapped" and p.method == "alias" and p.agency_id == old.agency_id:
        p.method = "mapped"
    values = p.values()
    return tuple(f for f in VALUE_FIELDS if getattr(old, f) != values[f])


def loadable_cells(p: Placed) -> dict[str, Any] | None:
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


def stale_sources(
    reloaded: Sequence[Placed],
    old_pair: dict[int, Pair | None],
    before: dict[Pair, HeldFacts],
    new_facts: dict[int, dict[str, Any] | None],
) -> list[Owned]:
    """Stored fact sources whose held facts no longer match their reading (other cells, or another pair)."""
    out: list[Owned] = []
    for p in reloaded:
        pair = old_pair[p.skey]
        if not p.stored.has_facts or pair is None:
            continue
        held_now = {c: v for c, (v, k) in before[pair].items() if k == p.key}
        if p.pair != pair or new_facts[p.index] != held_now:
            out.append((pair[0], pair[1], p.skey))
    return out


# ---- simulating and planning -------------------------------------------------------------------


def placed_again(conn: Connection, items: Sequence[CheckedSubmission], now: datetime) -> list[Placed]:
    """Each distinct file of the chunk, with its stored row when its bytes are stored (a reload)."""
    stored = stored_rows(conn, [i.source.sha256 for i in items])
    placed: list[Placed] = []
    seen: set[str] = set()
    for i, item in enumerate(items):
        sha = item.source.sha256
        if sha in seen:
            continue
        seen.add(sha)
        row = stored.get(sha)
        received = row.received_at if row is not None else naive_utc(item.received_at, now)
        placed.append(Placed(i, item, received, stored=row))
    return placed


def simulate(
    conn: Connection,
    prep: Prepared,
    before: dict[Pair, HeldFacts],
    new_facts: dict[int, dict[str, Any] | None],
    old_pair: dict[int, Pair | None],
) -> Simulation:
    """`decide` over the pairs' stored submissions, with this chunk's as they would be after writing."""
    base = _placeholder_base(conn)
    key_of = {p.index: p.key if p.key is not None else base + n for n, p in enumerate(prep.placed)}
    mine = {p.key for p in prep.reloaded}
    unheld = {key for *_, key in prep.unhold}
    held = held_for(conn, prep.pairs)
    simulated = {pair: [h for h in hs if h.key not in mine] for pair, hs in held.items()}
    for p in prep.placed:
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
    available = {key_of[p.index] for p in prep.placed if new_facts[p.index] is not None}
    return Simulation(
        actions={pair: decide(hs, available) for pair, hs in simulated.items()},
        holders_before={pair: frozenset(h.key for h in hs if h.has_facts) for pair, hs in held.items()},
        before=before,
        facts_by_key={key_of[p.index]: new_facts[p.index] for p in prep.placed},
        key_of=key_of,
        old_pair=old_pair,
    )


def _values_after(sim: Simulation, pair: Pair, act: PairAction) -> dict[str, Any]:
    """The cells the pair would hold after settling: the source's new reading, or what it keeps."""
    if act.write and act.source is not None:
        return dict(sim.facts_by_key[act.source] or {})
    if act.holding:
        return {c: v for c, (v, k) in sim.before[pair].items() if k == act.source}
    return {}


def pair_effects(sim: Simulation, plan: ReloadPlan) -> PairEffects:
    """Each pair's fact changes (into `plan.pairs` and `plan.reread`), and per submission the cells
    changed in the pairs it is the fact source of, before or after."""
    out = PairEffects()
    for pair in sorted(sim.actions):
        act = sim.actions[pair]
        out.links.update(act.links)
        after = act.source if (act.write or act.holding) else None
        out.source_after[pair] = after
        earlier = min(sim.holders_before[pair]) if sim.holders_before[pair] else None
        diff = _diff({c: v for c, (v, _k) in sim.before[pair].items()}, _values_after(sim, pair, act))
        if diff or earlier != after or act.reread:
            reread = act.source if act.reread else None
            plan.pairs.append(PairPlan(pair[0], pair[1], earlier, after, len(diff), tuple(diff[:EXAMPLES]), reread))
            for key in {k for k in (earlier, after) if k is not None}:
                out.changes[key] += diff
                out.counts[key] += len(diff)
        if act.reread and act.source is not None:
            plan.reread.append(act.source)
    plan.reread.sort()
    return out


def submission_plan(p: Placed, prep: Prepared, sim: Simulation, effects: PairEffects) -> SubmissionPlan:
    """What the reload would do to one submitted file."""
    key = sim.key_of[p.index]
    old = p.stored
    added, removed = findings_delta(p, key, prep)
    return SubmissionPlan(
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
        has_facts_after=p.pair is not None and effects.source_after.get(p.pair) == key,
        superseded_by_before=old.superseded_by if old is not None else None,
        superseded_by_after=effects.links.get(key, old.superseded_by if old is not None else None),
        fields_changed=prep.fields_changed.get(p.skey, ()) if old is not None else (),
        facts_changed=effects.counts[key],
        examples=tuple(effects.changes[key][:EXAMPLES]),
        findings_added=added,
        findings_removed=removed,
    )


def plan_of(prep: Prepared, sim: Simulation) -> ReloadPlan:
    """The dry run's answer: per pair and per submission what changes (fills `prep.by_index`)."""
    plan = ReloadPlan()
    effects = pair_effects(sim, plan)
    changed = {(p.agency_id, p.year) for p in plan.pairs} | {pair for pair, a in sim.actions.items() if a.links}
    for p in prep.placed:
        sub = submission_plan(p, prep, sim, effects)
        prep.by_index[p.index] = sub
        plan.submissions.append(sub)
        if sub.changed:
            old_pair = sim.old_pair.get(p.skey) if p.stored is not None else None
            changed.update(x for x in (p.pair, old_pair) if x)
    plan.changed = sorted(changed)
    return plan


def prepare(
    conn: Connection, items: Sequence[CheckedSubmission], matcher: AgencyMatcher, now: datetime
) -> Prepared:
    """Place, compare and simulate a reload of `items` against the warehouse; reads only."""
    placed = placed_again(conn, items, now)
    prep = Prepared(placed=placed, provisional=place(placed, matcher))
    reloaded = prep.reloaded
    prep.fields_changed = {p.skey: changed_fields(p) for p in reloaded}
    prep.old_findings, prep.findings_changed = compare_findings(conn, reloaded)
    old_pair = {p.skey: pair_of(p.stored) for p in reloaded}
    prep.pairs = {p.pair for p in placed if p.pair is not None} | {x for x in old_pair.values() if x}
    before = facts_of_pairs(conn, prep.pairs)
    new_facts = {p.index: loadable_cells(p) for p in placed}
    prep.unhold = stale_sources(reloaded, old_pair, before, new_facts)
    prep.plan = plan_of(prep, simulate(conn, prep, before, new_facts, old_pair))
    fact_pairs = [(p.agency_id, p.year) for p in prep.plan.pairs]
    prep.plan.recheck = next_year_pairs(conn, fact_pairs) if fact_pairs else []
    return prep
