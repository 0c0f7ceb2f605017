"""The aggregation flow: the province's consolidated (汇总) figures for a year, after the deadline.

Scheduled on 1 February (departments' deadline passed) and 1 April (governments' deadline), and
run on demand; each run replaces the stored aggregation of that year.
"""

from __future__ import annotations

import uuid
from datetime import date

from prefect import flow, get_run_logger

from flows import progress
from flows.publishing import publish_aggregation, publish_documents
from flows.settings import get_settings
from flows.tasks import (
    aggregate_year,
    prepare_warehouse,
    queue_summary_mail,
    send_mail,
    write_office_documents,
)


def default_year(today: date | None = None) -> int:
    """The report year a run aggregates when none is given: the year before today's."""
    return (today or date.today()).year - 1


def default_out(year: int) -> str:
    """Where a year's documents go when no folder is given: XXGK_HOME/outputs/<year>/."""
    return str(get_settings().home / "outputs" / str(year))


@flow(name="aggregate", log_prints=False)
def aggregate(
    year: int | None = None,
    warehouse_url: str | None = None,
    region: str | None = None,
    out: str | None = None,
    documents: bool = True,
):
    """Sum every cell by region and level, with completeness, lateness and pass rates, compare
    consolidated reports with their members, and write the region's documents (default the
    province's, into XXGK_HOME/outputs/<year>/)."""
    settings = get_settings()
    url = warehouse_url or settings.resolved_warehouse_url
    year = year or default_year()
    progress.add("steps", 4 if documents else 3)
    prepare_warehouse(url)
    progress.advance("steps", 1)
    result = aggregate_year(url, year, uuid.uuid4().hex)
    progress.advance("steps", 1)
    publish_aggregation(result)
    progress.advance("steps", 1)
    if documents:
        written, notes = write_office_documents(url, year, region, out or default_out(year))
        publish_documents(written, notes)
        result.documents = [str(w.path) for w in written]
        result.notes = notes
        progress.advance("steps", 1)
    if settings.mail_province:  # the provincial office's summary (kept in the outbox if sending fails)
        try:
            queue_summary_mail(url, result.year, settings.mail_province)
            send_mail(url, documents=result.documents or [])
        except Exception as exc:  # the aggregation stands; `xxgk notify` sends what stayed queued
            get_run_logger().warning("summary mail not sent: %s", exc)
    return result
