"""How a command ends: its exit codes, and every error said in one line with a hint.

The command line's one handler (`flows/cli.py`) turns any exception into `xxgk: <what failed>:
<why>` plus a hint, and exits with one of the codes below; `--debug` adds the traceback. Errors
the commands foresee are raised as `CommandError`; the rest are explained here by their type.
"""

from __future__ import annotations

import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

#: exit codes scripts can rely on (a run reports the highest that applies)
EXIT_OK = 0
EXIT_REJECTED = 1
EXIT_UNREADABLE = 2
EXIT_FAILED = 3
EXIT_ENVIRONMENT = 4
EXIT_INTERNAL = 5
EXIT_INTERRUPTED = 130

EXIT_CODES: tuple[tuple[int, str], ...] = (
    (EXIT_OK, "done: every file loaded, or every rule passed"),
    (EXIT_REJECTED, "some file failed a hard rule (rejected; its findings are stored or printed), or a scan is held for review"),
    (EXIT_UNREADABLE, "some file could not be read, or the command was refused (usage, schema not migrated)"),
    (EXIT_FAILED, "a chunk could not be stored after its retries (its files stay archived for a re-run)"),
    (EXIT_ENVIRONMENT, "xxgk could not run: warehouse, Prefect, a file or a folder (the message says which)"),
    (EXIT_INTERNAL, "an internal error (a bug): run again with --debug and report the traceback"),
    (EXIT_INTERRUPTED, "interrupted (Ctrl-C)"),
)

DEBUG_HINT = "run again with --debug (or XXGK_DEBUG=1) to see the traceback"


class CommandError(Exception):
    """A failure said as `xxgk: <what>: <why>`, with what to do about it and the exit code."""

    def __init__(self, what: str, why: str, hint: str | None = None, code: int = EXIT_ENVIRONMENT) -> None:
        super().__init__(f"{what}: {why}")
        self.what, self.why, self.hint, self.code = what, why, hint, code

    @property
    def line(self) -> str:
        return f"xxgk: {self.what}: {self.why}"


class ErrorContext:
    """What the handler knows about the configuration, to name the thing that failed."""

    def __init__(self, warehouse_url: str | None = None, home: Path | None = None) -> None:
        self.warehouse_url, self.home = warehouse_url, home


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


def _warehouse(exc: BaseException, context: ErrorContext) -> CommandError:
    orig = getattr(exc, "orig", None)
    return CommandError(
        f"warehouse {shown_url(context.warehouse_url)}",
        first_line(orig if orig is not None else exc),
        "check XXGK_WAREHOUSE_URL, and that the database server runs and lets this user in",
    )


def _warehouse_url(exc: BaseException, context: ErrorContext) -> CommandError:
    return CommandError(
        f"warehouse URL {shown_url(context.warehouse_url)}",
        first_line(exc),
        "XXGK_WAREHOUSE_URL is an SQLAlchemy URL, e.g. postgresql://user@host/db or sqlite:////abs/path.sqlite",
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
    )


def _settings(exc: BaseException, context: ErrorContext) -> CommandError:
    if getattr(exc, "title", None) != "Settings":  # a record that fails validation is a bug
        return _internal(exc, context)
    errors = exc.errors() if hasattr(exc, "errors") else []
    where = ", ".join(f"XXGK_{str(e['loc'][0]).upper()}: {e['msg']}" for e in errors[:3] if e.get("loc"))
    return CommandError("configuration", where or first_line(exc), "check the XXGK_* variables (see .env.example)")


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
