"""`xxgk aggregate --year Y`: the provincial aggregation of one report year."""

from __future__ import annotations

import argparse

from flows.commands.preflight import ready_for_flows
from flows.commands.running import run_flow, shows_progress
from flows.errors import EXIT_OK
from flows.settings import get_settings


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("aggregate", help="sum every cell by region and level; completeness, lateness, pass rates")
    p.add_argument("--year", type=int, default=None, help="report year (default: last year)")
    p.add_argument("--verbose", action="store_true", help="show Prefect's logs")
    p.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    ready_for_flows(get_settings())
    from flows.aggregate import aggregate
    from flows.presenting import print_aggregation

    result = run_flow(aggregate, shows_progress(), year=args.year)
    print_aggregation(result)
    return EXIT_OK
