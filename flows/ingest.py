"""The ingest flow: an inbox in, every file ending loaded, rejected or quarantined.

Files are read in chunks, then checked and loaded year by year (oldest first), so a report's
previous year is in the warehouse before its carryover is checked. A chunk that fails after its
retries is reported and the run goes on; its files stay in the archive for a re-run.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field

from prefect import flow, get_run_logger

from flows import progress
from flows.batches import by_year, chunked, file_outcomes, mark_superseded, unchecked_rechecks
from flows.publishing import publish_ingest
from flows.records import FileOutcome, IngestSummary
from flows.refresh import refresh_pairs
from flows.settings import get_settings
from flows.tasks import (
    check_chunk,
    list_files,
    prepare_warehouse,
    queue_quality_reports,
    receive_chunk,
    send_mail,
    store_chunk,
    superseded_this_run,
)


@dataclass
class Placed:
    """What the check-and-load loop of a run did: per-file outcomes, failures, mails queued, and
    the (agency, year) pairs it placed and those whose next year must be checked again."""

    outcomes: list[FileOutcome] = field(default_factory=list)
    failed: list[FileOutcome] = field(default_factory=list)
    queued: int = 0
    rechecks: list[tuple[str, int]] = field(default_factory=list)
    pairs: list[tuple[str | None, int | None]] = field(default_factory=list)


def receive_all(files: list, archive: str, size: int) -> tuple[list, list[FileOutcome]]:
    """Read and archive every file, chunk by chunk: (received, files of chunks that failed)."""
    received, failed = [], []
    progress.add("read", len(files))
    for chunk in chunked(files, size):
        try:
            received.extend(receive_chunk(chunk, archive))
        except Exception as exc:  # after retries: the chunk is reported, the run goes on
            failed.extend(FileOutcome.failed(f.url, f"could not be received: {exc}") for f in chunk)
        progress.advance("read", len(chunk))
    return received, failed


def check_and_load(received: list, url: str, run_id: str, size: int, outbox: str, sender: str) -> Placed:
    """Check and load year by year, oldest first; queue each chunk's quality reports."""
    done = Placed()
    progress.add("checked", len(received))
    progress.add("loaded", len(received))
    for chunk in by_year(received, size):
        try:
            checked = check_chunk(chunk, url)
            progress.advance("checked", len(chunk))
            result = store_chunk(checked, url, run_id)
        except Exception as exc:  # after retries: the chunk is reported, the run goes on
            done.failed.extend(FileOutcome.failed(r.source.path, f"could not be loaded: {exc}", r) for r in chunk)
            continue
        finally:
            progress.advance("loaded", len(chunk))
        done.outcomes.extend(file_outcomes(checked, result))
        try:
            done.queued += queue_quality_reports(checked, result, url, outbox, sender)
        except Exception as exc:  # the load stands; the failure is in the run's log
            get_run_logger().warning("quality reports not queued for a chunk: %s", exc)
        done.rechecks.extend(result.recheck)
        done.pairs.extend((s.agency_id, s.year) for s in result.submissions)
    return done


@flow(name="ingest", log_prints=False)
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

    prepare_warehouse(url, registry)
    files = list_files(inbox)
    get_run_logger().info("%d files in %s", len(files), ", ".join(inbox))
    received, unreceived = receive_all(files, archive, size)
    outbox = outbox_dir or str(settings.resolved_outbox_dir)
    done = check_and_load(received, url, run_id, size, outbox, settings.mail_from)

    mark_superseded(done.outcomes, superseded_this_run(url, run_id))
    cascade = refresh_pairs(
        unchecked_rechecks(done.rechecks, done.pairs), url, archive, run_id, size, stages=progress.CASCADE
    )
    try:  # after the cascade, which may have changed (and queued) next year's reports
        send_mail(url, outbox)
    except Exception as exc:  # the outbox keeps them: `xxgk notify` or the notify deployment retries
        get_run_logger().warning("quality reports not sent: %s", exc)
    summary = IngestSummary.of(run_id, done.outcomes + unreceived + done.failed, cascade, done.queued)
    publish_ingest(summary)
    return summary
