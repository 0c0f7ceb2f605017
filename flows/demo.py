"""`make demo`: a generated province, ingested into the default SQLite warehouse and aggregated.

Everything goes under XXGK_HOME (default ./xxgk-data): the province's files and registry, the
raw archive, the warehouse. Running it again re-generates the same bytes, so the second ingest
finds every file unchanged.
"""

from __future__ import annotations

import sys
from pathlib import Path

from flows.commands.running import quiet_prefect

DEMO_AGENCIES = 150
DEMO_YEARS = range(2019, 2025)
DEMO_SEED = 2026
ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "tests" / "fixtures" / "samples"


def main() -> int:
    quiet_prefect()
    from rich.console import Console

    from flows.aggregate import aggregate
    from flows.commands.parse import read_each
    from flows.commands.running import exit_code, run_flow
    from flows.ingest import ingest
    from flows.presenting import print_aggregation, print_ingest, print_reports
    from flows.settings import get_settings
    from synth.province import generate

    console = Console()
    settings = get_settings()
    home = settings.home.resolve()

    console.rule("1. real published reports, read by the parser")
    samples = [p for p in sorted(SAMPLES.iterdir()) if p.suffix in (".html", ".pdf", ".txt")]
    print_reports([r for _, r, _ in read_each(samples) if r], console)

    province = home / "demo-province"
    console.rule(f"2. a generated province: {DEMO_AGENCIES} agencies, {DEMO_YEARS[0]}–{DEMO_YEARS[-1]}")
    made = generate(province, DEMO_AGENCIES, DEMO_YEARS, ("docx", "html", "txt"), 0.1, seed=DEMO_SEED)
    console.print(
        f"{made.reports} report files ({made.faulty} with injected faults, {made.corrections} corrections, "
        f"{made.missing} agency-years never submitted) in {province / 'reports'}"
    )

    console.rule("3. ingest: archive, read, check (Great Expectations), load (Prefect flow)")
    summary = run_flow(
        "ingesting…", ingest, inbox=[str(province / "reports")], registry=str(province / "registry.csv")
    )
    print_ingest(summary, console)

    year = DEMO_YEARS[-1]
    console.rule(f"4. the provincial aggregation of {year}")
    print_aggregation(run_flow("aggregating…", aggregate, year=year), console)

    console.rule("where everything is")
    console.print(
        f"warehouse   {settings.resolved_warehouse_url}  (views v_applications, v_refusal_grounds, "
        "v_litigation_outcomes, v_submission_status)\n"
        f"archive     {settings.resolved_archive_url}\n"
        f"outbox      {settings.resolved_outbox_dir.resolve()}  (quality reports to agencies, .eml)\n"
        f"province    {province}  (reports/, truth/, faults.csv, registry.csv)\n"
        "next        .venv/bin/xxgk check FILE · xxgk backfill --years 2023 --dry-run · xxgk aggregate --year 2023"
    )
    code = exit_code(summary.counts)
    # rejected files are the injected faults doing their job; only unreadable or failed ones are errors
    return 0 if code <= 1 else code


if __name__ == "__main__":
    sys.exit(main())
