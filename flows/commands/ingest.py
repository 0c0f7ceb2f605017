"""`xxgk ingest PATH... [--registry FILE] [--json]`: archive, read, check and load submissions."""

from __future__ import annotations

import argparse
import os

from flows.commands.preflight import existing_inputs, readable_registry, ready_for_flows
from flows.commands.running import exit_code, run_flow, shows_progress
from flows.presenting import json_line
from flows.settings import get_settings


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("ingest", help="archive, read, check and load report files into the warehouse")
    p.add_argument("paths", nargs="+", metavar="PATH", help="files, folders or fsspec URLs")
    p.add_argument("--registry", metavar="FILE", help="registry CSV to load first")
    p.add_argument("--chunk-size", type=int, default=None, help="reports per chunk")
    p.add_argument("--json", action="store_true", help="one JSON line per file")
    p.add_argument("--verbose", action="store_true", help="show Prefect's logs")
    p.set_defaults(handler=run)


def more_files_than(paths: list[str], count: int) -> bool:
    """Whether the local folders and files given hold more than `count` files (counted until
    then); False for URLs, which are listed by the flow."""
    seen = 0
    for path in paths:
        if "://" in path:
            continue
        if not os.path.isdir(path):
            seen += 1
        else:
            for _folder, _subfolders, names in os.walk(path):
                seen += len(names)
                if seen > count:
                    break
        if seen > count:
            return True
    return False


def run(args: argparse.Namespace) -> int:
    existing_inputs(args.paths)
    ready_for_flows(get_settings())
    if args.registry:
        readable_registry(args.registry)
    from flows.presenting import print_ingest

    chunk = args.chunk_size or get_settings().chunk_size
    summary = run_flow(
        "flows.ingest:ingest",
        shows_progress(args.json),
        workers_ahead=more_files_than(args.paths, chunk),  # one chunk is read in this process
        inbox=list(args.paths),
        registry=args.registry,
        chunk_size=args.chunk_size,
    )
    if args.json:
        for outcome in summary.files:
            print(json_line(outcome.json_line()))
    else:
        print_ingest(summary)
    return exit_code(summary.counts)
