"""Re-reading archived originals: the heart of backfill and of the carryover cascade.

A changed year N may change year N+1's carryover findings, so every reload hands back the
(agency, N+1) pairs to check again, round after round, until nothing more changes.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator, Sequence

from flows import progress
from flows.batches import pair_groups, target_years_in_chunks, unchecked_rechecks
from flows.errors import stops_the_run
from flows.isolation import (
    attempt_budget,
    checked_then,
    chunk_attempts,
    isolate,
    retry_if_transient,
)
from flows.records import BackfillChange, Batch, FileOutcome
from flows.runners import spread
from flows.tasks import (
    check_chunk,
    divide_checked,
    plan_chunk,
    reread_chunk,
    select_targets,
    store_chunk,
)

#: a cascade moves one year forward per round; more rounds than years can never be needed
MAX_ROUNDS = 30


def _read_and_check(
    year_groups: list[list[list]], url: str, archive: str, spool: str, tag: str, stages: progress.Stages
) -> Iterator[tuple[list, list | None, str, object]]:
    """Every chunk of every year re-read side by side (parsing needs no warehouse), then per year,
    oldest first, that year's chunks checked side by side: (chunk, its re-read entries or None,
    its checked key, future-like of that key) in order. The caller stores each before asking for
    the next year's (carryover)."""
    chunks = [chunk for year in year_groups for chunk in year]
    reads = iter(spread(reread_chunk, [
        dict(targets=Batch(chunk), archive_url=archive, spool_url=spool, chunk_no=f"{tag}-{n}")
        for n, chunk in enumerate(chunks)
    ]))
    n = 0
    for year in year_groups:
        entries: list[tuple[list, object]] = []
        for chunk in year:
            reading = next(reads)
            try:
                entries.append((chunk, reading.result()))
            except Exception as exc:  # after retries: the chunk fails as a whole, the rest goes on
                if stops_the_run(exc):  # the archive or the spool failed: every later chunk would too
                    raise
                entries.append((chunk, exc))
            progress.advance(stages.read, len(chunk))
        calls = []
        for _chunk, got in entries:
            if not isinstance(got, Exception):
                calls.append(dict(entries=Batch(got), warehouse_url=url, spool_url=spool, key=f"checked/{tag}-{n}"))
                n += 1
        checks = iter(spread(check_chunk, calls))
        keys = iter([c["key"] for c in calls])
        for chunk, got in entries:
            if isinstance(got, Exception):
                yield chunk, None, "", _Failed(got)
            else:
                yield chunk, got, next(keys), next(checks)


class _Failed:
    """A chunk whose re-reading failed, standing where its check would be."""

    def __init__(self, error: Exception) -> None:
        self.error = error

    def result(self) -> str:
        raise self.error


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

    Chunks are re-read side by side and a year's chunks checked side by side; each is reloaded
    in order, and the next year is checked after them (its carryover reads this year)."""
    results, rechecks, failed = [], [], []
    pending = list(targets)
    storing = store_chunk.with_options(retry_condition_fn=retry_if_transient)
    numbers = itertools.count()  # the reload chunks' numbers in load_audit (mode "reload"), across rounds
    attempts = chunk_attempts(
        check=lambda part, key: check_chunk(
            entries=Batch([entry for _target, entry in part]), warehouse_url=url, spool_url=spool, key=key
        ),
        load=lambda key: storing(key, url, run_id, spool, reload=True, chunk_no=next(numbers)),
        divide=lambda key, halves: divide_checked(spool, key, halves),
        loaded="reloaded",
    )
    for round_no in range(MAX_ROUNDS):
        if not pending:
            break
        stages.add(len(pending))
        reread: list[int] = []
        year_groups = list(target_years_in_chunks(pending, size))
        for chunk, got, key, checking in _read_and_check(year_groups, url, archive, spool, f"round{round_no}", stages):
            if got is None:  # the re-reading failed after its retries: the chunk fails whole
                failed.extend(FileOutcome.failed(t.path, f"could not be reloaded: {checking.error}") for t in chunk)
                progress.advance(stages.checked, len(chunk))
                progress.advance(stages.loaded, len(chunk))
                continue
            # an (agency, year)'s files stay together: a reload settles each pair within one part
            units = pair_groups(list(zip(chunk, got, strict=True)), lambda pair: pair[0])
            first = checked_then(checking, attempts.store)
            budget = attempt_budget(len(units))
            for part in isolate(units, key, attempts.check_and_store, first, again=attempts.again, budget=budget):
                if part.error is not None:  # after retries and halving: only this part fails
                    if stops_the_run(part.error):  # the warehouse or the disk failed: every later chunk would too
                        raise part.error
                    failed.extend(FileOutcome.failed(t.path, str(part.error)) for t, _entry in part.items)
                    continue
                result = part.result.result
                results.append(result)  # its changed reports were queued in its transaction (store_chunk)
                rechecks.extend(result.recheck)
                reread.extend(result.reread)
            progress.advance(stages.checked, len(chunk))
            progress.advance(stages.loaded, len(chunk))
        # an older loaded file that must hold a pair's facts again is re-read from the archive
        pending = select_targets(url, None, None, None, submission_keys=reread) if reread else []
    return results, rechecks, failed


def plan_targets(targets: Sequence, url: str, archive: str, size: int, spool: str) -> list[BackfillChange]:
    """What reloading the targets would change, writing nothing."""
    changes: list[BackfillChange] = []
    stages = progress.DRY_RUN
    stages.add(len(targets))
    year_groups = list(target_years_in_chunks(targets, size))
    for chunk, _got, _key, checking in _read_and_check(year_groups, url, archive, spool, "plan", stages):
        key = checking.result()
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
