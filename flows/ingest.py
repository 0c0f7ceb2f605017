"""The ingest flow: an inbox in, every file ending loaded, rejected or quarantined.

Files are read in chunks, then checked and loaded year by year (oldest first), so a report's
previous year is in the warehouse before its carryover is checked. A chunk that fails after its
retries is reported and the run goes on; its files stay in the archive for a re-run. A failure of
the infrastructure (warehouse, disk, archive, spool) stops the run instead: it would fail every
later chunk the same way (flows/errors.py `stops_the_run`).
"""

from __future__ import annotations

import itertools
import uuid
from dataclasses import dataclass, field

from prefect import flow, get_run_logger

from flows import progress
from flows.batches import chunked, mark_superseded, unchecked_rechecks, years_in_chunks
from flows.errors import stops_the_run
from flows.isolation import (
    Part,
    attempt_budget,
    checked_then,
    chunk_attempts,
    isolate,
    retry_if_transient,
)
from flows.publishing import publish_ingest
from flows.records import Batch, FileOutcome, IngestSummary, Spooled
from flows.refresh import refresh_pairs
from flows.runners import ChosenTaskRunner, spread
from flows.settings import get_settings
from flows.tasks import (
    check_chunk,
    divide_checked,
    list_files,
    pending_rechecks,
    prepare_warehouse,
    receive_chunk,
    send_mail,
    store_chunk,
    superseded_this_run,
)
from warehouse.spool import Spool


@dataclass
class Placed:
    """What the check-and-load loop of a run did: per-file outcomes, failures, mails queued, and
    the (agency, year) pairs it placed and those whose next year must be checked again."""

    outcomes: list[FileOutcome] = field(default_factory=list)
    failed: list[FileOutcome] = field(default_factory=list)
    queued: int = 0
    rechecks: list[tuple[str, int]] = field(default_factory=list)
    pairs: list[tuple[str | None, int | None]] = field(default_factory=list)


def receive_all(files: list, archive: str, spool: str, size: int) -> tuple[list[Spooled], list[FileOutcome]]:
    """Read and archive every file, chunks side by side: (what was read, files of failed chunks)."""
    received: list[Spooled] = []
    failed: list[FileOutcome] = []
    progress.add("read", len(files))
    chunks = list(chunked(files, size))
    calls = [dict(files=Batch(c), archive_url=archive, spool_url=spool, chunk_no=n) for n, c in enumerate(chunks)]
    for chunk, future in zip(chunks, spread(receive_chunk, calls), strict=True):
        try:
            received.extend(future.result())
        except Exception as exc:  # after retries: the chunk is reported, the run goes on
            if stops_the_run(exc):  # the archive or the spool failed: every later chunk would too
                raise
            failed.extend(FileOutcome.failed(f.url, f"could not be received: {exc}") for f in chunk)
        progress.advance("read", len(chunk))
    return received, failed


def check_and_load(
    received: list[Spooled], url: str, run_id: str, size: int, spool: str
) -> Placed:
    """Check and load year by year, oldest first; each chunk's quality reports are queued in its
    load's transaction.

    A year's chunks are checked side by side (their carryover reads only the year before, loaded
    already; names are matched against registered agencies and aliases, which loads never add)
    while the flow loads each checked chunk in order; the next year waits for those loads. A chunk
    that fails is halved and tried again down to single reports (flows/isolation.py), so only the
    report at fault ends `failed`."""
    done = Placed()
    progress.add("checked", len(received))
    progress.add("loaded", len(received))
    storing = store_chunk.with_options(retry_condition_fn=retry_if_transient)
    numbers = itertools.count()  # each load attempt has its own number in load_audit
    attempts = chunk_attempts(
        check=lambda part, key: check_chunk(entries=Batch(part), warehouse_url=url, spool_url=spool, key=key),
        load=lambda key: storing(key, url, run_id, spool, chunk_no=next(numbers)),
        divide=lambda key, halves: divide_checked(spool, key, halves),
    )
    for year_chunks in years_in_chunks(received, size):
        keys = [f"checked/{chunk[0].year or 0}-{n}" for n, chunk in enumerate(year_chunks)]
        calls = [
            dict(entries=Batch(chunk), warehouse_url=url, spool_url=spool, key=key)
            for chunk, key in zip(year_chunks, keys, strict=True)
        ]
        for chunk, key, checking in zip(year_chunks, keys, spread(check_chunk, calls), strict=True):
            first = checked_then(checking, attempts.store)
            units = [[entry] for entry in chunk]
            budget = attempt_budget(len(units))
            for part in isolate(units, key, attempts.check_and_store, first, again=attempts.again, budget=budget):
                if part.error is not None:  # after retries and halving: only this part fails
                    if stops_the_run(part.error):  # the warehouse or the disk failed: every later chunk would too
                        raise part.error
                    _say_failed(part)
                    done.failed.extend(item.failed(str(part.error)) for item in part.items)
                    continue
                stored = part.result
                result = stored.result
                done.outcomes.extend(stored.outcomes)
                done.queued += result.queued  # queued inside the load's transaction (store_chunk)
                done.rechecks.extend(result.recheck)
                done.pairs.extend((s.agency_id, s.year) for s in result.submissions)
            progress.advance("checked", len(chunk))
            progress.advance("loaded", len(chunk))
    return done


def _say_failed(part: Part) -> None:
    what = part.items[0].path if len(part.items) == 1 else f"{len(part.items)} files"
    get_run_logger().warning("%s %s", what, part.error)


@flow(name="ingest", log_prints=False, task_runner=ChosenTaskRunner())
def ingest(
    inbox: list[str],
    registry: str | None = None,
    chunk_size: int | None = None,
    warehouse_url: str | None = None,
    archive_url: str | None = None,
    outbox_dir: str | None = None,
) -> IngestSummary:
    """Archive, read, check and load every file under the inbox locations (folders or URLs)."""
    settings = get_settings()
    url = warehouse_url or settings.resolved_warehouse_url
    archive = archive_url or settings.resolved_archive_url
    size = chunk_size or settings.chunk_size
    run_id = uuid.uuid4().hex
    spool = Spool.for_run(settings.resolved_spool_url, run_id)

    prepare_warehouse(url, registry)
    files = list_files(inbox)
    get_run_logger().info("%d files in %s", len(files), ", ".join(inbox))
    try:
        received, unreceived = receive_all(files, archive, spool.url, size)
        outbox = outbox_dir or str(settings.resolved_outbox_dir)
        done = check_and_load(received, url, run_id, size, spool.url)

        mark_superseded(done.outcomes, superseded_this_run(url, run_id))
        cascade = refresh_pairs(
            unchecked_rechecks([*done.rechecks, *pending_rechecks(url)], done.pairs), url, archive, run_id, size, spool.url,
            stages=progress.CASCADE,
        )
    finally:
        spool.clear()
    sent: dict[str, int] = {}
    try:  # after the cascade, which may have changed (and queued) next year's reports
        sent = send_mail(url, outbox, limit_seconds=settings.mail_send_seconds)
    except Exception as exc:  # the outbox keeps them: `xxgk notify` or the notify deployment retries
        get_run_logger().warning("quality reports not sent: %s", exc)
    summary = IngestSummary.of(run_id, done.outcomes + unreceived + done.failed, cascade, done.queued, sent)
    publish_ingest(summary)
    return summary
