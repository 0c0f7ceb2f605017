"""The `xxgk` command line: one front door, each command in its own module under flows/commands.

Every error ends here, in one handler: `xxgk: <what failed>: <why>`, a hint, and a documented
exit code (flows/errors.py). `--debug` or XXGK_DEBUG=1 prints the traceback as well.
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys
import traceback
from pathlib import Path

from flows.errors import (
    DEBUG_HINT,
    EXIT_CODES,
    EXIT_INTERNAL,
    EXIT_INTERRUPTED,
    CommandError,
    ErrorContext,
    explain,
)
from form.layout import REPORT_NAME

COMMANDS = (
    "parse", "check", "rules", "ingest", "backfill", "aggregate", "notify", "serve", "synth", "warehouse", "registry",
)
DEBUG_VARIABLE = "XXGK_DEBUG"


def _epilog() -> str:
    codes = "\n".join(f"  {code:>3}  {meaning}" for code, meaning in EXIT_CODES)
    return f"exit codes:\n{codes}\n\nan error prints `xxgk: <what failed>: <why>` and a hint; --debug adds the traceback"


def _command(name: str):
    """A command's module; one that fails to import is an error, never a missing command."""
    try:
        return importlib.import_module(f"flows.commands.{name}")
    except Exception as exc:
        raise CommandError(
            f"command '{name}'",
            f"could not be loaded ({type(exc).__name__}: {exc})",
            f"xxgk's installation is broken: reinstall it; {DEBUG_HINT}",
            EXIT_INTERNAL,
        ) from exc


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="xxgk",
        description=f"Read, check and load {REPORT_NAME} (government information disclosure annual reports).",
        epilog=_epilog(),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--debug", action="store_true", help=f"print the traceback of an error (or {DEBUG_VARIABLE}=1)")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for name in COMMANDS:
        _command(name).register(sub)
    for command in sub.choices.values():  # `xxgk ingest --debug …` as well as `xxgk --debug ingest …`
        command.add_argument("--debug", action="store_true", default=argparse.SUPPRESS, help=argparse.SUPPRESS)
    return parser


def debugging(argv: list[str] | None) -> bool:
    """XXGK_DEBUG set, or --debug anywhere on the command line (known before parsing succeeds)."""
    return os.environ.get(DEBUG_VARIABLE, "").lower() not in ("", "0", "false", "no") or "--debug" in (
        sys.argv[1:] if argv is None else argv
    )


def _context() -> ErrorContext:
    """The configured warehouse and home, to name them in a message (if the settings load at all)."""
    try:
        from flows.settings import get_settings

        settings = get_settings()
        folders = {
            "archive": settings.resolved_archive_url,
            "spool": settings.resolved_spool_url,
            "outbox": str(settings.resolved_outbox_dir),
        }
        local = {name: Path(url).resolve() for name, url in folders.items() if "://" not in url}
        return ErrorContext(settings.resolved_warehouse_url, settings.home, local)
    except Exception:
        return ErrorContext()


def report(exc: BaseException, debug: bool) -> int:
    """Say what failed, in one line and a hint (and the traceback when debugging); the exit code."""
    if debug:
        traceback.print_exception(exc, file=sys.stderr)
    error = explain(exc, _context())
    print(error.line, file=sys.stderr)
    if error.hint:
        print(f"xxgk: hint: {error.hint}", file=sys.stderr)
    return error.code


def main(argv: list[str] | None = None) -> int:
    debug = debugging(argv)
    try:
        args = build_parser().parse_args(argv)
        from flows import prefect_env

        prefect_env.configure(verbose=getattr(args, "verbose", False))
        return int(args.handler(args) or 0)
    except KeyboardInterrupt:
        print("xxgk: interrupted", file=sys.stderr)
        return EXIT_INTERRUPTED
    except BrokenPipeError:
        # the reader went away (`xxgk … | head`): stop quietly, without a second error at exit
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    except Exception as exc:
        return report(exc, debug)


if __name__ == "__main__":
    sys.exit(main())
