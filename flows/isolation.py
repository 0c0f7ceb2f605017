"""Finding the report that fails a chunk, so one bad file never costs the others.

A chunk whose check or load fails for a reason that may lie in its reports (a value a rule or
the warehouse cannot take, a constraint) is halved and each half tried again, in order, down to
single reports (or single (agency, year) groups for a reload, which must stay together): only the
culprit ends `failed`, with its reason, and every other report is stored. A failure that lies
outside the reports (warehouse unreachable, a full disk, the spool) is not halved, since every
half would fail the same way; such failures are the only ones Prefect retries (`retry_if_transient`),
so a deterministic failure costs one attempt per part, not retries × delay at every level.

Plain functions: the flows pass in what an attempt is (check then load, under a spool key).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

T = TypeVar("T")
R = TypeVar("R")

#: one try at a part: its items and the spool key its checked chunk goes under → the result
Attempt = Callable[[list[T], str], R]


class StageFailed(Exception):
    """An attempt's failure, said with the stage that failed ("checked", "loaded", "reloaded")."""

    def __init__(self, stage: str, error: BaseException) -> None:
        super().__init__(f"could not be {stage}: {_first_line(error)}")
        self.stage, self.error = stage, error
        self.__cause__ = error


def _first_line(error: BaseException) -> str:
    """A driver's message without the SQL and parameters it appends on the lines after."""
    lines = [line.strip() for line in str(error).splitlines() if line.strip()]
    return lines[0] if lines else type(error).__name__


@dataclass
class Part(Generic[T, R]):
    """A part of a chunk as it ended: its result, or the error it still failed with."""

    items: list[T]
    key: str
    result: R | None = None
    error: BaseException | None = None


def _chain(exc: BaseException) -> Iterator[BaseException]:
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        yield current
        current = current.error if isinstance(current, StageFailed) else (current.__cause__ or current.__context__)


def is_transient(exc: BaseException) -> bool:
    """Whether a failure lies outside the chunk's reports (connection, disk, spool, schema): retrying
    later may help, halving the chunk never does."""
    from sqlalchemy import exc as sa

    from warehouse.loader import WarehouseNotReady
    from warehouse.spool import SpoolError

    outside = (
        OSError,  # includes ConnectionError and TimeoutError
        sa.OperationalError,  # connection lost, "database is locked", serialization failure
        sa.InterfaceError,
        sa.DisconnectionError,
        sa.TimeoutError,  # the connection pool's
        SpoolError,
        WarehouseNotReady,
    )
    for current in _chain(exc):
        if isinstance(current, outside):
            return True
        if isinstance(current, sa.DBAPIError) and current.connection_invalidated:
            return True
    return False


def blames_the_data(exc: BaseException) -> bool:
    """Whether halving the chunk may isolate the failure (it is not transient)."""
    return not is_transient(exc)


def retry_if_transient(task: Any, task_run: Any, state: Any) -> bool:
    """Prefect's `retry_condition_fn`: retry a load only when its failure is transient; a
    deterministic one (a value the warehouse refuses) is handed back at once to be isolated."""
    error = getattr(state, "data", None)
    if not isinstance(error, BaseException):
        return True
    return is_transient(error)


def checked_then(checking: Any, store: Callable[[str], R]) -> Attempt[Any, R]:
    """The first attempt at a chunk: the check already running side by side (a future-like whose
    `result()` raises when the check failed), then `store` under the part's key."""

    def attempt(part: list, key: str) -> R:
        try:
            checking.result()
        except Exception as exc:
            raise StageFailed("checked", exc) from exc
        return store(key)

    return attempt


#: how the halves of a failed part are tried: (its error, its key, the halves as (key, start,
#: stop) positions within it) → the attempt for them, after preparing what they need
Again = Callable[[BaseException, str, list[tuple[str, int, int]]], Attempt[T, R]]


def loading_halves(
    divide: Callable[[str, list[tuple[str, int, int]]], object],
    store: Callable[[str], R],
    check_and_store: Attempt[T, R],
) -> Again:
    """`isolate`'s `again` for check-then-load attempts: the halves of a part whose load failed are
    cut from its checked chunk (`divide`) and only loaded; those of a part whose check failed, or
    whose checked chunk cannot be cut, are checked and loaded again."""

    def again(error: BaseException, key: str, halves: list[tuple[str, int, int]]) -> Attempt[T, R]:
        if isinstance(error, StageFailed) and error.stage != "checked":
            try:
                divide(key, halves)
            except Exception:  # the spool: check them again instead
                return check_and_store
            return lambda _items, part_key: store(part_key)
        return check_and_store

    return again


@dataclass
class ChunkAttempts(Generic[T, R]):
    """How a flow tries a chunk and its halves: `store` loads a checked key, `check_and_store`
    checks a part then loads it, `again` picks between them for the halves of a failed part."""

    store: Callable[[str], R]
    check_and_store: Attempt[T, R]
    again: Again


def chunk_attempts(
    check: Callable[[list[T], str], object],
    load: Callable[[str], R],
    divide: Callable[[str, list[tuple[str, int, int]]], object],
    loaded: str = "loaded",
) -> ChunkAttempts[T, R]:
    """The attempts of a check-then-load flow (ingest, reload), each failure said with its stage:
    "checked", or `loaded` ("loaded", "reloaded")."""

    def store(key: str) -> R:
        try:
            return load(key)
        except Exception as exc:
            raise StageFailed(loaded, exc) from exc

    def check_and_store(part: list[T], key: str) -> R:
        try:
            check(part, key)
        except Exception as exc:
            raise StageFailed("checked", exc) from exc
        return store(key)

    return ChunkAttempts(store, check_and_store, loading_halves(divide, store, check_and_store))


#: culprits a chunk's attempts are budgeted for (see `attempt_budget`)
CULPRITS = 3


def attempt_budget(units: int, culprits: int = CULPRITS) -> int:
    """Attempts one chunk of `units` may take: the first, and two per halving level for each of
    `culprits` reports at fault. Isolating one culprit takes 1 + 2·⌈log2 n⌉ attempts (19 for 500);
    a failure every report shares (a bug, not a report) would otherwise take 2n - 1 (999)."""
    return 1 + 2 * max(1, math.ceil(math.log2(max(units, 1)))) * culprits


def isolate(
    units: Sequence[Sequence[T]],
    key: str,
    attempt: Attempt[T, R],
    first: Attempt[T, R] | None = None,
    divisible: Callable[[BaseException], bool] = blames_the_data,
    again: Again | None = None,
    budget: int | None = None,
) -> Iterator[Part[T, R]]:
    """Try the chunk (`first`, else `attempt`) under `key`; when it fails and `divisible` says the
    failure may lie in its items, try each half under `key.0` and `key.1`, and so on down to single
    units. Parts are tried and yielded in the chunk's order (loads stay in order), each once: its
    result, or the error it failed with when it could not be halved further.

    `units` are the indivisible groups the chunk is made of (one item each for an ingest; one
    (agency, year)'s files for a reload). `again` chooses how the halves are tried (default
    `attempt`): a chunk that was checked but failed to load needs only its halves loaded. After
    `budget` attempts (see `attempt_budget`) the parts left are not tried: each fails with the
    error of the part it was cut from."""
    stack: list[tuple[list[Sequence[T]], str, Attempt[T, R], BaseException | None]] = [
        (list(units), key, first or attempt, None)
    ]
    tried = 0
    while stack:
        part, part_key, run, inherited = stack.pop()
        items = [item for unit in part for item in unit]
        if inherited is not None and budget is not None and tried >= budget:
            yield Part(items, part_key, error=inherited)
            continue
        tried += 1
        try:
            outcome: Part[T, R] = Part(items, part_key, result=run(items, part_key))
        except Exception as exc:
            if len(part) < 2 or not divisible(exc):
                outcome = Part(items, part_key, error=exc)
            else:
                middle = len(part) // 2
                cut = sum(len(unit) for unit in part[:middle])
                halves = [(f"{part_key}.0", 0, cut), (f"{part_key}.1", cut, len(items))]
                next_run = again(exc, part_key, halves) if again is not None else attempt
                stack.append((part[middle:], halves[1][0], next_run, exc))
                stack.append((part[:middle], halves[0][0], next_run, exc))
                continue
        yield outcome
