"""`xxgk aggregate --year Y [--region CODE] [--out DIR]`: the provincial aggregation of one report year,
and the region's documents (汇总 report, workbook, charts, dashboard)."""

from __future__ import annotations

import argparse
import re
from pathlib import Path

from flows.commands.preflight import ready_for_flows
from flows.commands.running import run_flow, shows_progress
from flows.errors import EXIT_OK, EXIT_UNREADABLE, CommandError, require_writable
from flows.settings import get_settings


def _region(text: str) -> str:
    if not re.fullmatch(r"\d{6}", text):
        raise argparse.ArgumentTypeError(f"{text!r} is not a 6-digit region code")
    return text


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "aggregate",
        help="sum every cell by region and level; completeness, lateness, pass rates; the region's documents",
    )
    p.add_argument("--year", type=int, default=None, help="report year (default: last year)")
    p.add_argument(
        "--region", type=_region, default=None, help="6-digit region code of the documents (default: the province)"
    )
    p.add_argument("--out", default=None, metavar="DIR", help="folder for the documents (default XXGK_HOME/outputs/<year>)")
    p.add_argument("--verbose", action="store_true", help="show Prefect's logs")
    p.set_defaults(handler=run)


def _documents_possible(url: str, region: str | None, out: str | None) -> None:
    """The region is one the registry names and the output folder is writable, before Prefect starts."""
    if out is not None:
        require_writable(Path(out), "--out")
    if region is None:
        return
    from outputs.data import region_known
    from warehouse.engine import engine_scope

    with engine_scope(url) as engine:
        if not region_known(engine, region):
            raise CommandError(
                f"--region {region}",
                "the registry names no province, city or county with this code",
                "give a region code from the registry (xxgk registry load FILE loads one)",
                EXIT_UNREADABLE,
            )


def run(args: argparse.Namespace) -> int:
    url = ready_for_flows(get_settings())
    _documents_possible(url, args.region, args.out)
    from flows.aggregate import aggregate
    from flows.presenting import print_aggregation

    result = run_flow(aggregate, shows_progress(), year=args.year, region=args.region, out=args.out)
    print_aggregation(result)
    for path in result.documents:
        print(path)
    for note in result.notes:
        print(f"xxgk: {note}")
    return EXIT_OK
