"""What a command checks before it starts Prefect: folders it writes, the warehouse, the registry.

Each check takes a second at most, where the same failure inside a flow would come after
Prefect's start and the task's retries; each says what failed as a `CommandError`.
"""

from __future__ import annotations

from pathlib import Path

from flows.errors import EXIT_UNREADABLE, CommandError, first_line, require_writable
from flows.settings import Settings

REGISTRY_HINT = "the registry is a UTF-8 CSV file with the columns warehouse/README.md lists"


def writable_home(settings: Settings) -> Path | None:
    """XXGK_HOME, created if missing and proven writable, when a default keeps anything in it."""
    if settings.warehouse_url and settings.archive_url and settings.outbox_dir:
        return None
    home = settings.home.resolve()
    require_writable(home, "XXGK_HOME")
    return home


def reachable_warehouse(url: str) -> None:
    """Connect once; the handler says what failed (flows.errors)."""
    from warehouse.engine import engine_scope

    with engine_scope(url) as engine, engine.connect():
        pass


def ready_for_flows(settings: Settings) -> str:
    """XXGK_HOME writable and the warehouse answering, before Prefect starts; the warehouse URL."""
    writable_home(settings)
    url = settings.resolved_warehouse_url
    reachable_warehouse(url)
    return url


def existing_inputs(locations: list[str]) -> None:
    """Local files and folders named on the command line exist (URLs are the source's to check)."""
    for location in locations:
        if "://" not in location and not Path(location).exists():
            raise CommandError(location, "no such file or folder", "check the path", EXIT_UNREADABLE)


def registry_error(path: str | Path, exc: BaseException) -> CommandError:
    """A registry file that cannot be read or is refused: an input that cannot be read (exit 2)."""
    if isinstance(exc, UnicodeDecodeError):
        why = f"not UTF-8 text ({first_line(exc)})"
        hint = "save it as UTF-8 (in a spreadsheet: 'CSV UTF-8')"
    elif isinstance(exc, OSError):
        why = (exc.strerror or first_line(exc)).lower()
        hint = REGISTRY_HINT if isinstance(exc, IsADirectoryError) else "check the path and its permissions"
    else:
        problems = getattr(exc, "problems", None) or [first_line(exc)]
        why = "; ".join(problems[:3]) + (f" (and {len(problems) - 3} more)" if len(problems) > 3 else "")
        hint = REGISTRY_HINT
    return CommandError(f"registry {path}", why, hint, EXIT_UNREADABLE)


def readable_registry(path: str | Path) -> None:
    """Read and validate a registry CSV, so an ingest does not start on a file it will refuse."""
    from warehouse.registry import RegistryError, read_registry

    try:
        read_registry(path)
    except (OSError, UnicodeDecodeError, RegistryError) as exc:
        raise registry_error(path, exc) from exc
