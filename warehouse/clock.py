"""The warehouse's clock: naive UTC datetimes, as every timestamp column stores them.

SQLite has no time zones and PostgreSQL's `timestamp without time zone` drops them, so every time
the warehouse writes (received_at, superseded_at, audit times, registry changes) is UTC without
tzinfo; one home keeps loads, reloads and registry writes from disagreeing about it.
"""

from __future__ import annotations

from datetime import UTC, datetime


def now() -> datetime:
    """The current time, naive UTC."""
    return datetime.now(UTC).replace(tzinfo=None)


def naive_utc(moment: datetime | None, default: datetime) -> datetime:
    """`moment` as naive UTC (a naive one is taken as UTC already); `default` when it is None."""
    if moment is None:
        return default
    return moment.astimezone(UTC).replace(tzinfo=None) if moment.tzinfo else moment
