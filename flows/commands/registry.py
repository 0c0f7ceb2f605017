"""`xxgk registry load FILE | map ALIAS --agency ID | list-unregistered`: the agency registry.

`load` merges a registry CSV (columns in warehouse/registry_file.py) into the type-2 agency dimension;
`list-unregistered` shows the provisional agencies reports loaded under (unmatched or ambiguous
names) with the registry's suggestion; `map` ties such a name, or a provisional id, to a
registered agency and moves what loaded under it.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from flows.commands.preflight import registry_error
from flows.commands.warehouse import EXIT_REFUSED
from flows.errors import shown_url
from flows.settings import get_settings
from warehouse import migrate
from warehouse.engine import engine_scope
from warehouse.registry import list_unregistered, load_registry, map_alias
from warehouse.registry_file import RegistryError


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("registry", help="load the agency registry and map unregistered names")
    actions = p.add_subparsers(dest="action", required=True, metavar="ACTION")
    load = actions.add_parser("load", help="merge a registry CSV (agencies, renames, merges)")
    load.add_argument("file", type=Path, metavar="FILE")
    load.add_argument(
        "--as-of",
        type=int,
        default=None,
        metavar="YEAR",
        help="first year of changes in an undated (snapshot) file",
    )
    load.set_defaults(handler=run_load)
    mapping = actions.add_parser("map", help="tie a printed name (or provisional id) to a registered agency")
    mapping.add_argument("alias", metavar="ALIAS")
    mapping.add_argument("--agency", required=True, metavar="ID")
    mapping.set_defaults(handler=run_map)
    actions.add_parser(
        "list-unregistered", help="provisional agencies waiting for `registry map`"
    ).set_defaults(handler=run_list)


def _ready_url() -> str | None:
    url = get_settings().resolved_warehouse_url
    at = migrate.current(url)
    if at != migrate.head():
        print(
            f"xxgk: warehouse {shown_url(url)} is at {at or 'no schema'}: run `xxgk warehouse upgrade` first",
            file=sys.stderr,
        )
        return None
    return url


def _refused(exc: RegistryError) -> int:
    for problem in exc.problems:
        print(f"xxgk: {problem}", file=sys.stderr)
    return EXIT_REFUSED


def run_load(args: argparse.Namespace) -> int:
    url = _ready_url()
    if url is None:
        return EXIT_REFUSED
    try:
        with engine_scope(url) as engine:
            result = load_registry(engine, args.file, args.as_of)
    except RegistryError as exc:
        return _refused(exc)
    except (OSError, UnicodeDecodeError) as exc:
        raise registry_error(args.file, exc) from exc
    for warning in result.warnings:
        print(f"xxgk: warning: {warning}", file=sys.stderr)
    print(
        f"{args.file}: {result.agencies} agencies, {result.regions} regions; versions "
        f"{result.inserted} new, {result.updated} changed, {result.deleted} removed, {result.unchanged} unchanged"
    )
    for agency_id, name, suggestion in result.now_matching:
        print(
            f"  {agency_id} 「{name}」 now matches {suggestion}: xxgk registry map {agency_id} --agency {suggestion}"
        )
    return 0


def run_map(args: argparse.Namespace) -> int:
    url = _ready_url()
    if url is None:
        return EXIT_REFUSED
    try:
        with engine_scope(url) as engine:
            done = map_alias(engine, args.alias, args.agency)
    except RegistryError as exc:
        return _refused(exc)
    moved = (
        f"; moved {done.submissions_moved} submission(s) from {done.provisional_id}"
        if done.provisional_id
        else ""
    )
    print(f"「{done.alias}」 → {done.agency_id}{moved}")
    return 0


def run_list(args: argparse.Namespace) -> int:
    url = _ready_url()
    if url is None:
        return EXIT_REFUSED
    with engine_scope(url) as engine:
        waiting = list_unregistered(engine)
    if not waiting:
        print("no unregistered agencies")
        return 0
    print("provisional id\tprinted name\tyears\tsubmissions\tcandidates\tsuggestion")
    for p in waiting:
        years = ",".join(map(str, p.years))
        print(
            f"{p.agency_id}\t{p.name}\t{years}\t{p.submissions}\t{','.join(p.candidates) or '-'}\t{p.suggestion or '-'}"
        )
    return 0
