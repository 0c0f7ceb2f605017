"""Prefect artifacts: what each run did, shown in the Prefect UI beside the run."""

from __future__ import annotations

from prefect.artifacts import create_markdown_artifact, create_table_artifact

from flows.records import BackfillSummary, IngestSummary
from form.result_words import AGGREGATION_TITLE


def _table(rows: list[tuple], header: tuple[str, ...]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(str(c) for c in row) + " |" for row in rows]
    return "\n".join(lines)


def publish_ingest(summary: IngestSummary) -> None:
    counts = _table(sorted(summary.counts.items()), ("state", "files"))
    worst = summary.worst_agencies()
    worst_md = _table(worst, ("agency", "hard findings")) if worst else "No hard findings."
    create_markdown_artifact(
        key="ingest-summary",
        markdown=f"# Ingest {summary.run_id}\n\n{len(summary.files)} files.\n\n{counts}\n\n"
        f"Re-checked for carryover: {summary.rechecked}; quality reports queued: {summary.mails_queued}\n\n## Worst agencies\n\n{worst_md}\n",
        description="files per state and the agencies with the most hard findings",
    )
    problems = [f for f in summary.files if f.state in ("quarantined", "failed")]
    if problems:
        create_table_artifact(
            key="ingest-unreadable",
            table=[{"file": f.source.path, "state": f.state, "reason": f.reason or ""} for f in problems[:500]],
            description="files that could not be read or loaded (first 500)",
        )


def publish_backfill(summary: BackfillSummary) -> None:
    if summary.dry_run:
        rows = [
            (c.path, c.agency or "", c.year or "", f"{c.state_before}→{c.state_after}", c.cells_changed,
             ", ".join(c.findings_added), ", ".join(c.findings_removed))
            for c in summary.changed[:200]
        ]
        body = _table(rows, ("file", "agency", "year", "state", "cells changed", "findings added", "findings removed"))
        text = f"# Backfill dry run\n\n{summary.targets} submissions in scope, {len(summary.changed)} would change.\n\n{body}\n"
    else:
        counts = _table(sorted(summary.counts.items()), ("outcome", "submissions"))
        text = (
            f"# Backfill {summary.run_id}\n\n{summary.targets} submissions reloaded.\n\n{counts}\n\n"
            f"Re-checked for carryover: {summary.rechecked}; failed: {len(summary.failed)}\n"
        )
    create_markdown_artifact(key="backfill-summary", markdown=text, description="what the backfill changed")


def publish_aggregation(result) -> None:
    from flows.presenting import aggregation_header, aggregation_rows

    worst = "\n".join(f"- {a.agency_name or a.agency_id}: {a.hard_findings} hard findings" for a in result.worst)
    create_markdown_artifact(
        key="aggregation",
        markdown=f"# {AGGREGATION_TITLE.format(year=result.year)}\n\n{result.reports} reports.\n\n"
        f"{_table(aggregation_rows(result), aggregation_header())}\n\n## Worst agencies\n\n{worst or 'none'}\n",
        description="provincial aggregation: totals, completeness, lateness, pass rates",
    )


def publish_documents(written, notes: list[str]) -> None:
    """The aggregation's documents as link artifacts (by path: the files stay where they were written)."""
    from prefect.artifacts import create_link_artifact

    for i, w in enumerate(written):
        create_link_artifact(
            key=f"aggregation-{w.kind}-{i}",
            link=w.path.resolve().as_uri(),
            link_text=w.path.name,
            description=f"aggregation document ({w.kind}): {w.path}",
        )
    if notes:
        create_markdown_artifact(
            key="aggregation-notes", markdown="\n".join(f"- {n}" for n in notes), description="documents not written"
        )
