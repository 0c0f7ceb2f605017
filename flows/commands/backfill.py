"""`xxgk backfill [--years 2019-2023] [--agency ID]... [--region CODE]... [--dry-run]`."""

from __future__ import annotations

import argparse

from flows.commands.preflight import ready_for_flows
from flows.commands.running import run_flow, shows_progress
from flows.errors import EXIT_FAILED, EXIT_OK
from flows.presenting import json_line
from flows.settings import get_settings


def years_arg(text: str) -> list[int]:
    """'2019-2023', '2021' or '2019,2021' as a list of years."""
    out: list[int] = []
    for part in text.split(","):
        first, _, last = part.strip().partition("-")
        start, stop = int(first), int(last or first)
        if stop < start:
            raise argparse.ArgumentTypeError(f"years {part!r} run backwards")
        out.extend(range(start, stop + 1))
    return out


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("backfill", help="re-read archived reports with the current parser, re-check, reload")
    p.add_argument("--years", type=years_arg, default=None, metavar="Y1-Y2", help="report years (default: all)")
    p.add_argument("--agency", action="append", default=None, metavar="ID", help="agency id (repeatable)")
    p.add_argument("--region", action="append", default=None, metavar="CODE", help="region code and below (repeatable)")
    p.add_argument("--dry-run", action="store_true", help="say what would change, write nothing")
    p.add_argument("--chunk-size", type=int, default=None)
    p.add_argument("--json", action="store_true", help="the summary as JSON")
    p.add_argument("--verbose", action="store_true", help="show Prefect's logs")
    p.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    ready_for_flows(get_settings())
    from flows.backfill import backfill
    from flows.presenting import print_backfill

    summary = run_flow(
        backfill,
        shows_progress(args.json),
        years=args.years,
        agencies=args.agency,
        regions=args.region,
        dry_run=args.dry_run,
        chunk_size=args.chunk_size,
    )
    if args.json:
        print(json_line(summary.model_dump(mode="json")))
    else:
        print_backfill(summary)
    return EXIT_FAILED if summary.failed else EXIT_OK
