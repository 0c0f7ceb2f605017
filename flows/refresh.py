"""Re-reading archived originals: the heart of backfill and of the carryover cascade.

A changed year N may change year N+1's carryover findings, so every reload hands back the
(agency, N+1) pairs to check again, round after round, until nothing more changes.
"""

from __future__ import annotations

from collections.abc import Sequence

from flows import progress
from flows.batches import target_years_in_chunks, unchecked_rechecks
from flows.records import BackfillChange, Batch, FileOutcome
from flows.runners import spread
from flows.tasks import check_chunk, plan_chunk, reread_chunk, select_targets, store_chunk

#: a cascade moves one year forward per round; more rounds than years can never be needed
MAX_ROUNDS = 30


def _reread_year(chunks: list[list], archive: str, spool: str, tag: str) -> list:
    """One year's chunks re-read side by side: one future-like per chunk (its `Spooled` entries)."""
    calls = [
        dict(targets=Batch(chunk), archive_url=archive, spool_url=spool, chunk_no=f"{tag}-{n}")
        for n, chunk in enumerate(chunks)
    ]
    return spread(reread_chunk, calls)


def _check(entries: list, url: str, spool: str, key: str) -> str:
    (checking,) = spread(check_chunk, [dict(entries=Batch(entries), warehouse_url=url, spool_url=spool, key=key)])
    return checking.result()


def reload_targets(
    targets: Sequence,
    url: str,
    archive: str,
    run_id: str,
    size: int,
    spool: str,
    stages: progress.Stages = progress.RELOAD,
) -> tuple[list, list[tuple[str, int]], list[FileOutcome]]:
    """Re-read, re-check and reload the targets; (load results, pairs to recheck, failures).

    A year's chunks are re-read side by side; each is then checked and reloaded in order, and the
    next year waits for them (its carryover reads this year from the warehouse)."""
    results, rechecks, failed = [], [], []
    pending = list(targets)
    for round_no in range(MAX_ROUNDS):
        if not pending:
            break
        stages.add(len(pending))
        reread: list[int] = []
        for year_chunks in target_years_in_chunks(pending, size):
            tag = f"round{round_no}-{year_chunks[0][0].year or 0}"
            for n, (chunk, reading) in enumerate(zip(year_chunks, _reread_year(year_chunks, archive, spool, tag), strict=True)):
                try:
                    received = reading.result()
                    progress.advance(stages.read, len(chunk))
                    key = _check(received, url, spool, f"checked/{tag}-{n}")
                    progress.advance(stages.checked, len(chunk))
                    stored = store_chunk(key, url, run_id, spool, reload=True)
                except Exception as exc:  # after retries: reported, the rest goes on
                    failed.extend(FileOutcome.failed(t.path, f"could not be reloaded: {exc}") for t in chunk)
                    continue
                finally:
                    progress.advance(stages.loaded, len(chunk))
                result = stored.result
                results.append(result)
                rechecks.extend(result.recheck)
                reread.extend(result.reread)
        # an older loaded file that must hold a pair's facts again is re-read from the archive
        pending = select_targets(url, None, None, None, submission_keys=reread) if reread else []
    return results, rechecks, failed


def plan_targets(targets: Sequence, url: str, archive: str, size: int, spool: str) -> list[BackfillChange]:
    """What reloading the targets would change, writing nothing."""
    changes: list[BackfillChange] = []
    stages = progress.DRY_RUN
    stages.add(len(targets))
    for year_chunks in target_years_in_chunks(targets, size):
        tag = f"plan-{year_chunks[0][0].year or 0}"
        for n, (chunk, reading) in enumerate(zip(year_chunks, _reread_year(year_chunks, archive, spool, tag), strict=True)):
            received = reading.result()
            progress.advance(stages.read, len(chunk))
            key = _check(received, url, spool, f"checked/{tag}-{n}")
            progress.advance(stages.checked, len(chunk))
            plan = plan_chunk(key, url, spool)
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
    spool: str,
    stages: progress.Stages = progress.CASCADE,
) -> int:
    """Check the submissions of these (agency, year) pairs again, cascading forward; how many."""
    done: set[tuple[str, int]] = set()
    count = 0
    pending = list(pairs)
    for round_no in range(MAX_ROUNDS):
        if not pending:
            break
        targets = select_targets(url, None, None, None, pairs=pending)
        done.update(pending)
        # each round in a folder of its own: its keys never meet those of the run's other reloads
        results, rechecks, _failed = reload_targets(
            targets, url, archive, run_id, size, f"{spool}/refresh-{round_no}", stages
        )
        count += sum(len(r.submissions) for r in results)
        pending = unchecked_rechecks(rechecks, done)
    return count
