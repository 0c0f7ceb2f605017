"""Re-reading archived originals: the heart of backfill and of the carryover cascade.

A changed year N may change year N+1's carryover findings, so every reload hands back the
(agency, N+1) pairs to check again, round after round, until nothing more changes.
"""

from __future__ import annotations

from collections.abc import Sequence

from flows import progress
from flows.batches import targets_by_year, unchecked_rechecks
from flows.records import BackfillChange, FileOutcome
from flows.tasks import (
    check_chunk,
    plan_chunk,
    queue_quality_reports,
    reread_chunk,
    select_targets,
    store_chunk,
)

#: a cascade moves one year forward per round; more rounds than years can never be needed
MAX_ROUNDS = 30


def reload_targets(
    targets: Sequence, url: str, archive: str, run_id: str, size: int, stages: progress.Stages = progress.RELOAD
) -> tuple[list, list[tuple[str, int]], list[FileOutcome]]:
    """Re-read, re-check and reload the targets; (load results, pairs to recheck, failures)."""
    results, rechecks, failed = [], [], []
    pending = list(targets)
    for _ in range(MAX_ROUNDS):
        if not pending:
            break
        stages.add(len(pending))
        reread: list[int] = []
        for chunk in targets_by_year(pending, size):
            try:
                received = reread_chunk(chunk, archive)
                progress.advance(stages.read, len(chunk))
                checked = check_chunk(received, url)
                progress.advance(stages.checked, len(chunk))
                result = store_chunk(checked, url, run_id, reload=True)
            except Exception as exc:  # after retries: reported, the rest goes on
                failed.extend(FileOutcome.failed(t.path, f"could not be reloaded: {exc}") for t in chunk)
                continue
            finally:
                progress.advance(stages.loaded, len(chunk))
            results.append(result)
            _queue_reports(checked, result, url)
            rechecks.extend(result.recheck)
            reread.extend(result.reread)
        # an older loaded file that must hold a pair's facts again is re-read from the archive
        pending = select_targets(url, None, None, None, submission_keys=reread) if reread else []
    return results, rechecks, failed


def _queue_reports(checked: Sequence, result, url: str) -> None:
    """A reload whose findings changed (a late previous year, a better parser) tells the agency again;
    the outbox keeps one row per content, so an unchanged report is not queued twice."""
    try:
        queue_quality_reports(checked, result, url, "", "")
    except Exception as exc:  # the reload stands; the failure is in the run's log
        from prefect import get_run_logger

        get_run_logger().warning("quality reports not queued for a reloaded chunk: %s", exc)


def plan_targets(targets: Sequence, url: str, archive: str, size: int) -> list[BackfillChange]:
    """What reloading the targets would change, writing nothing."""
    changes: list[BackfillChange] = []
    stages = progress.DRY_RUN
    stages.add(len(targets))
    for chunk in targets_by_year(targets, size):
        received = reread_chunk(chunk, archive)
        progress.advance(stages.read, len(chunk))
        checked = check_chunk(received, url)
        progress.advance(stages.checked, len(chunk))
        plan = plan_chunk(checked, url)
        progress.advance(stages.loaded, len(chunk))
        changes.extend(
            BackfillChange(
                path=item.path,
                agency=item.agency_after or item.agency_before,
                year=item.year_after or item.year_before,
                state_before=item.state_before,
                state_after=item.state_after,
                cells_changed=item.facts_changed,
                findings_added=sorted(item.findings_added),
                findings_removed=sorted(item.findings_removed),
            )
            for item in plan.changed_submissions()
        )
    return changes


def refresh_pairs(
    pairs: Sequence[tuple[str, int]],
    url: str,
    archive: str,
    run_id: str,
    size: int,
    stages: progress.Stages = progress.CASCADE,
) -> int:
    """Check the submissions of these (agency, year) pairs again, cascading forward; how many."""
    done: set[tuple[str, int]] = set()
    count = 0
    pending = list(pairs)
    for _ in range(MAX_ROUNDS):
        if not pending:
            break
        targets = select_targets(url, None, None, None, pairs=pending)
        done.update(pending)
        results, rechecks, _failed = reload_targets(targets, url, archive, run_id, size, stages)
        count += sum(len(r.submissions) for r in results)
        pending = unchecked_rechecks(rechecks, done)
    return count
