"""Human-readable output of the command line (rich); no logic beyond laying results out."""

from __future__ import annotations

import json

from rich.console import Console
from rich.table import Table

from form.record import Report
from form.result_words import AGGREGATION_TITLE


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


def print_ingest(summary, console: Console | None = None) -> None:
    """States per file, the worst agencies, and where the results are."""
    from flows.settings import get_settings

    console = console or Console()
    table = Table(title=f"ingest: {len(summary.files)} files")
    table.add_column("state")
    table.add_column("files", justify="right")
    for state, n in sorted(summary.counts.items()):
        table.add_row(state, str(n))
    console.print(table)
    worst = summary.worst_agencies(10)
    if worst:
        w = Table(title="agencies with the most hard findings")
        w.add_column("agency")
        w.add_column("hard findings", justify="right")
        for agency, n in worst:
            w.add_row(agency, str(n))
        console.print(w)
    for f in summary.files:
        if f.state in ("quarantined", "failed"):
            console.print(f"[red]{f.state}[/]: {f.source.path}: {f.reason}")
        elif f.state == "review":  # a scan waiting for a person: which cells, in the agency's words
            console.print(f"[yellow]review[/]: {f.source.path}: {f.reason}")
    if summary.rechecked:
        console.print(f"re-checked {summary.rechecked} later-year submissions whose previous year changed")
    settings = get_settings()
    where = f"SMTP {settings.smtp_host}" if settings.smtp_host else str(settings.resolved_outbox_dir)
    console.print(f"quality reports for agencies: {summary.mails_queued} queued, {summary.mails_sent} sent ({where})")
    if summary.mails_waiting:
        console.print(
            f"  {summary.mails_waiting} still waiting in the outbox: `xxgk notify` sends them "
            f"(or the notify deployment; XXGK_MAIL_SEND_SECONDS={settings.mail_send_seconds:g} per ingest)"
        )
    console.print(f"warehouse: {settings.resolved_warehouse_url}\narchive: {settings.resolved_archive_url}")


def print_backfill(summary, console: Console | None = None) -> None:
    console = console or Console()
    if summary.dry_run:
        console.print(
            f"dry run: {summary.targets} archived submissions in scope, {len(summary.changed)} would change"
        )
        if summary.changed:
            table = Table()
            for col in ("file", "agency", "year", "state", "cells changed", "findings added", "findings removed"):
                table.add_column(col, overflow="fold")
            for c in summary.changed[:100]:
                table.add_row(
                    c.path.rsplit("/", 1)[-1], c.agency or "", str(c.year or ""),
                    f"{c.state_before} → {c.state_after}", str(c.cells_changed),
                    ", ".join(c.findings_added), ", ".join(c.findings_removed),
                )
            console.print(table)
        return
    counts = ", ".join(f"{n} {k}" for k, n in sorted(summary.counts.items())) or "nothing"
    console.print(f"backfill: {summary.targets} archived submissions reloaded ({counts})")
    if summary.rechecked:
        console.print(f"re-checked {summary.rechecked} later-year submissions (carryover cascade)")
    for f in summary.failed:
        console.print(f"[red]failed[/]: {f.source.path}: {f.reason}")


#: the headline figures of an aggregation table (cell ids; labels come from the catalogue)
HEADLINE_CELLS = ("t3.new.total", "t3.processed_total.total", "t3.carried_out.total", "t4.review.total")


def aggregation_rows(result) -> list[tuple[str, ...]]:
    """One row per scope (province, unassigned, cities, levels): completeness, pass rate, totals."""
    rows = []
    for kind in ("province", "unassigned", "city", "level"):
        for s in result.scopes(kind):
            totals = result.totals(s.scope_type, s.scope_code)
            rows.append(
                (
                    kind,
                    s.scope_name or s.scope_code,
                    f"{s.expected_submitted}/{s.expected}",
                    "" if s.completeness is None else f"{s.completeness:.0%}",
                    str(s.late),
                    "" if s.pass_rate is None else f"{s.pass_rate:.0%}",
                    *(str(totals.get(c, 0)) for c in HEADLINE_CELLS),
                )
            )
    return rows


def aggregation_header() -> tuple[str, ...]:
    return ("scope", "name", "submitted/expected", "complete", "late", "pass", *HEADLINE_CELLS)


#: the terminal's short headers for HEADLINE_CELLS (the markdown artifact keeps the cell ids)
SHORT_HEADERS = ("new", "done", "carried", "review")


def print_aggregation(result, console: Console | None = None) -> None:
    """The aggregation as a table that fits 80 columns: names never broken, numbers right-aligned,
    the headline cells under short headers (named in a line below the table)."""
    from rich import box

    console = console or Console()
    table = Table(
        title=f"{AGGREGATION_TITLE.format(year=result.year)}: {result.reports} reports",
        box=box.SIMPLE_HEAD,
        padding=(0, 1, 0, 0),
        pad_edge=False,
        show_edge=False,
    )
    headers = ("scope", "name", "rep.", "compl.", "late", "pass", *SHORT_HEADERS)
    for i, col in enumerate(headers):
        table.add_column(col, no_wrap=True, justify="left" if i < 2 else "right")
    for row in aggregation_rows(result):
        table.add_row(*row)
    console.print(table)
    named = zip(("rep.", *SHORT_HEADERS), ("reported/expected", *HEADLINE_CELLS), strict=True)
    console.print(", ".join(f"{h} = {c}" for h, c in named), style="dim")
    if result.consolidation:
        differing = len({f.agency_id for f in result.consolidation})
        console.print(
            f"consolidated reports differing from their members: {differing} "
            f"({len(result.consolidation)} cells; see the workbook)"
        )
    for a in result.worst:
        console.print(f"worst: {a.agency_name or a.agency_id} ({a.agency_id}): {a.hard_findings} hard findings")


def json_line(value: object) -> str:
    """One line of `--json` output: UTF-8 text whatever a file name holds.

    A name that is not UTF-8 reaches Python with its bad bytes as lone surrogates, which would be
    written out as invalid UTF-8; such a line is written with ASCII escapes instead.
    """
    text = json.dumps(value, ensure_ascii=False)
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return json.dumps(value, ensure_ascii=True)
    return text
