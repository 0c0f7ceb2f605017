"""`xxgk parse FILE... [--json]`: read reports into the cell vocabulary, nothing else."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Iterator
from pathlib import Path

from connectors.reading import read_file
from flows.presenting import json_line
from flows.settings import get_settings
from form.record import Report

EXIT_UNREADABLE = 2


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("parse", help="read report files and print their cells")
    p.add_argument("files", nargs="+", type=Path, metavar="FILE", help="report files or folders")
    p.add_argument("--json", action="store_true", help="one JSON object per file per line")
    p.set_defaults(handler=run)


def expand(paths: list[Path]) -> Iterator[Path]:
    """Files as given; folders as their files, in name order."""
    for path in paths:
        if path.is_dir():
            yield from sorted(p for p in path.rglob("*") if p.is_file() and not p.name.startswith("."))
        else:
            yield path


def read_each(paths: list[Path]) -> Iterator[tuple[Path, Report | None, str | None]]:
    """(path, report, None) or (path, None, reason) for every file; one bad file stops nothing."""
    debug = bool(os.environ.get("XXGK_DEBUG"))
    limits = get_settings().limits()
    for path in expand(paths):
        reading = read_file(path, reraise=debug, limits=limits)
        yield path, reading.report, reading.reason


def run(args: argparse.Namespace) -> int:
    failed = 0
    reports: list[Report] = []
    for path, report, reason in read_each(args.files):
        if report is None:
            failed += 1
            print(f"xxgk: {path}: {reason}", file=sys.stderr)
            continue
        if args.json:
            print(json_line(report.as_json_dict()), flush=True)
        else:
            reports.append(report)
    if not args.json:
        from flows.presenting import print_reports

        print_reports(reports)
    return EXIT_UNREADABLE if failed else 0
