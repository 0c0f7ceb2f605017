"""Where a flow's tasks run: this process, worker processes on this machine's cores, or Dask.

The flows are declared once with `ChosenTaskRunner`, which picks the real runner from the
settings when a run starts (so deployments, the command line and tests all follow `XXGK_*`):

- `XXGK_DASK_ADDRESS` set: prefect-dask's `DaskTaskRunner` on that scheduler;
- else `XXGK_WORKERS` (default: one per core) above 1: Prefect's `ProcessPoolTaskRunner`;
- else a single thread, every task in the flow's process, one after the other.

Flows hand work to `spread`: chunks fanned out to worker processes or the cluster; a lone task
on a local pool runs in the flow's own process (starting a worker process costs seconds, and one
task gains nothing from it). Loads are never spread: they run in the flow's process, in order
(year N before N+1 is checked; SQLite has one writer).

Worker processes and Dask workers run Prefect's task engine themselves, so they need the flow's
API: when the flow uses Prefect's temporary local server, its address is handed to them
(otherwise each would start a temporary server of its own). Workers on other machines need a
real server (`PREFECT_API_URL`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import ExitStack, contextmanager
from typing import Any

from prefect.task_runners import ProcessPoolTaskRunner, TaskRunner, ThreadPoolTaskRunner

from flows.settings import Settings, get_settings


def runner_for(settings: Settings) -> TaskRunner:
    """The task runner the settings ask for (see the module's docstring)."""
    if settings.dask_address:
        from prefect_dask import DaskTaskRunner

        return DaskTaskRunner(address=settings.dask_address)
    if settings.resolved_workers > 1:
        return ProcessPoolTaskRunner(max_workers=settings.resolved_workers)
    return ThreadPoolTaskRunner(max_workers=1)


#: a local pool started ahead of the flow by `warm_pool`, waiting for the run that takes it
_warm: dict[str, Any] = {"runner": None, "taken": False}


def _noop() -> None:
    """Submitted once per worker by `warm_pool`: makes the pool start its processes now."""


@contextmanager
def warm_pool(settings: Settings, initializer: Callable[[], None] | None = None) -> Iterator[None]:
    """Start the local worker processes now, each running `initializer` (imports, GX's context),
    and hand them to the next run of a flow on `ChosenTaskRunner`; stopped when the block ends.

    The command line starts them while Prefect's temporary API starts, when one core waits:
    started by the run's first submit instead, each worker's imports (2-3 s of CPU) delay the
    first chunk, and GX's (3 s more) the first check. Nothing happens unless the settings ask
    for a local pool."""
    if _kind(settings) != "process" or _warm["runner"] is not None:
        yield
        return
    runner = ProcessPoolTaskRunner(max_workers=settings.resolved_workers, initializer=initializer)
    with runner:
        # ProcessPoolExecutor starts a process per submit while none is idle; Prefect's runner
        # has no public way to start them before the first task
        for _ in range(settings.resolved_workers):
            runner._executor.submit(_noop)  # type: ignore[union-attr]
        _warm.update(runner=runner, taken=False)
        try:
            yield
        finally:
            _warm.update(runner=None, taken=False)


def _take_warm() -> ProcessPoolTaskRunner | None:
    runner = _warm["runner"]
    if runner is None or _warm["taken"]:
        return None
    _warm["taken"] = True
    return runner


def _shared_api(stack: ExitStack) -> None:
    """Hand the temporary local API's address to the runner's workers (see the module docstring)."""
    from prefect.server.api.server import SubprocessASGIServer
    from prefect.settings import PREFECT_API_URL, get_current_settings, temporary_settings

    if get_current_settings().api.url:
        return
    server = SubprocessASGIServer()
    if server.running:
        stack.enter_context(temporary_settings(updates={PREFECT_API_URL: server.api_url}))


def _kind(settings: Settings) -> str:
    """Which runner `runner_for` gives, without building it: "dask", "process" or "thread"."""
    if settings.dask_address:
        return "dask"
    return "process" if settings.resolved_workers > 1 else "thread"


class ChosenTaskRunner(TaskRunner):
    """A task runner that becomes, for each run, the one the settings name (`runner_for`).

    A process pool or a Dask client is only started when the first task is submitted. Prefect
    enters a copy of the flow's task runner around every task it runs in a worker process
    (`prefect.context.hydrated_context`), and such a task never submits: building a pool there
    (a queue, a thread, and the import of Prefect's server to find the API) cost each worker
    seconds of CPU per run."""

    def __init__(self) -> None:
        super().__init__()
        self.inner: TaskRunner | None = None
        self.kind: str | None = None
        self._stack = ExitStack()

    def duplicate(self) -> ChosenTaskRunner:
        return type(self)()

    @property
    def spreads(self) -> bool:
        """True when submitted tasks run outside the flow's process (after the run started)."""
        return self.kind in ("process", "dask")

    @property
    def remote(self) -> bool:
        """True on a Dask cluster, where every task goes even when it is alone."""
        return self.kind == "dask"

    def __enter__(self) -> ChosenTaskRunner:
        super().__enter__()
        self.kind = _kind(get_settings())
        if self.kind == "thread":  # nothing to start: this process runs the tasks
            self._start()
        return self

    def _start(self) -> TaskRunner:
        """The runner the settings name, entered (once per run)."""
        if self.inner is not None:
            return self.inner
        warm = _take_warm() if self.kind == "process" else None
        try:
            if warm is not None:  # started by `warm_pool`, which stops it; given back after the run
                self._stack.callback(_warm.update, taken=False)
                _shared_api(self._stack)
                self.inner = warm
                return warm
            inner = runner_for(get_settings())
            if not isinstance(inner, ThreadPoolTaskRunner):
                _shared_api(self._stack)
            self.inner = self._stack.enter_context(inner)
        except BaseException:
            self._stack.close()
            self._stack = ExitStack()
            raise
        return self.inner

    def __exit__(self, exc_type: Any, exc_value: Any, traceback: Any) -> None:
        try:
            self._stack.__exit__(exc_type, exc_value, traceback)
        finally:
            self._stack = ExitStack()
            self.inner = None
            self.kind = None
            super().__exit__(exc_type, exc_value, traceback)

    def submit(self, task: Any, parameters: dict[str, Any], wait_for: Iterable | None = None, dependencies: Any = None):
        if self.kind is None:
            raise RuntimeError("The task runner must be started before submitting work.")
        return self._start().submit(task, parameters, wait_for=wait_for, dependencies=dependencies)


class _InProcess:
    """A task to run in this process when its result is asked for, looking like a future."""

    def __init__(self, task: Any, kwargs: dict[str, Any]) -> None:
        self._task = task
        self._kwargs = kwargs

    def result(self) -> Any:
        return self._task(**self._kwargs)


def _current_runner() -> TaskRunner | None:
    from prefect.context import FlowRunContext

    context = FlowRunContext.get()
    return context.task_runner if context is not None else None


def spread(task: Any, calls: Sequence[dict[str, Any]]) -> list[Any]:
    """Run `task` once per keyword set, side by side where the flow's runner allows; one
    future-like per call, in order (`result()` gives the value or raises the task's failure)."""
    runner = _current_runner()
    if isinstance(runner, ChosenTaskRunner) and runner.spreads and (len(calls) > 1 or runner.remote):
        return [task.submit(**kwargs) for kwargs in calls]
    return [_InProcess(task, kwargs) for kwargs in calls]
