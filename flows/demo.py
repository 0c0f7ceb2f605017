"""`make demo`: a generated province, ingested into the default SQLite warehouse and aggregated.

Everything goes under XXGK_HOME (default ./xxgk-data): the province's files and registry, the
raw archive, the warehouse. Running it again re-generates the same bytes, so the second ingest
finds every file unchanged. The real reports of stage 1 ship with the package (flows/samples),
so `python -m flows.demo` works from an installed package as well as from a checkout.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from flows import prefect_env
from flows.errors import EXIT_INTERRUPTED, EXIT_OK, EXIT_REJECTED, EXIT_UNREADABLE

DEMO_AGENCIES = 150
DEMO_YEARS = range(2019, 2025)
DEMO_SEED = 2026
#: real published reports with their true values (the tests read them here too)
SAMPLES = Path(__file__).resolve().parent / "samples"


def sample_reports() -> list[Path]:
    return [p for p in sorted(SAMPLES.iterdir()) if p.suffix in (".html", ".pdf", ".txt")]


def _stages(text: str) -> tuple[int, ...]:
    try:
        chosen = tuple(sorted({int(s) for s in text.split(",") if s.strip()}))
    except ValueError:
        chosen = ()
    if not chosen or any(s not in STAGES for s in chosen):
        raise argparse.ArgumentTypeError(f"stages are some of {','.join(map(str, STAGES))}, e.g. 1 or 1,2")
    return chosen


def _where(console, settings, province: Path) -> None:
    console.rule("where everything is")
    console.print(
        f"warehouse   {settings.resolved_warehouse_url}  (views v_applications, v_refusal_grounds, "
        "v_litigation_outcomes, v_submission_status)\n"
        f"archive     {settings.resolved_archive_url}\n"
        f"outbox      {settings.resolved_outbox_dir.resolve()}  (quality reports to agencies, .eml)\n"
        f"province    {province}  (reports/, truth/, faults.csv, registry.csv)\n"
        "next        xxgk check FILE · xxgk rules · xxgk backfill --years 2023 --dry-run · xxgk aggregate --year 2023"
    )


@dataclass
class _Demo:
    console: Any
    settings: Any
    province: Path


def _read_samples(demo: _Demo) -> int:
    from flows.commands.parse import read_each
    from flows.presenting import print_reports

    demo.console.rule("1. real published reports, read by the parser")
    results = list(read_each(sample_reports()))
    print_reports([r for _, r, _ in results if r], demo.console)
    return EXIT_UNREADABLE if any(r is None for _, r, _ in results) else EXIT_OK


def _generate(demo: _Demo) -> int:
    from synth.province import generate

    demo.console.rule(f"2. a generated province: {DEMO_AGENCIES} agencies, {DEMO_YEARS[0]}–{DEMO_YEARS[-1]}")
    made = generate(
        demo.province, DEMO_AGENCIES, DEMO_YEARS, ("docx", "html", "txt"), 0.1, seed=DEMO_SEED, consolidated=2
    )
    demo.console.print(
        f"{made.reports} report files ({made.faulty} with injected faults, {made.corrections} corrections, "
        f"{made.missing} agency-years never submitted) in {demo.province / 'reports'}"
    )
    return EXIT_OK


def _ingest(demo: _Demo) -> int:
    from flows.commands.running import exit_code, run_flow, shows_progress
    from flows.ingest import ingest
    from flows.presenting import print_ingest

    demo.console.rule("3. ingest: archive, read, check (Great Expectations), load (Prefect flow)")
    summary = run_flow(
        ingest,
        shows_progress(),
        inbox=[str(demo.province / "reports")],
        registry=str(demo.province / "registry.csv"),
    )
    print_ingest(summary, demo.console)
    code = exit_code(summary.counts)
    # rejected files are the injected faults doing their job; only unreadable or failed ones are errors
    return code if code > EXIT_REJECTED else EXIT_OK


def _aggregate(demo: _Demo) -> int:
    from flows.aggregate import aggregate
    from flows.commands.running import run_flow, shows_progress
    from flows.presenting import print_aggregation

    year = DEMO_YEARS[-1]
    demo.console.rule(f"4. the provincial aggregation of {year}")
    result = run_flow(aggregate, shows_progress(), year=year)
    print_aggregation(result, demo.console)
    for path in result.documents:
        demo.console.print(path, soft_wrap=True, highlight=False)
    return EXIT_OK


#: the demo's stages, in order
STAGES: dict[int, Callable[[_Demo], int]] = {1: _read_samples, 2: _generate, 3: _ingest, 4: _aggregate}


def run(stages: tuple[int, ...] = tuple(STAGES)) -> int:
    """The chosen stages in order; the highest exit code among them."""
    from rich.console import Console

    from flows.commands.preflight import ready_for_flows
    from flows.settings import get_settings

    settings = get_settings()
    demo = _Demo(Console(), settings, settings.home.resolve() / "demo-province")
    if any(s > 1 for s in stages):  # everything after stage 1 writes under XXGK_HOME
        ready_for_flows(settings)
    code = max(STAGES[s](demo) for s in stages)
    if any(s > 1 for s in stages):
        _where(demo.console, settings, demo.province)
    return code


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m flows.demo", description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--stages", type=_stages, default=tuple(STAGES), help="which stages to run, e.g. 1 (default: 1,2,3,4)"
    )
    parser.add_argument("--verbose", action="store_true", help="show Prefect's logs")
    parser.add_argument("--debug", action="store_true", help="print the traceback of an error")
    args = parser.parse_args(argv)
    prefect_env.configure(args.verbose)
    from flows.cli import debugging, report

    try:
        return run(args.stages)
    except KeyboardInterrupt:
        print("xxgk demo: interrupted", file=sys.stderr)
        return EXIT_INTERRUPTED
    except Exception as exc:
        return report(exc, args.debug or debugging([]))


if __name__ == "__main__":
    sys.exit(main())
