"""`make demo`: generate a small province, read every report back, and print what was read.

Until the ingest pipeline lands this shows the reading half: the real sample reports, then a
generated province whose files are compared with their truth files.
"""

from __future__ import annotations

import json
import sys
from collections import Counter
from pathlib import Path

from rich.console import Console
from rich.table import Table

from flows.commands.parse import read_each
from flows.presenting import print_reports
from flows.settings import get_settings
from synth.province import generate

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "tests" / "fixtures" / "samples"
SEEDS = ROOT / "tests" / "fixtures" / "seeds"
DEMO_AGENCIES = 60
DEMO_YEARS = range(2019, 2025)


def _province_table(out: Path, console: Console) -> int:
    reports = sorted((out / "reports").iterdir())
    by_format: Counter[str] = Counter()
    agree = disagree = unreadable = 0
    for path, report, reason in read_each(reports):
        by_format[path.suffix.lstrip(".")] += 1
        if report is None:
            unreadable += 1
            console.print(f"[red]xxgk: {path}: {reason}[/]")
            continue
        truth = json.loads((out / "truth" / f"{path.name}.json").read_text(encoding="utf-8"))
        if report.cells == truth["cells"] and report.agency == truth["agency"]:
            agree += 1
        else:
            disagree += 1
    table = Table(title=f"generated province: {len(reports)} reports")
    for col in ("formats", "read as printed", "differ from truth", "unreadable"):
        table.add_column(col)
    formats = ", ".join(f"{n} {k}" for k, n in sorted(by_format.items()))
    table.add_row(formats, str(agree), str(disagree), str(unreadable))
    console.print(table)
    return disagree + unreadable


def main() -> int:
    console = Console()
    console.rule("xxgk demo: real published reports")
    inputs = [p for p in sorted(SAMPLES.iterdir()) if p.suffix in (".html", ".pdf", ".txt")]
    inputs += sorted(SEEDS.iterdir())
    results = list(read_each(inputs))
    print_reports([r for _, r, _ in results if r], console)
    failures = sum(1 for _, r, _ in results if r is None)

    out = get_settings().home / "demo-province"
    console.rule(f"a generated province ({DEMO_AGENCIES} agencies, {DEMO_YEARS[0]}–{DEMO_YEARS[-1]})")
    summary = generate(out, DEMO_AGENCIES, DEMO_YEARS, ("docx", "html", "txt"), 0.1, seed=2026)
    console.print(
        f"wrote {summary.reports} reports ({summary.faulty} with injected faults, "
        f"{summary.corrections} corrections, {summary.missing} never submitted) to {out}"
    )
    failures += _province_table(out, console)
    console.print(
        f"[green]done[/]: files in {out}/reports, their truth in {out}/truth, faults in {out}/faults.csv; "
        "read any file with `.venv/bin/xxgk parse --json FILE`"
    )
    return 0 if failures == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
