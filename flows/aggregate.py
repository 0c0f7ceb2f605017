"""The aggregation flow: the province's consolidated (汇总) figures for a year, after the deadline.

Scheduled on 1 February (departments' deadline passed) and 1 April (governments' deadline), and
run on demand; each run replaces the stored aggregation of that year.
"""

from __future__ import annotations

import uuid
from datetime import date

from prefect import flow

from flows import progress
from flows.publishing import publish_aggregation
from flows.settings import get_settings
from flows.tasks import aggregate_year, prepare_warehouse


def default_year(today: date | None = None) -> int:
    """The report year a run aggregates when none is given: the year before today's."""
    return (today or date.today()).year - 1


@flow(name="aggregate", log_prints=False)
def aggregate(year: int | None = None, warehouse_url: str | None = None):
    """Sum every cell by region and level, with completeness, lateness and pass rates."""
    url = warehouse_url or get_settings().resolved_warehouse_url
    progress.add("steps", 3)
    prepare_warehouse(url)
    progress.advance("steps", 1)
    result = aggregate_year(url, year or default_year(), uuid.uuid4().hex)
    progress.advance("steps", 1)
    publish_aggregation(result)
    progress.advance("steps", 1)
    return result
