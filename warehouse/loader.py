"""Loading chunks of checked submissions: one transaction per chunk, bulk upserts on the fact grain.

Per chunk: files already stored (same sha256) are "unchanged" and touch nothing; every new file
gets a dim_submission row with its state and reason, and its findings; each report is placed in
the registry (warehouse/registry.py — unmatched or ambiguous names load under a provisional
agency with a soft finding); then each affected (agency, year) is settled (warehouse/supersession.py):
the latest received submission supersedes the earlier ones, and the fact tables hold the facts
of the latest LOADED one (the pair's old facts deleted, the new source's inserted on the grain
keys). A load_audit row records the run id, counts and time; a chunk that fails rolls back
whole and leaves a 'failed' audit row saying why.

`Loader.reload_chunk` is the backfill's twin of `load_chunk`: stored bytes are re-loaded with
their new reading instead of being "unchanged" (warehouse/reload.py). Both read every result
back after settling, so a `SubmissionResult` says where the file ended: its state, whether its
facts count, what supersedes it and whether that arrived in the same run (`superseded_in_run`).
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import cache
from typing import Any

from alembic.runtime.migration import MigrationContext
from sqlalchemy import Connection, Engine, insert, select, update

from form.agency_matching import AgencyMatcher, Match
from form.catalogue import all_cells
from form.record import Finding, Report
from form.rules import PLACEMENT_RULES
from warehouse.dimensions import unlisted_rule_row, year_row
from warehouse.migrate import head
from warehouse.records import (
    CheckedSubmission,
    LoadResult,
    Outcome,
    Pair,
    State,
    SubmissionResult,
    hard_summary,
)
from warehouse.registry_matcher import provisional_id, provisional_rows, registry_names
from warehouse.schema import (
    Agency,
    DimAgency,
    DimCell,
    DimRule,
    DimSubmission,
    DimYear,
    FactApplication,
    FactDisclosure,
    FactFinding,
    FactReviewLitigation,
    LoadAudit,
)
from warehouse.sql import chunks, upsert
from warehouse.supersession import (
    apply_links,
    decide,
    delete_facts_except,
    delete_pair_facts,
    held_for,
    set_fact_flags,
)

DEFAULT_CHUNK = 500


class WarehouseNotReady(RuntimeError):
    """The warehouse must be upgraded before loading."""


_RULES = {r.id: r for r in PLACEMENT_RULES}
_FACTS = (FactApplication.__table__, FactDisclosure.__table__, FactReviewLitigation.__table__)
_GRAIN = {
    "fact_application": ("agency_id", "year", "outcome_id", "applicant_type_id"),
    "fact_disclosure": ("agency_id", "year", "item_id", "measure_id"),
    "fact_review_litigation": ("agency_id", "year", "proceeding_id", "result_id"),
}
_COLUMNS = {
    2: ("item_id", "measure_id"),
    3: ("outcome_id", "applicant_type_id"),
    4: ("proceeding_id", "result_id"),
}
_TABLE_OF = {2: 1, 3: 0, 4: 2}


def _now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


def _naive_utc(moment: datetime | None, default: datetime) -> datetime:
    if moment is None:
        return default
    return moment.astimezone(UTC).replace(tzinfo=None) if moment.tzinfo else moment


@cache
def _cell_map() -> dict[str, tuple[int, str, str, str]]:
    return {cid: (c.table, c.row, c.column, c.kind) for cid, c in all_cells().items()}


FactRows = tuple[list[dict[str, Any]], list[dict[str, Any]], list[dict[str, Any]]]


def fact_rows(
    report: Report, agency_id: str, year: int, submission_key: int
) -> tuple[FactRows, list[Finding]]:
    """The report's printed cells as rows of the three fact tables (blank cells as NULL rows).

    Cells outside the catalogue and values outside a cell's domain are not written: each becomes
    a finding instead (a hard one for the domain), so nothing is silently coerced.
    """
    out: FactRows = ([], [], [])
    problems: list[Finding] = []
    cells = _cell_map()
    for cell, value in report.cells.items():
        spec = cells.get(cell)
        if spec is None:
            problems.append(
                Finding(
                    rule="values.domain",
                    severity="hard",
                    cells=[cell],
                    printed=value,
                    message="warehouse: not a cell of the form",
                )
            )
            continue
        table, row, column, kind = spec
        if value is not None and kind != "amount":
            if isinstance(value, float):
                if not value.is_integer():
                    problems.append(
                        Finding(
                            rule="values.domain",
                            severity="hard",
                            cells=[cell],
                            printed=value,
                            message="warehouse: not a whole number",
                        )
                    )
                    continue
                value = int(value)
            if kind == "count" and value < 0:
                problems.append(
                    Finding(
                        rule="values.domain",
                        severity="hard",
                        cells=[cell],
                        printed=value,
                        message="warehouse: negative count",
                    )
                )
                continue
        a, b = _COLUMNS[table]
        out[_TABLE_OF[table]].append(
            {
                "agency_id": agency_id,
                "year": year,
                a: row,
                b: column,
                "value": value,
                "submission_key": submission_key,
            }
        )
    return out, problems


def _finding_rows(submission_key: int, findings: Sequence[Finding]) -> list[dict[str, Any]]:
    rows = []
    for n, f in enumerate(findings):
        for cell in dict.fromkeys(f.cells or [""]):
            rows.append(
                {
                    "submission_key": submission_key,
                    "finding_no": n,
                    "cell": cell,
                    "rule_id": f.rule,
                    "severity": f.severity,
                    "printed": None if f.printed is None else str(f.printed),
                    "expected": None if f.expected is None else str(f.expected),
                    "message": f.message,
                    "previous": f.previous,
                }
            )
    return rows


def _placement_finding(match: Match, printed: str, year: int) -> Finding | None:
    if match.method == "unregistered":
        return Finding(
            rule="registry.unregistered",
            severity="soft",
            printed=printed,
            message=f"「{printed}」不在{year}年度机关名录中 / not in the registry for {year}: loaded as unassigned",
        )
    if match.method == "ambiguous":
        return Finding(
            rule="registry.agency_ambiguous",
            severity="soft",
            printed=printed,
            expected=",".join(match.candidates),
            message=f"「{printed}」可能是 / could be {', '.join(match.candidates)}: loaded as unassigned until mapped",
        )
    if match.method == "other_year":
        return Finding(
            rule="registry.name_other_year",
            severity="soft",
            printed=printed,
            message=f"「{printed}」 is a name the registry gives {match.agency_id} in another year",
        )
    return None


class Placed:
    """One submission on its way in: a new file, or a stored one being re-loaded (`stored` set)."""

    __slots__ = (
        "index",
        "item",
        "state",
        "reason",
        "findings",
        "agency_id",
        "year",
        "method",
        "received_at",
        "key",
        "facts",
        "stored",
    )

    def __init__(
        self, index: int, item: CheckedSubmission, received_at: datetime, stored: Any = None
    ) -> None:
        self.index = index
        self.item = item
        self.state: State = item.state
        self.reason = item.reason
        self.findings: list[Finding] = list(item.findings)
        self.agency_id: str | None = None
        self.year: int | None = item.report.year if item.report else None
        self.method: str | None = None
        self.received_at = received_at
        self.key: int | None = None if stored is None else stored.submission_key
        self.facts: FactRows | None = None
        #: the dim_submission row of a stored submission (a reload)
        self.stored = stored

    @property
    def skey(self) -> int:
        """Its submission key, once it has one (stored, or inserted by this chunk)."""
        if self.key is None:
            raise RuntimeError(f"{self.item.source.path}: no submission key yet")
        return self.key

    @property
    def pair(self) -> Pair | None:
        if self.agency_id is None or self.year is None:
            return None
        return (self.agency_id, self.year)

    def reject(self, extra: list[Finding]) -> None:
        self.findings += extra
        if self.state == "loaded":
            self.state = "rejected"
            self.reason = hard_summary(self.findings)

    def values(self) -> dict[str, Any]:
        """Its dim_submission columns that reading and placing decide (not keys, links or history)."""
        report = self.item.report
        return {
            "media_type": self.item.source.media_type,
            "published": report.published if report else None,
            "printed_agency": report.agency if report else None,
            "agency_id": self.agency_id,
            "year": self.year if self.agency_id is not None else None,
            "version": report.version if report else None,
            "state": self.state,
            "reason": self.reason,
            "match_method": self.method,
        }


def place(placed: Sequence[Placed], matcher: AgencyMatcher) -> dict[str, str]:
    """Match each report to an agency and build its fact rows (pure); returns provisional id → name.

    Unplaceable reports (no agency or year) and values outside their cell's domain become hard
    findings here, so the state every caller stores is the same.
    """
    provisional: dict[str, str] = {}
    for p in placed:
        report = p.item.report
        if report is None:
            continue
        if not report.agency or report.year is None:
            p.year = None
            p.reject(
                [
                    Finding(
                        rule="warehouse.unplaceable",
                        severity="hard",
                        printed=report.agency,
                        message=_RULES["warehouse.unplaceable"].statement_en,
                    )
                ]
            )
            continue
        match = matcher.match(report.agency, report.year)
        p.method = match.method
        p.agency_id = match.agency_id or provisional_id(report.agency)
        if match.agency_id is None:
            provisional.setdefault(p.agency_id, report.agency)
        note = _placement_finding(match, report.agency, report.year)
        if note is not None:
            p.findings.append(note)
        if p.state == "loaded":
            facts, problems = fact_rows(report, p.agency_id, report.year, p.key or 0)
            if problems:
                p.reject(problems)
            else:
                p.facts = facts
    return provisional


def ensure_dimensions(conn: Connection, placed: Sequence[Placed], provisional: dict[str, str]) -> int:
    """Provisional agencies, years and unlisted rules the placed submissions need; returns agencies created."""
    created = _insert_provisional(conn, provisional)
    years = sorted({p.year for p in placed if p.agency_id is not None and p.year is not None})
    upsert(conn, DimYear.__table__, [year_row(y) for y in years], ["year"], update=[])
    rules = set(conn.execute(select(DimRule.__table__.c.rule_id)).scalars())
    unknown: dict[str, str] = {}
    for p in placed:
        for f in p.findings:
            if f.rule not in rules:
                unknown.setdefault(f.rule, f.severity)
    upsert(
        conn,
        DimRule.__table__,
        [unlisted_rule_row(r, sev) for r, sev in unknown.items()],
        ["rule_id"],
        update=[],
    )
    return created


def _insert_provisional(conn: Connection, provisional: dict[str, str]) -> int:
    if not provisional:
        return 0
    a = Agency.__table__
    known: set[str] = set()
    ids = sorted(provisional)
    for part in chunks(ids):
        known.update(conn.execute(select(a.c.agency_id).where(a.c.agency_id.in_(part))).scalars())
    now = _now()
    rows = [provisional_rows(i, provisional[i], now) for i in ids if i not in known]
    # do-nothing upserts: a concurrent load may have created the same provisional agency
    upsert(conn, a, [r[0] for r in rows], ["agency_id"], update=[])
    upsert(conn, DimAgency.__table__, [r[1] for r in rows], ["agency_id", "valid_from"], update=[])
    return len(rows)


def insert_submissions(conn: Connection, fresh: Sequence[Placed], audit_key: int) -> None:
    """dim_submission rows for new files (not yet superseding anything); sets each one's key."""
    if not fresh:
        return
    s = DimSubmission.__table__
    rows = [
        {
            "sha256": p.item.source.sha256,
            "path": p.item.source.path,
            "received_at": p.received_at,
            **p.values(),
            "superseded_by": None,
            "superseded_at": None,
            "has_facts": False,
            "audit_key": audit_key,
        }
        for p in fresh
    ]
    conn.execute(insert(s), rows)
    keys: dict[str, int] = {}
    for part in chunks([p.item.source.sha256 for p in fresh]):
        keys.update(conn.execute(select(s.c.sha256, s.c.submission_key).where(s.c.sha256.in_(part))).all())
    for p in fresh:
        p.key = keys[p.item.source.sha256]
        for table_rows in p.facts or ():
            for row in table_rows:
                row["submission_key"] = p.key


def finding_rows_of(placed: Sequence[Placed]) -> list[dict[str, Any]]:
    return [row for p in placed for row in _finding_rows(p.skey, p.findings)]


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
    #: submissions whose has_facts was set / cleared
    on: list[int] = field(default_factory=list)
    off: list[int] = field(default_factory=list)


def settle_pairs(conn: Connection, pairs: Iterable[Pair], available: Mapping[int, FactRows]) -> Settled:
    """Supersede within each pair and make its facts the latest loaded submission's (`decide`).

    `available` holds the fact rows this chunk read, by submission key. A pair whose source is
    neither held nor available (a reload demoted the newer source) is left without facts and the
    source is reported for re-reading: never facts of the wrong submission.
    """
    out = Settled()
    clear: list[Pair] = []
    keep: list[tuple[str, int, int]] = []
    on, off = out.on, out.off
    for pair, held in held_for(conn, pairs).items():
        act = decide(held, available)
        out.links.update(act.links)
        if act.links:
            out.link_pairs.add(pair)
        off += sorted(act.off)
        if act.clear:
            clear.append(pair)
        source = act.source
        if source is not None:
            if act.drop_others:
                keep.append((pair[0], pair[1], source))
            if act.write:
                on.append(source)
            if act.reread:
                out.reread.append(source)
        if act.facts_change:
            out.fact_pairs.add(pair)
    apply_links(conn, out.links, _now())
    out.facts_deleted = delete_pair_facts(conn, clear) + delete_facts_except(conn, keep)
    rows: FactRows = ([], [], [])
    for key in on:
        for i, table_rows in enumerate(available[key]):
            rows[i].extend(table_rows)
    for table, table_rows in zip(_FACTS, rows, strict=True):
        out.facts_written += upsert(conn, table, table_rows, _GRAIN[table.name], unique=True)
    set_fact_flags(conn, on, off)
    out.reread.sort()
    return out


def next_year_pairs(conn: Connection, pairs: Iterable[Pair]) -> list[Pair]:
    """(agency, year + 1) for each pair, where that year has submissions: what to re-check."""
    later = held_for(conn, [(a, y + 1) for a, y in pairs])
    return sorted(pair for pair, held in later.items() if held)


def chunk_results(
    conn: Connection,
    run_id: str,
    items: Sequence[CheckedSubmission],
    placed: Sequence[Placed],
    keys: Mapping[str, int],
    outcomes: Mapping[int, Outcome],
) -> list[SubmissionResult]:
    """One result per item (in order), read back after settling: state, facts, supersession.

    `outcomes` is by item index; items without one (duplicates, stored bytes) are "unchanged".

    `superseded_in_run` is true when the submission and the one superseding it both arrived in
    `run_id` (their dim_submission rows were created by chunks of that run).
    """
    s, n = DimSubmission.__table__.alias("s"), DimSubmission.__table__.alias("n")
    a, b = LoadAudit.__table__.alias("a"), LoadAudit.__table__.alias("b")
    rows: dict[int, Any] = {}
    wanted = sorted(set(keys.values()))
    for part in chunks(wanted):
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
    if not candidates:
        return []
    s, a = DimSubmission.__table__, LoadAudit.__table__
    n, b = DimSubmission.__table__.alias("n"), LoadAudit.__table__.alias("b")
    out: list[int] = []
    for part in chunks(candidates):
        out += conn.execute(
            select(s.c.submission_key)
            .join(a, a.c.audit_key == s.c.audit_key)
            .join(n, n.c.submission_key == s.c.superseded_by)
            .join(b, b.c.audit_key == n.c.audit_key)
            .where(s.c.submission_key.in_(part), a.c.run_id == run_id, b.c.run_id == run_id)
        ).scalars()
    return sorted(out)


class Loader:
    """Loads chunks into one warehouse under one run id, keeping its registry matcher between chunks."""

    def __init__(self, engine: Engine, run_id: str | None = None) -> None:
        self.engine = engine
        self.run_id = run_id or uuid.uuid4().hex
        self._matcher_key: int | None = None
        self._matcher: AgencyMatcher | None = None
        self._chunk_no = 0
        self._ready = False

    def load(
        self, submissions: Iterable[CheckedSubmission], chunk_size: int = DEFAULT_CHUNK
    ) -> list[LoadResult]:
        """Load in chunks of `chunk_size`, one transaction each."""
        return [self.load_chunk(batch) for batch in _batches(submissions, chunk_size)]

    def load_chunk(self, submissions: Sequence[CheckedSubmission]) -> LoadResult:
        """Load one chunk in one transaction; on failure record a 'failed' audit row and re-raise."""
        return self._chunk(list(submissions), "load")

    def reload(
        self, submissions: Iterable[CheckedSubmission], chunk_size: int = DEFAULT_CHUNK
    ) -> list[LoadResult]:
        """Reload in chunks of `chunk_size` (keep each (agency, year)'s files in one chunk: see
        `warehouse.reload.chunk_by_pair`)."""
        return [self.reload_chunk(batch) for batch in _batches(submissions, chunk_size)]

    def reload_chunk(self, submissions: Sequence[CheckedSubmission]) -> LoadResult:
        """Re-load files whose bytes are stored, with their new reading and findings, in one transaction.

        Each stored submission keeps its key, path and received_at; its state, reason, placement
        (printed name, agency, year, version), findings and — where it is or becomes its pair's
        fact source — facts are replaced, and supersession is settled as a fresh load would. A
        reload with identical results writes nothing (outcome "unchanged"). Files not stored yet
        load as new. Changes are recorded in submission_revision; see warehouse/reload.py.
        """
        return self._chunk(list(submissions), "reload")

    # ---- steps ---------------------------------------------------------------------------------

    def _chunk(self, items: list[CheckedSubmission], mode: str) -> LoadResult:
        chunk_no = self._chunk_no
        self._chunk_no += 1
        started, clock = _now(), time.perf_counter()
        try:
            with self.engine.begin() as conn:
                if not self._ready:
                    self._check_ready(conn)
                audit_key = self._open_audit(conn, chunk_no, started, len(items), mode)
                result = LoadResult(run_id=self.run_id, audit_key=audit_key, chunk_no=chunk_no, mode=mode)
                if mode == "reload":
                    from warehouse.reload import reload_into

                    reload_into(conn, items, self._matcher_for(conn), result, started)
                else:
                    self._load(conn, items, result, started)
                result.seconds = time.perf_counter() - clock
                self._close_audit(conn, result)
                return result
        except Exception as exc:
            with self.engine.begin() as conn:
                conn.execute(
                    insert(LoadAudit.__table__).values(
                        run_id=self.run_id,
                        chunk_no=chunk_no,
                        status="failed",
                        started_at=started,
                        finished_at=_now(),
                        seconds=time.perf_counter() - clock,
                        submissions=len(items),
                        message=f"{type(exc).__name__}: {exc}"[:4000],
                        # a warehouse behind the code may not have the mode column (0003) yet
                        **({} if isinstance(exc, WarehouseNotReady) else {"mode": mode}),
                        **dict.fromkeys(_COUNTS, 0),
                    )
                )
            raise

    def _check_ready(self, conn: Connection) -> None:
        """Refuse to load into a warehouse whose schema or fixed dimensions lag behind the code.

        Fact tables do not repeat foreign keys to the fixed dimensions (see warehouse/schema.py),
        so this check is what keeps every fact cell joinable.
        """
        at = MigrationContext.configure(conn).get_current_revision()
        if at != head():
            raise WarehouseNotReady(
                f"the warehouse is at revision {at}, the code at {head()}: run `xxgk warehouse upgrade`"
            )
        cells = set(conn.execute(select(DimCell.__table__.c.cell_id)).scalars())
        if missing := set(_cell_map()) - cells:
            raise WarehouseNotReady(
                f"{len(missing)} catalogue cells missing from dim_cell: run `xxgk warehouse upgrade`"
            )
        self._ready = True

    def _matcher_for(self, conn: Connection) -> AgencyMatcher:
        names, aliases = registry_names(conn)
        key = hash((names, tuple(sorted(aliases.items()))))
        if self._matcher is None or key != self._matcher_key:
            self._matcher, self._matcher_key = AgencyMatcher(names, aliases), key
        return self._matcher

    def _open_audit(self, conn: Connection, chunk_no: int, started: datetime, size: int, mode: str) -> int:
        audit = LoadAudit.__table__
        return conn.execute(
            insert(audit)
            .values(
                run_id=self.run_id,
                chunk_no=chunk_no,
                status="running",
                started_at=started,
                submissions=size,
                mode=mode,
                **dict.fromkeys(_COUNTS, 0),
            )
            .returning(audit.c.audit_key)
        ).scalar_one()

    def _close_audit(self, conn: Connection, result: LoadResult) -> None:
        audit = LoadAudit.__table__
        conn.execute(
            update(audit)
            .where(audit.c.audit_key == result.audit_key)
            .values(
                status="ok",
                finished_at=_now(),
                seconds=result.seconds,
                loaded=result.count("loaded"),
                rejected=result.count("rejected"),
                quarantined=result.count("quarantined"),
                unchanged=result.count("unchanged"),
                superseded=result.superseded,
                provisional_agencies=result.provisional_agencies,
                facts_written=result.facts_written,
                facts_deleted=result.facts_deleted,
                findings_written=result.findings_written,
            )
        )

    def _load(
        self, conn: Connection, items: list[CheckedSubmission], result: LoadResult, now: datetime
    ) -> None:
        fresh, stored = new_items(conn, items, now)
        provisional = place(fresh, self._matcher_for(conn))
        result.provisional_agencies = ensure_dimensions(conn, fresh, provisional)
        insert_submissions(conn, fresh, result.audit_key)
        findings = finding_rows_of(fresh)
        if findings:
            conn.execute(insert(FactFinding.__table__), findings)
        result.findings_written = len(findings)
        pairs = {p.pair for p in fresh if p.pair is not None}
        settled = settle_pairs(conn, pairs, {p.skey: p.facts for p in fresh if p.facts is not None})
        record_settled(conn, result, settled, pairs)
        keys = {**stored, **{p.item.source.sha256: p.skey for p in fresh}}
        outcomes = {p.index: p.state for p in fresh}
        result.submissions = chunk_results(conn, self.run_id, items, fresh, keys, outcomes)
        result.superseded_earlier = superseded_earlier(conn, self.run_id, settled.links, keys.values())


def record_settled(conn: Connection, result: LoadResult, settled: Settled, pairs: Iterable[Pair]) -> None:
    """Copy what settling did into the chunk's result (counts, changed pairs, re-checks, re-reads)."""
    result.superseded = sum(1 for by in settled.links.values() if by is not None)
    result.facts_written += settled.facts_written
    result.facts_deleted += settled.facts_deleted
    result.reread = settled.reread
    result.changed = sorted(set(pairs) | settled.fact_pairs)
    result.recheck = next_year_pairs(conn, settled.fact_pairs) if settled.fact_pairs else []


def new_items(
    conn: Connection, items: Sequence[CheckedSubmission], now: datetime
) -> tuple[list[Placed], dict[str, int]]:
    """The submissions whose bytes are not stored yet (first of duplicates), and stored keys by hash."""
    stored = stored_keys(conn, [i.source.sha256 for i in items])
    fresh: list[Placed] = []
    seen: set[str] = set()
    for i, item in enumerate(items):
        sha = item.source.sha256
        if sha in stored or sha in seen:
            continue
        seen.add(sha)
        fresh.append(Placed(i, item, _naive_utc(item.received_at, now)))
    return fresh, stored


def stored_keys(conn: Connection, hashes: Sequence[str]) -> dict[str, int]:
    s = DimSubmission.__table__
    wanted = list(dict.fromkeys(hashes))
    out: dict[str, int] = {}
    for part in chunks(wanted):
        out.update(conn.execute(select(s.c.sha256, s.c.submission_key).where(s.c.sha256.in_(part))).all())
    return out


def _batches(items: Iterable[CheckedSubmission], size: int) -> Iterator[list[CheckedSubmission]]:
    batch: list[CheckedSubmission] = []
    for item in items:
        batch.append(item)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


_COUNTS = (
    "loaded",
    "rejected",
    "quarantined",
    "unchanged",
    "superseded",
    "provisional_agencies",
    "facts_written",
    "facts_deleted",
    "findings_written",
)


def load_chunk(
    engine: Engine, submissions: Sequence[CheckedSubmission], run_id: str | None = None
) -> LoadResult:
    """Load one chunk under a new (or given) run id."""
    return Loader(engine, run_id).load_chunk(submissions)
