"""`xxgk aggregate --year Y`: the provincial aggregation of one report year."""

from __future__ import annotations

import argparse

from flows.commands.running import EXIT_OK, quiet_prefect, run_flow


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("aggregate", help="sum every cell by region and level; completeness, lateness, pass rates")
    p.add_argument("--year", type=int, default=None, help="report year (default: last year)")
    p.add_argument("--verbose", action="store_true", help="show Prefect's logs")
    p.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    quiet_prefect(args.verbose)
    from flows.aggregate import aggregate
    from flows.presenting import print_aggregation

    result = run_flow("aggregating…", aggregate, year=args.year)
    print_aggregation(result)
    return EXIT_OK
