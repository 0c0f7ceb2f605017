"""Prefect tasks: each wraps one step of the library over a chunk of files, never one file.

Task bodies only call connectors, expectations and warehouse; they hold no parsing, SQL or rule
logic of their own. Every task takes plain values (URLs, keys, small records) so a chunk can be
retried, and may run in another process or on another machine (flows/runners.py).

Bulk data never crosses a task boundary: a task that reads or checks a chunk writes what it made
to the run's spool (warehouse/spool.py) and returns keys and small summaries (`Spooled`); the
next task reads the keys. Chosen over wrapping the reports in Prefect's `quote`: `quote` stops
the walking (Prefect's `visit_collection` over every cell of every report took 53 % of a run),
but the reports would still be pickled to and from worker processes and the flow would hold the
whole province between reading and checking (years are loaded in order, so nothing can be
checked before every file is read), while keys keep it to one small record per file. Those
records travel in a `Batch` (flows/records.py), which Prefect does not walk either.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from functools import cache
from pathlib import Path

from prefect import task
from prefect.cache_policies import NO_CACHE

from connectors.document import UnreadableFile
from connectors.reading import Reading, reading_of, unread
from connectors.sources import InboxFile, fetch, list_inbox
from flows.records import FileOutcome, Spooled
from form.record import Finding, Report, Source
from warehouse.spool import Spool

#: I/O steps are retried; a chunk that still fails is reported and the run goes on.
IO_RETRIES = 2
IO_RETRY_DELAY = [1, 5]


@dataclass
class Received:
    """One submitted file after reading: its source, and its report or why it has none."""

    source: Source
    received_at: datetime | None
    report: Report | None
    reason: str | None = None


    @classmethod
    def of(cls, reading: Reading, received_at: datetime | None) -> Received:
        return cls(reading.source, received_at, reading.report, reading.reason)

    def spooled(self, key: str) -> Spooled:
        """What the flow keeps of it: the spool key and the fields chunks are ordered by."""
        report = self.report
        return Spooled(
            key=key,
            path=self.source.path,
            sha256=self.source.sha256 or None,
            media_type=self.source.media_type,
            agency=report.agency if report is not None else None,
            year=report.year if report is not None else None,
            received_at=self.received_at,
        )


@dataclass(frozen=True)
class Stored:
    """What loading a checked chunk gave: the loader's result and one outcome per file."""

    result: object
    outcomes: list[FileOutcome]


def _spool_all(spool: Spool, prefix: str, received: list[Received]) -> list[Spooled]:
    """The chunk's readings into the spool, one file per report year (the flow checks a year's
    reports together, so a check reads a few files, not one per report); one entry per reading,
    in order."""
    by_year: dict[int, list[int]] = {}
    for i, r in enumerate(received):
        year = r.report.year if r.report is not None else None
        by_year.setdefault(year or 0, []).append(i)
    keys: list[str] = [""] * len(received)
    for year, places in by_year.items():
        for i, key in zip(places, spool.put_each(f"{prefix}/{year}", [received[i] for i in places]), strict=True):
            keys[i] = key
    return [r.spooled(key) for r, key in zip(received, keys, strict=True)]


@cache
def _validator():
    """One GX context with the suites loaded per process: importing GX and building one costs
    3-8 s on 2 busy cores, so each process builds it once, on its first readable chunk."""
    import logging

    import great_expectations  # noqa: F401  (configures its loggers on import)

    from expectations.validate import Validator

    # GX pins this module's logger to INFO and announces a temporary folder per context
    for name in ("great_expectations", "great_expectations.data_context.types.base"):
        logging.getLogger(name).setLevel(logging.WARNING)
    return Validator()


def warm_worker() -> None:
    """A worker process's start (flows/runners.py `warm_pool`): the readers, the warehouse reads
    of a check and GX's validator imported and built before the first chunk arrives. Not the
    loader (0.15 s of CPU a worker, with alembic): loads run in the flow's process, never here."""
    import connectors.reading  # noqa: F401
    import warehouse.engine  # noqa: F401
    import warehouse.previous_year  # noqa: F401
    import warehouse.records  # noqa: F401

    _validator()


@task(name="list inbox", retries=IO_RETRIES, retry_delay_seconds=IO_RETRY_DELAY, cache_policy=NO_CACHE)
def list_files(locations: Sequence[str]) -> list[InboxFile]:
    """Every file under the given locations, each once."""
    seen: dict[str, InboxFile] = {}
    for location in locations:
        for item in list_inbox(location):
            seen.setdefault(item.url, item)
    return list(seen.values())


@task(name="receive chunk", retries=IO_RETRIES, retry_delay_seconds=IO_RETRY_DELAY, cache_policy=NO_CACHE)
def receive_chunk(files: Iterable[InboxFile], archive_url: str, spool_url: str, chunk_no: int) -> list[Spooled]:
    """Read, archive (by sha256) and parse a chunk of inbox files; the readings go to the spool."""
    from flows.settings import get_settings
    from warehouse.archive import RawArchive
    from warehouse.crash_points import reached

    archive = RawArchive(archive_url)
    limits = get_settings().limits()  # XXGK_MAX_*: a file over one is quarantined, named
    out: list[Received] = []
    for item in files:
        try:
            data = fetch(item, limits.bytes)
        except (UnreadableFile, OSError) as exc:
            reason = str(exc) if isinstance(exc, UnreadableFile) else f"cannot read ({exc})"
            out.append(Received.of(unread(item.url, reason), item.received_at))
            continue
        archive.put(data)
        reached("archived")
        out.append(Received.of(reading_of(data, item.url, limits=limits), item.received_at))
    return _spool_all(Spool(spool_url), f"read/{chunk_no}", out)


@task(name="re-read archived chunk", retries=IO_RETRIES, retry_delay_seconds=IO_RETRY_DELAY, cache_policy=NO_CACHE)
def reread_chunk(targets: Iterable, archive_url: str, spool_url: str, chunk_no: str) -> list[Spooled]:
    """Parse archived originals again with the current parser (backfill); readings to the spool."""
    from flows.settings import get_settings
    from warehouse.archive import RawArchive

    archive = RawArchive(archive_url)
    limits = get_settings().limits()
    out: list[Received] = []
    for target in targets:
        reading = reading_of(archive.get(target.sha256), target.path, media_type=target.media_type, limits=limits)
        out.append(Received.of(reading, target.received_at))
    return _spool_all(Spool(spool_url), f"reread/{chunk_no}", out)


@task(name="check chunk", cache_policy=NO_CACHE)
def check_chunk(entries: Iterable[Spooled], warehouse_url: str, spool_url: str, key: str) -> str:
    """Every rule on the readable reports, last year's figures taken from the warehouse; the
    checked chunk goes to the spool under `key` (returned)."""
    from expectations.checking import check_reports
    from form.ocr_repair import with_carryover
    from warehouse.engine import engine_scope
    from warehouse.previous_year import previous_year_pairings
    from warehouse.records import CheckedSubmission

    spool = Spool(spool_url)
    received: list[Received] = spool.get_many([e.key for e in entries])
    readable = [r for r in received if r.report is not None]
    with engine_scope(warehouse_url) as engine, engine.connect() as conn:
        previous = previous_year_pairings(conn, [(r.report.agency, r.report.year) for r in readable])
    # a scan's cells left uncertain may be settled by last year's loaded report (its carryover)
    reports = [with_carryover(r.report, p.report) for r, p in zip(readable, previous, strict=True)]
    findings = check_reports(
        reports, previous, chunk_size=max(1, len(readable)), validator=_validator()
    ) if readable else []
    found: dict[int, tuple[Report, list[Finding]]] = {
        id(r): (report, f) for r, report, f in zip(readable, reports, findings, strict=True)
    }
    checked = [
        CheckedSubmission.of(r.source, *found.get(id(r), (r.report, [])), r.reason, r.received_at)
        for r in received
    ]
    return spool.put(key, checked)


@task(name="load chunk", retries=IO_RETRIES, retry_delay_seconds=IO_RETRY_DELAY, cache_policy=NO_CACHE)
def store_chunk(
    key: str, warehouse_url: str, run_id: str, spool_url: str, reload: bool = False, chunk_no: int = 0
) -> Stored:
    """One transaction: submissions, facts and findings of a checked chunk (a reload replaces
    them) and the quality reports they call for, queued in the outbox (`result.queued`): a crash
    keeps all of it or none. `chunk_no` is the chunk's number in the run (load_audit.chunk_no)."""
    from flows.batches import file_outcomes
    from warehouse.crash_points import reached
    from warehouse.engine import engine_scope
    from warehouse.loader import Loader

    checked = Spool(spool_url).get(key)
    with engine_scope(warehouse_url) as engine:
        loader = Loader(engine, run_id, first_chunk=chunk_no, after_chunk=_queue_in_load)
        result = loader.reload_chunk(checked) if reload else loader.load_chunk(checked)
    reached("chunk-committed")
    return Stored(result, file_outcomes(checked, result))


def _queue_in_load(conn, result) -> int:
    """The loader's `after_chunk`: the chunk's quality reports, in its transaction."""
    from mail.dispatch import queue_chunk_reports
    from warehouse.crash_points import reached

    queued = queue_chunk_reports(conn, result)
    reached("chunk-before-commit")
    return queued


@task(name="plan reload", cache_policy=NO_CACHE)
def plan_chunk(key: str, warehouse_url: str, spool_url: str):
    """What a reload of the checked chunk would change, without writing (dry run)."""
    from warehouse.engine import engine_scope
    from warehouse.reload import plan_reload

    checked = Spool(spool_url).get(key)
    with engine_scope(warehouse_url) as engine, engine.connect() as conn:
        return plan_reload(conn, checked)


@task(name="divide checked chunk", retries=IO_RETRIES, retry_delay_seconds=IO_RETRY_DELAY, cache_policy=NO_CACHE)
def divide_checked(spool_url: str, key: str, parts: Sequence[tuple[str, int, int]]) -> list[str]:
    """The checked chunk under `key` cut into parts, each (key, start, stop) stored under its own key:
    a chunk that was checked but failed to load is retried in parts without checking it again."""
    spool = Spool(spool_url)
    checked = spool.get(key)
    return [spool.put(part_key, checked[start:stop]) for part_key, start, stop in parts]


@task(name="pending re-checks", retries=IO_RETRIES, retry_delay_seconds=IO_RETRY_DELAY, cache_policy=NO_CACHE)
def pending_rechecks(warehouse_url: str) -> list[tuple[str, int]]:
    """The (agency, year) pairs whose previous year changed since they were checked, this run's and
    those a killed run left (warehouse/pending_rechecks.py)."""
    from warehouse.engine import engine_scope
    from warehouse.pending_rechecks import pending_pairs

    with engine_scope(warehouse_url) as engine, engine.begin() as conn:
        return pending_pairs(conn)


@task(name="select backfill", retries=IO_RETRIES, retry_delay_seconds=IO_RETRY_DELAY, cache_policy=NO_CACHE)
def select_targets(
    warehouse_url: str,
    years: Sequence[int] | None,
    agencies: Sequence[str] | None,
    regions: Sequence[str] | None,
    pairs: Sequence[tuple[str, int]] | None = None,
    submission_keys: Sequence[int] | None = None,
) -> list:
    """Archived submissions in scope: by years/agencies/regions, exact (agency, year) pairs, or keys."""
    from warehouse.backfill import backfill_targets, backfill_targets_by_key, backfill_targets_for_pairs
    from warehouse.engine import engine_scope

    with engine_scope(warehouse_url) as engine, engine.connect() as conn:
        if submission_keys is not None:
            return backfill_targets_by_key(conn, submission_keys)
        if pairs is not None:
            return backfill_targets_for_pairs(conn, pairs)
        return backfill_targets(conn, years or None, agencies or None, regions or None)


@task(name="prepare warehouse", retries=IO_RETRIES, retry_delay_seconds=IO_RETRY_DELAY, cache_policy=NO_CACHE)
def prepare_warehouse(warehouse_url: str, registry_csv: str | None = None) -> None:
    """Bring the warehouse to the latest schema and load the registry when one is given."""
    from warehouse.engine import engine_scope
    from warehouse.migrate import upgrade
    from warehouse.registry import load_registry

    upgrade(warehouse_url)
    if registry_csv:
        with engine_scope(warehouse_url) as engine:
            load_registry(engine, registry_csv)


@task(name="aggregate year", retries=IO_RETRIES, retry_delay_seconds=IO_RETRY_DELAY, cache_policy=NO_CACHE)
def aggregate_year(warehouse_url: str, year: int, run_id: str):
    """The provincial aggregation of one year, stored in the warehouse and returned."""
    from warehouse.aggregation import aggregate
    from warehouse.engine import engine_scope

    with engine_scope(warehouse_url) as engine, engine.begin() as conn:
        return aggregate(conn, year, run_id=run_id)


@task(name="write office documents", retries=IO_RETRIES, retry_delay_seconds=IO_RETRY_DELAY, cache_policy=NO_CACHE)
def write_office_documents(warehouse_url: str, year: int, region: str | None, out: str):
    """The aggregation's documents (汇总 docx, workbook, charts, dashboard) written into `out`."""
    from pathlib import Path

    from outputs.files import write_documents
    from warehouse.aggregation import aggregate_earlier_years
    from warehouse.engine import engine_scope

    with engine_scope(warehouse_url) as engine:
        aggregate_earlier_years(engine, year)  # the trends need every loaded year
        return write_documents(engine, year, region, Path(out))


@task(name="run supersessions", retries=IO_RETRIES, retry_delay_seconds=IO_RETRY_DELAY, cache_policy=NO_CACHE)
def superseded_this_run(warehouse_url: str, run_id: str) -> dict[int, int]:
    """Files of this run replaced by a later file of the same run: key → the key that replaced it."""
    from warehouse.engine import engine_scope
    from warehouse.queries import superseded_in_run

    with engine_scope(warehouse_url) as engine, engine.connect() as conn:
        return superseded_in_run(conn, run_id)


@task(name="send mail", retries=IO_RETRIES, retry_delay_seconds=IO_RETRY_DELAY, cache_policy=NO_CACHE)
def send_mail(
    warehouse_url: str, outbox: str | None = None, documents: Sequence[str] = (), limit_seconds: float | None = None
) -> dict[str, int]:
    """Send the due outbox rows (SMTP when XXGK_SMTP_HOST is set, else .eml files in `outbox`), for
    at most `limit_seconds` (the rest stays due); `documents` (the aggregation's files) go with the
    provincial office's summary.

    Settings are read here rather than passed in, so the SMTP password never becomes a task
    parameter Prefect could record."""
    from flows.settings import get_settings
    from mail.dispatch import send_due
    from warehouse.engine import engine_scope

    settings = get_settings()
    with engine_scope(warehouse_url) as engine:
        done = send_due(
            engine,
            settings.transport(outbox),
            settings.mail_from,
            settings.cc,
            documents=[Path(d) for d in documents],
            limit_seconds=limit_seconds,
        )
    return {"sent": done.sent, "failed": done.failed, "no_address": done.no_address, "left": done.left}


@task(name="queue summary", retries=IO_RETRIES, retry_delay_seconds=IO_RETRY_DELAY, cache_policy=NO_CACHE)
def queue_summary_mail(warehouse_url: str, year: int, recipient: str) -> int:
    """The provincial office's summary of the year's aggregation, into the outbox once per content."""
    from mail.dispatch import queue_summary
    from warehouse.engine import engine_scope

    with engine_scope(warehouse_url) as engine:
        return queue_summary(engine, year, recipient)
