"""`xxgk synth`: write a synthetic province of reports with ground truth and injected faults."""

from __future__ import annotations

import argparse
import sys
import time
from functools import partial

from synth.layouts import FORMATS


def _years(text: str) -> range:
    from synth.province import parse_years

    try:
        return parse_years(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"years must read like 2019-2024 ({exc})") from None


def _formats(text: str) -> tuple[str, ...]:
    names = tuple(dict.fromkeys(f.strip().lower() for f in text.split(",") if f.strip()))
    unknown = [f for f in names if f not in FORMATS]
    if unknown or not names:
        raise argparse.ArgumentTypeError(
            f"unknown format {', '.join(unknown) or '(none)'}; choose from {','.join(FORMATS)}"
        )
    return names


def _rate(text: str) -> float:
    value = float(text)
    if not 0 <= value <= 1:
        raise argparse.ArgumentTypeError("fault rate must be between 0 and 1")
    return value


def _agencies(text: str) -> int:
    value = int(text)
    if value < 3:
        raise argparse.ArgumentTypeError("a province needs at least 3 agencies")
    return value


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "synth",
        help="generate a synthetic province: reports, truth, faults",
        description="Write DIR/registry.csv, DIR/reports/, DIR/truth/, DIR/faults.csv and DIR/manifest.csv. "
        "The same arguments and seed give byte-identical output.",
    )
    p.add_argument("--agencies", type=_agencies, default=200, help="agencies in the province (default 200)")
    p.add_argument("--years", type=_years, default=range(2019, 2025), help="report years, e.g. 2019-2024")
    p.add_argument("--formats", type=_formats, default=FORMATS, help="comma-separated: docx,html,txt")
    p.add_argument("--fault-rate", type=_rate, default=0.1, help="share of reports with a fault (default 0.1)")
    p.add_argument("--seed", type=int, default=0, help="random seed (default 0)")
    p.add_argument(
        "--consolidated",
        type=int,
        default=0,
        metavar="N",
        help="county governments whose report is their whole county's (compared with their members; default 0)",
    )
    p.add_argument("--out", required=True, metavar="DIR", help="output folder (empty, or an earlier corpus)")
    p.add_argument("--quiet", action="store_true", help="no progress bar")
    p.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    from synth.province import generate

    started = time.perf_counter()
    try:
        province = partial(
            generate, args.out, args.agencies, args.years, args.formats, args.fault_rate, args.seed,
            consolidated=args.consolidated,
        )
        if args.quiet or not sys.stderr.isatty():
            summary = province()
        else:
            from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

            with Progress(
                SpinnerColumn(), TextColumn("{task.completed} reports"), TimeElapsedColumn(), transient=True
            ) as bar:
                task = bar.add_task("synth", total=None)
                summary = province(progress=lambda: bar.advance(task))
    except (FileExistsError, ValueError) as exc:
        print(f"xxgk synth: {exc}", file=sys.stderr)
        return 2
    seconds = time.perf_counter() - started
    formats = ", ".join(f"{n} {f}" for f, n in summary.by_format.items())
    print(
        f"{summary.reports} reports ({formats}) from {summary.agencies} agencies in {seconds:.1f} s: "
        f"{summary.faulty} with faults, {summary.corrections} corrections, {summary.missing} never submitted"
    )
    print(f"written to {args.out}")
    return 0
