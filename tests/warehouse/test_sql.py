"""The one upsert helper: the same results through executemany and through COPY + INSERT … SELECT."""

from __future__ import annotations

import pytest
from sqlalchemy import Engine, select

from warehouse import sql
from warehouse.schema import DimYear


@pytest.mark.parametrize("size", [3, sql.COPY_FROM + 500])
def test_upsert_inserts_updates_and_keeps(engine: Engine, size: int) -> None:
    years = DimYear.__table__
    rows = [{"year": 3000 + i, "format_version": "a"} for i in range(size)]
    with engine.begin() as conn:
        assert sql.upsert(conn, years, rows, ["year"]) == size
        sql.upsert(conn, years, [{**r, "format_version": "b"} for r in rows[: size // 2 + 1]], ["year"])
        sql.upsert(conn, years, [{**r, "format_version": "c"} for r in rows], ["year"], update=[])
        # the same key twice in one batch: the later row wins, on both paths
        twice = [
            {"year": 2999, "format_version": "first"},
            *rows[size // 2 + 1 :],
            {"year": 2999, "format_version": "last"},
        ]
        assert sql.upsert(conn, years, twice, ["year"]) == len(twice) - 1
    with engine.connect() as conn:
        stored = dict(
            conn.execute(select(years.c.year, years.c.format_version).where(years.c.year >= 2999)).all()
        )
    assert stored.pop(2999) == "last"
    assert len(stored) == size
    assert sum(v == "b" for v in stored.values()) == size // 2 + 1
    assert set(stored.values()) == {"a", "b"}


def test_nothing_to_write(engine: Engine) -> None:
    with engine.begin() as conn:
        assert sql.upsert(conn, DimYear.__table__, [], ["year"]) == 0


def test_chunks() -> None:
    assert [list(c) for c in sql.chunks(list(range(5)), 2)] == [[0, 1], [2, 3], [4]]



@pytest.mark.parametrize("size", [3, sql.COPY_FROM + 500])
def test_a_column_left_out_takes_its_default_on_both_paths(engine: Engine, size: int) -> None:
    """Once PostgreSQL's COPY path staged rows without the column defaults: a registry of 1,700
    agencies without the optional `consolidated` column failed on NOT NULL."""
    from datetime import datetime

    from warehouse.schema import Agency

    agencies = Agency.__table__
    rows = [{"agency_id": f"990000-D{i:04d}", "is_registered": True, "created_at": datetime(2026, 1, 1)} for i in range(size)]
    with engine.begin() as conn:
        assert sql.upsert(conn, agencies, rows, ["agency_id"]) == size
    with engine.connect() as conn:
        marks = conn.execute(select(agencies.c.consolidated).where(agencies.c.agency_id.like("990000-%"))).scalars().all()
    assert len(marks) == size and not any(marks)
