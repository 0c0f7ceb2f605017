"""The ingest flow: an inbox in, every file ending loaded, rejected or quarantined.

Files are read in chunks, then checked and loaded year by year (oldest first), so a report's
previous year is in the warehouse before its carryover is checked. A chunk that fails after its
retries is reported and the run goes on; its files stay in the archive for a re-run.
"""

from __future__ import annotations

import uuid

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
    load_chunk,
    prepare_warehouse,
    queue_quality_reports,
    receive_chunk,
    superseded_this_run,
)


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
    logger = get_run_logger()

    prepare_warehouse(url, registry)
    files = list_files(inbox)
    logger.info("%d files in %s", len(files), ", ".join(inbox))

    received = []
    failed: list[FileOutcome] = []
    progress.add("read", len(files))
    for chunk in chunked(files, size):
        try:
            received.extend(receive_chunk(chunk, archive))
        except Exception as exc:  # after retries: the chunk is reported, the run goes on
            failed.extend(FileOutcome.failed(f.url, f"could not be received: {exc}") for f in chunk)
        progress.advance("read", len(chunk))

    outbox = outbox_dir or str(settings.resolved_outbox_dir)
    queued = 0
    outcomes: list[FileOutcome] = []
    rechecks: list[tuple[str, int]] = []
    placed: list[tuple[str | None, int | None]] = []
    progress.add("checked", len(received))
    progress.add("loaded", len(received))
    for chunk in by_year(received, size):
        try:
            checked = check_chunk(chunk, url)
            progress.advance("checked", len(chunk))
            result = load_chunk(checked, url, run_id)
        except Exception as exc:  # after retries: the chunk is reported, the run goes on
            failed.extend(FileOutcome.failed(r.source.path, f"could not be loaded: {exc}", r) for r in chunk)
            continue
        finally:
            progress.advance("loaded", len(chunk))
        outcomes.extend(file_outcomes(checked, result))
        try:
            queued += queue_quality_reports(checked, result, url, outbox, settings.mail_from)
        except Exception as exc:  # the load stands; the failure is in the run's log
            logger.warning("quality reports not queued for a chunk: %s", exc)
        rechecks.extend(result.recheck)
        placed.extend((s.agency_id, s.year) for s in result.submissions)

    mark_superseded(outcomes, superseded_this_run(url, run_id))
    cascade = refresh_pairs(
        unchecked_rechecks(rechecks, placed), url, archive, run_id, size, stages=progress.CASCADE
    )
    summary = IngestSummary.of(run_id, outcomes + failed, cascade, queued)
    publish_ingest(summary)
    return summary
