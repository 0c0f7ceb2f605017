"""The aggregation flow: the province's consolidated (汇总) figures for a year, after the deadline.

Scheduled on 1 February (departments' deadline passed) and 1 April (governments' deadline), and
run on demand; each run replaces the stored aggregation of that year.
"""

from __future__ import annotations

import uuid
from datetime import date

from prefect import flow, get_run_logger

from flows import progress
from flows.publishing import publish_aggregation
from flows.settings import get_settings
from flows.tasks import aggregate_year, prepare_warehouse, queue_summary_mail, send_mail


def default_year(today: date | None = None) -> int:
    """The report year a run aggregates when none is given: the year before today's."""
    return (today or date.today()).year - 1


@flow(name="aggregate", log_prints=False)
def aggregate(year: int | None = None, warehouse_url: str | None = None):
    """Sum every cell by region and level, with completeness, lateness and pass rates."""
    settings = get_settings()
    url = warehouse_url or settings.resolved_warehouse_url
    progress.add("steps", 3)
    prepare_warehouse(url)
    progress.advance("steps", 1)
    result = aggregate_year(url, year or default_year(), uuid.uuid4().hex)
    progress.advance("steps", 1)
    publish_aggregation(result)
    progress.advance("steps", 1)
    if settings.mail_province:  # the provincial office's summary (kept in the outbox if sending fails)
        try:
            queue_summary_mail(url, result.year, settings.mail_province)
            send_mail(url)
        except Exception as exc:  # the aggregation stands; `xxgk notify` sends what stayed queued
            get_run_logger().warning("summary mail not sent: %s", exc)
    return result
