"""How a command ends: its exit codes, and every error said in one line with a hint.

The command line's one handler (`flows/cli.py`) turns any exception into `xxgk: <what failed>:
<why>` plus a hint, and exits with one of the codes below; `--debug` adds the traceback. Errors
the commands foresee are raised as `CommandError`; the rest are explained here by their type.

Infrastructure (code 3) is what xxgk needs but does not own: the warehouse, the disk and the
folders on it (XXGK_HOME, archive, spool, outbox), Prefect's API, the mail server. When one fails,
before or during a run, the data is not at fault: a re-run once it is back loads what is left.
Configuration (code 4) is what the user set up wrong: a setting, the warehouse URL, the installation.
"""

from __future__ import annotations

import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

#: exit codes scripts can rely on (a run reports the highest that applies; see the module docstring)
EXIT_OK = 0
EXIT_REJECTED = 1
EXIT_UNREADABLE = 2
EXIT_INFRASTRUCTURE = 3
EXIT_CONFIGURATION = 4
EXIT_INTERNAL = 5
EXIT_INTERRUPTED = 130
#: a file that ended `failed`: infrastructure stops a run instead (`stops_the_run`), so what is
#: left is a report the loader could not take for a reason no rule names, a bug
EXIT_FAILED = EXIT_INTERNAL

EXIT_CODES: tuple[tuple[int, str], ...] = (
    (EXIT_OK, "done: every file loaded, or every rule passed"),
    (EXIT_REJECTED, "some file failed a hard rule (rejected; its findings are stored or printed), or a scan is held for review"),
    (EXIT_UNREADABLE, "some file could not be read, or the command was refused (usage, schema not migrated)"),
    (
        EXIT_INFRASTRUCTURE,
        "infrastructure failed, before or during the run: the warehouse, the disk, XXGK_HOME, the archive, "
        "the spool, Prefect or the mail server (the one line names it); run again once it is back",
    ),
    (EXIT_CONFIGURATION, "xxgk is set up wrong: a setting (XXGK_*), the warehouse URL or its installation"),
    (
        EXIT_INTERNAL,
        "an internal error (a bug): a file ended `failed` (its reason says why), or the command crashed: "
        "run again with --debug and report the traceback",
    ),
    (EXIT_INTERRUPTED, "interrupted (Ctrl-C)"),
)

DEBUG_HINT = "run again with --debug (or XXGK_DEBUG=1) to see the traceback"


class CommandError(Exception):
    """A failure said as `xxgk: <what>: <why>`, with what to do about it and the exit code."""

    def __init__(self, what: str, why: str, hint: str | None = None, code: int = EXIT_INFRASTRUCTURE) -> None:
        super().__init__(f"{what}: {why}")
        self.what, self.why, self.hint, self.code = what, why, hint, code

    @property
    def line(self) -> str:
        return f"xxgk: {self.what}: {self.why}"


class ErrorContext:
    """What the handler knows about the configuration, to name the thing that failed: the
    warehouse, XXGK_HOME and the folders xxgk writes (`folders`: name -> local folder, e.g.
    "archive", "spool", "outbox"; a file under one is said as that folder's failure)."""

    def __init__(
        self, warehouse_url: str | None = None, home: Path | None = None, folders: dict[str, Path] | None = None
    ) -> None:
        self.warehouse_url, self.home, self.folders = warehouse_url, home, dict(folders or {})


def require_writable(folder: Path, variable: str) -> None:
    """Create `folder` if missing and prove this user can write there, or say so as `variable`'s fault."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryFile(dir=folder):
            pass
    except OSError as exc:
        raise CommandError(
            f"{variable} {folder}",
            (exc.strerror or first_line(exc)).lower(),
            f"make the folder writable for this user, or set {variable} to a folder you can write",
        ) from exc


def first_line(text: object) -> str:
    """The first non-empty line of a message: drivers add advice and URLs on the lines after."""
    lines = [s.strip() for s in str(text).splitlines() if s.strip()]
    return lines[0] if lines else ""


def _types(module: str, *names: str) -> tuple[type, ...]:
    """Exception classes of a module, if it was imported at all (else nothing can be one of them)."""
    loaded = sys.modules.get(module)
    return tuple(getattr(loaded, n) for n in names if loaded is not None and hasattr(loaded, n))


def shown_url(url: str | None) -> str:
    """A database URL without its password."""
    if not url:
        return "(not configured)"
    try:
        from sqlalchemy.engine import make_url

        return make_url(url).render_as_string(hide_password=True)
    except Exception:
        return "(unparsable URL)"


#: SQLSTATE classes of a database that is away or out of room, not of a statement or its data:
#: connection (08), resources/disk full (53), operator intervention/shutdown (57), system (58),
#: database missing (3D), login refused (28), internal (XX); and a table missing (42P01)
_INFRASTRUCTURE_SQLSTATES = ("08", "53", "57", "58", "3D", "28", "XX", "42P01")


def _database_away(exc: BaseException) -> bool:
    """A driver error that says the database failed, not the statement or the values sent."""
    from sqlalchemy import exc as sa

    if getattr(exc, "connection_invalidated", False):
        return True
    sqlstate = getattr(getattr(exc, "orig", None), "sqlstate", None)
    if sqlstate:
        return str(sqlstate).startswith(_INFRASTRUCTURE_SQLSTATES)
    # SQLite has no SQLSTATE: a read-only or full file, a lock, a missing table are OperationalError
    return isinstance(exc, sa.OperationalError | sa.InterfaceError | sa.InternalError)


def _warehouse(exc: BaseException, context: ErrorContext) -> CommandError:
    orig = getattr(exc, "orig", None)
    if not _database_away(exc):  # a value or statement the database refused: a bug, not the server
        return CommandError(
            f"warehouse {shown_url(context.warehouse_url)}",
            f"refused a statement: {first_line(orig if orig is not None else exc)}",
            f"{DEBUG_HINT}, and report it",
            EXIT_INTERNAL,
        )
    return CommandError(
        f"warehouse {shown_url(context.warehouse_url)}",
        first_line(orig if orig is not None else exc),
        "check XXGK_WAREHOUSE_URL, that the database server runs and lets this user in, and its free disk "
        "space; then run the same command again",
    )


def _warehouse_url(exc: BaseException, context: ErrorContext) -> CommandError:
    return CommandError(
        f"warehouse URL {shown_url(context.warehouse_url)}",
        first_line(exc),
        "XXGK_WAREHOUSE_URL is an SQLAlchemy URL, e.g. postgresql://user@host/db or sqlite:////abs/path.sqlite",
        EXIT_CONFIGURATION,
    )


def _under(path: Path, folder: Path | None) -> bool:
    if folder is None:
        return False
    try:
        return path.resolve().is_relative_to(folder.resolve())
    except OSError:
        return False


def _file(exc: BaseException, context: ErrorContext) -> CommandError:
    assert isinstance(exc, OSError)
    name = exc.filename or exc.filename2
    why = exc.strerror.lower() if exc.strerror else first_line(exc)
    if name is None:
        return CommandError("file system", first_line(exc), "check the paths given, free disk space and permissions")
    path = Path(str(name))
    # the deepest named folder the file is in: the archive under XXGK_HOME is the archive
    for label, folder in sorted(context.folders.items(), key=lambda item: -len(item[1].parts)):
        if _under(path, folder):
            return CommandError(
                f"{label} {folder}", f"{why} ({path})", "free space there, or make it writable for this user; "
                "then run the same command again",
            )
    if _under(path, context.home):
        return CommandError(
            f"XXGK_HOME {context.home}",
            f"{why} ({path})",
            "make the folder writable for this user, or set XXGK_HOME to a folder you can write",
        )
    hints = {
        PermissionError: "check the file's permissions for this user",
        FileNotFoundError: "check the path",
        IsADirectoryError: "name a file, not a folder",
        NotADirectoryError: "a part of the path is a file, not a folder",
    }
    return CommandError(str(path), why, next((h for t, h in hints.items() if isinstance(exc, t)), None))


def _not_utf8(exc: BaseException, context: ErrorContext) -> CommandError:
    return CommandError(
        "a text file",
        f"not UTF-8 ({first_line(exc)})",
        "save it as UTF-8 (in a spreadsheet: 'CSV UTF-8')",
        EXIT_UNREADABLE,
    )


def _settings(exc: BaseException, context: ErrorContext) -> CommandError:
    if getattr(exc, "title", None) != "Settings":  # a record that fails validation is a bug
        return _internal(exc, context)
    errors = exc.errors() if hasattr(exc, "errors") else []
    where = ", ".join(f"XXGK_{str(e['loc'][0]).upper()}: {e['msg']}" for e in errors[:3] if e.get("loc"))
    return CommandError(
        "configuration", where or first_line(exc), "check the XXGK_* variables (see .env.example)", EXIT_CONFIGURATION
    )


def _prefect_api(exc: BaseException, context: ErrorContext) -> CommandError:
    return CommandError(
        "Prefect API",
        first_line(exc),
        "check PREFECT_API_URL and the server's log; --verbose shows Prefect's own log",
    )


def _missing_module(exc: BaseException, context: ErrorContext) -> CommandError:
    return CommandError(
        "installation",
        first_line(exc),
        "xxgk's dependencies are incomplete: reinstall it (pip install -c constraints.txt .)",
        EXIT_CONFIGURATION,
    )


def _internal(exc: BaseException, context: ErrorContext) -> CommandError:
    return CommandError("internal error", f"{type(exc).__name__}: {first_line(exc)}", f"{DEBUG_HINT}, and report it", EXIT_INTERNAL)


Explainer = Callable[[BaseException, ErrorContext], CommandError]


def _explainers() -> list[tuple[tuple[type, ...], Explainer]]:
    """Exception types and how each is said, most specific first."""
    return [
        (_types("sqlalchemy.exc", "ArgumentError", "NoSuchModuleError"), _warehouse_url),
        (_types("sqlalchemy.exc", "DBAPIError"), _warehouse),
        (_types("pydantic_core", "ValidationError"), _settings),
        (_types("httpx", "HTTPError"), _prefect_api),
        (_types("prefect.exceptions", "PrefectHTTPStatusError", "ObjectNotFound"), _prefect_api),
        ((UnicodeDecodeError,), _not_utf8),
        ((OSError,), _file),
        ((ModuleNotFoundError,), _missing_module),
    ]


def explain(exc: BaseException, context: ErrorContext | None = None) -> CommandError:
    """The one-line account of an exception: the first known error along its chain of causes."""
    context = context or ErrorContext()
    explainers = _explainers()
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        if isinstance(current, CommandError):
            return current
        for types, say in explainers:
            if types and isinstance(current, types):
                return say(current, context)
        current = current.__cause__
    return _internal(exc, context)


def stops_the_run(exc: BaseException, context: ErrorContext | None = None) -> bool:
    """True when a chunk failed because infrastructure did (the warehouse, the disk, the archive,
    the spool, Prefect's API): every later chunk would fail the same way, each after its retries,
    so the run stops and the command says it in one line (exit 3). Anything else fails the chunk
    alone and the run goes on."""
    return explain(exc, context).code == EXIT_INFRASTRUCTURE
