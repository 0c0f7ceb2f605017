"""The warehouse's clock: naive UTC everywhere."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

from warehouse.clock import naive_utc, now


def test_now_is_naive_utc() -> None:
    moment = now()
    assert moment.tzinfo is None
    assert abs(moment - datetime.now(UTC).replace(tzinfo=None)) < timedelta(seconds=5)


def test_naive_utc_converts_aware_times_and_keeps_naive_ones() -> None:
    default = datetime(2000, 1, 1)
    beijing = timezone(timedelta(hours=8))
    assert naive_utc(datetime(2022, 1, 10, 8, 0, tzinfo=beijing), default) == datetime(2022, 1, 10, 0, 0)
    assert naive_utc(datetime(2022, 1, 10, 8, 0), default) == datetime(2022, 1, 10, 8, 0)
    assert naive_utc(None, default) is default
