"""Human-readable output of the command line (rich); no logic beyond laying results out."""

from __future__ import annotations

from rich.console import Console
from rich.table import Table

from form.record import Report


def print_reports(reports: list[Report], console: Console | None = None) -> None:
    console = console or Console()
    if not reports:
        return
    table = Table(title="Reports read", show_lines=False)
    for col in ("file", "agency", "year", "version", "published", "cells", "blank", "problems"):
        table.add_column(col, overflow="fold")
    for r in reports:
        blank = sum(1 for v in r.cells.values() if v is None)
        table.add_row(
            r.source.path.rsplit("/", 1)[-1],
            r.agency or "?",
            str(r.year or "?"),
            r.version or "?",
            str(r.published or "—"),
            str(len(r.cells)),
            str(blank),
            str(len(r.problems)) if r.problems else "0",
        )
    console.print(table)
    for r in reports:
        for p in r.problems:
            where = p.cell or "report"
            raw = f" (printed: {p.raw!r})" if p.raw is not None else ""
            console.print(f"[yellow]{r.source.path}[/]: {where}: {p.reason}{raw}")
