"""The backfill flow: re-read archived originals with the current parser, re-check, reload.

Triggered by a data engineer when a parser improves or an agency corrects an old year. The
scope is years, agencies or regions (or everything); the carryover cascade then checks the
following years again. `dry_run` says what would change and writes nothing.
"""

from __future__ import annotations

import uuid
from collections import Counter

from prefect import flow, get_run_logger

from flows import progress
from flows.batches import unchecked_rechecks
from flows.publishing import publish_backfill
from flows.records import BackfillSummary
from flows.refresh import plan_targets, refresh_pairs, reload_targets
from flows.runners import ChosenTaskRunner
from flows.settings import get_settings
from flows.tasks import prepare_warehouse, select_targets
from warehouse.spool import Spool


@flow(name="backfill", log_prints=False, task_runner=ChosenTaskRunner())
def backfill(
    years: list[int] | None = None,
    agencies: list[str] | None = None,
    regions: list[str] | None = None,
    dry_run: bool = False,
    chunk_size: int | None = None,
    warehouse_url: str | None = None,
    archive_url: str | None = None,
) -> BackfillSummary:
    """Reload the archived submissions in scope; no scope given means all of them."""
    settings = get_settings()
    url = warehouse_url or settings.resolved_warehouse_url
    archive = archive_url or settings.resolved_archive_url
    size = chunk_size or settings.chunk_size
    run_id = uuid.uuid4().hex
    spool = Spool.for_run(settings.resolved_spool_url, run_id)
    prepare_warehouse(url)
    targets = select_targets(url, years, agencies, regions)
    get_run_logger().info("%d archived submissions in scope", len(targets))

    try:
        if dry_run:
            changed = plan_targets(targets, url, archive, size, spool.url)
            summary = BackfillSummary(run_id=run_id, dry_run=True, targets=len(targets), changed=changed)
        else:
            results, rechecks, failed = reload_targets(targets, url, archive, run_id, size, spool.url)
            scope = {(t.agency_id, t.year) for t in targets}
            rechecked = refresh_pairs(
                unchecked_rechecks(rechecks, scope), url, archive, run_id, size, spool.url, stages=progress.CASCADE
            )
            counts = Counter(s.outcome for r in results for s in r.submissions)
            summary = BackfillSummary(
                run_id=run_id,
                dry_run=False,
                targets=len(targets),
                counts=dict(sorted(counts.items())),
                rechecked=rechecked,
                failed=failed,
            )
    finally:
        spool.clear()
    publish_backfill(summary)
    return summary
