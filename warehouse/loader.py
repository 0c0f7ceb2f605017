"""Loading chunks of checked submissions: one transaction per chunk, bulk upserts on the fact grain.

Per chunk: files already stored (same sha256) are "unchanged" and touch nothing; every new file
is placed in the registry (warehouse/placing.py — unmatched or ambiguous names load under a
provisional agency with a soft finding) and gets a dim_submission row with its state and reason,
and its findings (warehouse/submissions.py); then each affected (agency, year) is settled
(warehouse/settling.py): the latest received submission supersedes the earlier ones, and the
fact tables hold the facts of the latest LOADED one (the pair's old facts deleted, the new
source's inserted on the grain keys). A load_audit row records the run id, counts and time; a
chunk that fails rolls back whole and leaves a 'failed' audit row saying why (warehouse/audit.py).

`Loader.reload_chunk` is the backfill's twin of `load_chunk`: stored bytes are re-loaded with
their new reading instead of being "unchanged" (warehouse/reload.py). Both read every result
back after settling (warehouse/results.py), so a `SubmissionResult` says where the file ended:
its state, whether its facts count, what supersedes it and whether that arrived in the same run.

`after_chunk` runs last inside the chunk's transaction, on the same connection: the flows queue
the chunk's quality reports there (mail/dispatch.py), so the outbox rows commit with the load or
not at all — a process killed between the two can neither lose a report nor queue one twice.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable, Iterable, Iterator, Sequence
from datetime import datetime

from alembic.runtime.migration import MigrationContext
from sqlalchemy import Connection, Engine, select

from form.agency_matching import AgencyMatcher
from form.catalogue import all_cells
from warehouse.audit import close_audit, open_audit, record_failure
from warehouse.clock import naive_utc, now
from warehouse.migrate import head
from warehouse.placing import Placed, place
from warehouse.records import CheckedSubmission, LoadResult
from warehouse.registry_matcher import registry_names
from warehouse.reload import reload_into
from warehouse.results import record_results
from warehouse.schema import DimCell
from warehouse.settling import record_settled, settle_pairs
from warehouse.submissions import ensure_dimensions, insert_findings, insert_submissions, stored_keys

DEFAULT_CHUNK = 500

#: the body of a chunk, inside its transaction: (conn, items, matcher, result, when it started)
ChunkBody = Callable[[Connection, Sequence[CheckedSubmission], AgencyMatcher, LoadResult, datetime], None]
#: what runs last in a chunk's transaction, on its result (e.g. queueing its mail): rows it added
ChunkHook = Callable[[Connection, LoadResult], int]


class WarehouseNotReady(RuntimeError):
    """The warehouse must be upgraded before loading."""


def new_items(
    conn: Connection, items: Sequence[CheckedSubmission], received: datetime
) -> tuple[list[Placed], dict[str, int]]:
    """The submissions whose bytes are not stored yet (first of duplicates), and stored keys by hash.

    `received` is when files without their own arrival time arrived.
    """
    stored = stored_keys(conn, [i.source.sha256 for i in items])
    fresh: list[Placed] = []
    seen: set[str] = set()
    for i, item in enumerate(items):
        sha = item.source.sha256
        if sha in stored or sha in seen:
            continue
        seen.add(sha)
        fresh.append(Placed(i, item, naive_utc(item.received_at, received)))
    return fresh, stored


def load_into(
    conn: Connection,
    items: Sequence[CheckedSubmission],
    matcher: AgencyMatcher,
    result: LoadResult,
    started: datetime,
) -> None:
    """The body of `Loader.load_chunk`, inside its transaction (see the module doc)."""
    fresh, stored = new_items(conn, items, started)
    provisional = place(fresh, matcher)
    result.provisional_agencies = ensure_dimensions(conn, fresh, provisional)
    insert_submissions(conn, fresh, result.audit_key)
    result.findings_written = insert_findings(conn, fresh)
    pairs = {p.pair for p in fresh if p.pair is not None}
    settled = settle_pairs(conn, pairs, {p.skey: p.facts for p in fresh if p.facts is not None})
    record_settled(conn, result, settled, pairs)
    keys = {**stored, **{p.item.source.sha256: p.skey for p in fresh}}
    record_results(conn, result, items, fresh, keys, {p.index: p.state for p in fresh}, settled.links)


#: what a chunk does in each mode
CHUNK_BODIES: dict[str, ChunkBody] = {"load": load_into, "reload": reload_into}


def _batches(items: Iterable[CheckedSubmission], size: int) -> Iterator[list[CheckedSubmission]]:
    batch: list[CheckedSubmission] = []
    for item in items:
        batch.append(item)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


class Loader:
    """Loads chunks into one warehouse under one run id, keeping its registry matcher between chunks."""

    def __init__(
        self, engine: Engine, run_id: str | None = None, first_chunk: int = 0, after_chunk: ChunkHook | None = None
    ) -> None:
        """`first_chunk`: the number load_audit gives the first chunk (a flow loading each chunk
        with a new Loader passes its running count, so a run's chunks are told apart);
        `after_chunk`: see the module doc (its count is `LoadResult.queued`)."""
        self.engine = engine
        self.after_chunk = after_chunk
        self.run_id = run_id or uuid.uuid4().hex
        self._matcher_key: int | None = None
        self._matcher: AgencyMatcher | None = None
        self._chunk_no = first_chunk
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
        `warehouse.backfill.chunk_by_pair`)."""
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
        started, clock = now(), time.perf_counter()
        try:
            with self.engine.begin() as conn:
                if not self._ready:
                    self._check_ready(conn)
                audit_key = open_audit(conn, self.run_id, chunk_no, started, len(items), mode)
                result = LoadResult(run_id=self.run_id, audit_key=audit_key, chunk_no=chunk_no, mode=mode)
                CHUNK_BODIES[mode](conn, items, self._matcher_for(conn), result, started)
                if self.after_chunk is not None:
                    result.queued = self.after_chunk(conn, result)
                result.seconds = time.perf_counter() - clock
                close_audit(conn, result)
                return result
        except Exception as exc:
            # a warehouse behind the code may not have the mode column (0003) yet
            recorded_mode = None if isinstance(exc, WarehouseNotReady) else mode
            seconds = time.perf_counter() - clock
            record_failure(self.engine, self.run_id, chunk_no, started, seconds, len(items), exc, recorded_mode)
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
        if missing := set(all_cells()) - cells:
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
