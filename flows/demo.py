"""`make demo`: read the real sample reports (and a generated province, when the generator is
installed) and print what was read. The full pipeline replaces this as it lands."""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from rich.console import Console

from flows.commands.parse import read_each
from flows.presenting import print_reports

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "tests" / "fixtures" / "samples"
SEEDS = ROOT / "tests" / "fixtures" / "seeds"


def _province(out: Path) -> list[Path]:
    try:
        from synth.province import generate
    except ImportError:
        return []
    generate(out, agencies=12, years=range(2019, 2025), formats=("docx", "html", "txt"), fault_rate=0.1, seed=1)
    return [out / "reports"]


def main() -> int:
    console = Console()
    inputs = [p for p in sorted(SAMPLES.iterdir()) if p.suffix in (".html", ".pdf", ".txt")]
    inputs += sorted(SEEDS.iterdir())
    console.rule("xxgk demo: the real published reports")
    reports, unreadable = [], []
    for path, report, reason in read_each(inputs):
        (reports.append(report) if report else unreadable.append((path, reason)))
    print_reports(reports, console)
    with tempfile.TemporaryDirectory(prefix="xxgk-demo-") as tmp:
        generated = _province(Path(tmp))
        if generated:
            console.rule("a generated province")
            many = [r for _, r, _ in read_each(generated) if r]
            bad = sum(1 for _, r, _ in read_each(generated) if r is None)
            with_problems = sum(1 for r in many if r.problems)
            console.print(
                f"read {len(many)} generated reports ({bad} unreadable); "
                f"{with_problems} carry reading problems (injected faults such as text in a number cell)"
            )
    for path, reason in unreadable:
        console.print(f"[red]xxgk: {path}: {reason}[/]")
    console.print(f"[green]done[/]: {len(reports)} real reports read; try `.venv/bin/xxgk parse --json FILE`")
    return 0 if not unreadable else 2


if __name__ == "__main__":
    sys.exit(main())
