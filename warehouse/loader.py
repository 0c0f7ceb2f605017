"""Loading chunks of checked submissions: one transaction per chunk, bulk upserts on the fact grain.

Per chunk: files already stored (same sha256) are "unchanged" and touch nothing; every new file
gets a dim_submission row with its state and reason, and its findings; each report is placed in
the registry (warehouse/registry.py — unmatched or ambiguous names load under a provisional
agency with a soft finding); then each affected (agency, year) is settled (warehouse/supersession.py):
the latest received submission supersedes the earlier ones, and the fact tables hold the facts
of the latest LOADED one, upserted on the grain keys with leftovers of the previous source
deleted. A load_audit row records the run id, counts and time; a chunk that fails rolls back
whole and leaves a 'failed' audit row saying why.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Iterable, Sequence
from datetime import UTC, datetime
from functools import cache
from typing import Any

from alembic.runtime.migration import MigrationContext
from sqlalchemy import Connection, Engine, insert, select, update

from form.catalogue import all_cells
from form.record import Finding, Report
from warehouse.dimensions import WAREHOUSE_RULES, unlisted_rule_row, year_row
from warehouse.migrate import head
from warehouse.records import CheckedSubmission, LoadResult, SubmissionResult, hard_summary
from warehouse.registry import AgencyMatcher, Match, provisional_id, provisional_rows, registry_names
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
from warehouse.supersession import Pair, apply_links, delete_facts_except, held_for, set_fact_flags, settle

DEFAULT_CHUNK = 500


class WarehouseNotReady(RuntimeError):
    """The warehouse must be upgraded before loading."""


_RULES = {r.id: r for r in WAREHOUSE_RULES}
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


class _Placed:
    """One new submission on its way in."""

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
    )

    def __init__(self, index: int, item: CheckedSubmission, received_at: datetime) -> None:
        self.index = index
        self.item = item
        self.state = item.state
        self.reason = item.reason
        self.findings: list[Finding] = list(item.findings)
        self.agency_id: str | None = None
        self.year: int | None = item.report.year if item.report else None
        self.method: str | None = None
        self.received_at = received_at
        self.key: int | None = None
        self.facts: FactRows | None = None

    def reject(self, extra: list[Finding]) -> None:
        self.findings += extra
        if self.state == "loaded":
            self.state = "rejected"
            self.reason = hard_summary(self.findings)


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
        results: list[LoadResult] = []
        batch: list[CheckedSubmission] = []
        for item in submissions:
            batch.append(item)
            if len(batch) >= chunk_size:
                results.append(self.load_chunk(batch))
                batch = []
        if batch:
            results.append(self.load_chunk(batch))
        return results

    def load_chunk(self, submissions: Sequence[CheckedSubmission]) -> LoadResult:
        """Load one chunk in one transaction; on failure record a 'failed' audit row and re-raise."""
        chunk_no = self._chunk_no
        self._chunk_no += 1
        started, clock = _now(), time.perf_counter()
        try:
            with self.engine.begin() as conn:
                return self._load(conn, list(submissions), chunk_no, started, clock)
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
                        submissions=len(submissions),
                        message=f"{type(exc).__name__}: {exc}"[:4000],
                        **dict.fromkeys(_COUNTS, 0),
                    )
                )
            raise

    # ---- steps ---------------------------------------------------------------------------------

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

    def _load(
        self, conn: Connection, items: list[CheckedSubmission], chunk_no: int, started: datetime, clock: float
    ) -> LoadResult:
        if not self._ready:
            self._check_ready(conn)
        audit = LoadAudit.__table__
        audit_key = conn.execute(
            insert(audit)
            .values(
                run_id=self.run_id,
                chunk_no=chunk_no,
                status="running",
                started_at=started,
                submissions=len(items),
                **dict.fromkeys(_COUNTS, 0),
            )
            .returning(audit.c.audit_key)
        ).scalar_one()
        result = LoadResult(run_id=self.run_id, audit_key=audit_key, chunk_no=chunk_no)

        fresh, stored = self._new_items(conn, items, started)
        result.provisional_agencies = self._place(conn, fresh)
        self._insert_submissions(conn, fresh, audit_key)
        result.findings_written = self._insert_findings(conn, fresh)
        sources = self._settle(conn, fresh, result)

        placed = {p.index: p for p in fresh}
        keys = {**stored, **{p.item.source.sha256: p.key for p in fresh if p.key is not None}}
        for i, item in enumerate(items):
            p = placed.get(i)
            if p is None:
                sha = item.source.sha256
                result.submissions.append(SubmissionResult(sha, item.source.path, "unchanged", keys.get(sha)))
            else:
                result.submissions.append(
                    SubmissionResult(
                        item.source.sha256,
                        item.source.path,
                        p.state,  # type: ignore[arg-type]
                        p.key,
                        p.agency_id,
                        p.year,
                        p.method,
                        p.key in sources,
                    )
                )
        result.seconds = time.perf_counter() - clock
        conn.execute(
            update(audit)
            .where(audit.c.audit_key == audit_key)
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
        return result

    def _new_items(
        self, conn: Connection, items: list[CheckedSubmission], now: datetime
    ) -> tuple[list[_Placed], dict[str, int]]:
        """The submissions whose bytes are not stored yet (first of duplicates), and stored keys by hash."""
        s = DimSubmission.__table__
        hashes = list(dict.fromkeys(i.source.sha256 for i in items))
        stored: dict[str, int] = {}
        for part in chunks(hashes):
            stored.update(
                conn.execute(select(s.c.sha256, s.c.submission_key).where(s.c.sha256.in_(part))).all()
            )
        fresh: list[_Placed] = []
        seen: set[str] = set()
        for i, item in enumerate(items):
            sha = item.source.sha256
            if sha in stored or sha in seen:
                continue
            seen.add(sha)
            fresh.append(_Placed(i, item, _naive_utc(item.received_at, now)))
        return fresh, stored

    def _place(self, conn: Connection, fresh: list[_Placed]) -> int:
        """Match each report to an agency; returns how many provisional agencies were created."""
        matcher = self._matcher_for(conn)
        provisional: dict[str, str] = {}
        for p in fresh:
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
                facts, problems = fact_rows(report, p.agency_id, report.year, 0)
                if problems:
                    p.reject(problems)
                else:
                    p.facts = facts
        created = self._insert_provisional(conn, provisional)
        years = sorted({p.year for p in fresh if p.agency_id is not None and p.year is not None})
        upsert(conn, DimYear.__table__, [year_row(y) for y in years], ["year"], update=[])
        rules = set(conn.execute(select(DimRule.__table__.c.rule_id)).scalars())
        unknown: dict[str, str] = {}
        for p in fresh:
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

    def _insert_provisional(self, conn: Connection, provisional: dict[str, str]) -> int:
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

    def _insert_submissions(self, conn: Connection, fresh: list[_Placed], audit_key: int) -> None:
        if not fresh:
            return
        s = DimSubmission.__table__
        rows = []
        for p in fresh:
            report = p.item.report
            rows.append(
                {
                    "sha256": p.item.source.sha256,
                    "path": p.item.source.path,
                    "media_type": p.item.source.media_type,
                    "received_at": p.received_at,
                    "published": report.published if report else None,
                    "printed_agency": report.agency if report else None,
                    "agency_id": p.agency_id,
                    "year": p.year if p.agency_id is not None else None,
                    "version": report.version if report else None,
                    "state": p.state,
                    "reason": p.reason,
                    "match_method": p.method,
                    "superseded_by": None,
                    "superseded_at": None,
                    "has_facts": False,
                    "audit_key": audit_key,
                }
            )
        conn.execute(insert(s), rows)
        keys: dict[str, int] = {}
        for part in chunks([p.item.source.sha256 for p in fresh]):
            keys.update(
                conn.execute(select(s.c.sha256, s.c.submission_key).where(s.c.sha256.in_(part))).all()
            )
        for p in fresh:
            p.key = keys[p.item.source.sha256]

    def _insert_findings(self, conn: Connection, fresh: list[_Placed]) -> int:
        rows = [row for p in fresh for row in _finding_rows(p.key, p.findings)]  # type: ignore[arg-type]
        if rows:
            conn.execute(insert(FactFinding.__table__), rows)
        return len(rows)

    def _settle(self, conn: Connection, fresh: list[_Placed], result: LoadResult) -> set[int]:
        """Supersede, write the new fact sources' facts, drop the old sources'; returns the new sources."""
        placed = [p for p in fresh if p.agency_id is not None and p.year is not None]
        pairs: set[Pair] = {(p.agency_id, p.year) for p in placed}  # type: ignore[misc]
        by_key = {p.key: p for p in placed}
        now = _now()
        links: dict[int, int | None] = {}
        keep: list[tuple[str, int, int]] = []
        on: list[int] = []
        off: list[int] = []
        writes: list[_Placed] = []
        for pair, held in held_for(conn, pairs).items():
            verdict = settle(held)
            links.update(verdict.links)
            if not verdict.facts_change or verdict.fact_source is None:
                continue
            if verdict.fact_source not in by_key:
                raise RuntimeError(
                    f"{pair}: the latest loaded submission is not in this chunk and holds no facts"
                )
            writes.append(by_key[verdict.fact_source])
            on.append(verdict.fact_source)
            off += sorted(verdict.holders)
            if verdict.holders:
                keep.append((pair[0], pair[1], verdict.fact_source))
        result.superseded = sum(1 for by in links.values() if by is not None)
        apply_links(conn, links, now)
        rows: FactRows = ([], [], [])
        for p in writes:
            for i, table_rows in enumerate(p.facts or ([], [], [])):
                for row in table_rows:
                    row["submission_key"] = p.key
                rows[i].extend(table_rows)
        for table, table_rows in zip(_FACTS, rows, strict=True):
            result.facts_written += upsert(conn, table, table_rows, _GRAIN[table.name], unique=True)
        result.facts_deleted = delete_facts_except(conn, keep)
        set_fact_flags(conn, on, off)
        changed = {(p.agency_id, p.year) for p in writes}
        if changed:
            later = held_for(conn, [(a, y + 1) for a, y in changed])  # type: ignore[operator]
            result.recheck = sorted(pair for pair, held in later.items() if held)
        return set(on)


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
