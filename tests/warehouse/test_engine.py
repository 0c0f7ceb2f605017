"""Engines: psycopg 3 for postgresql:// URLs, and foreign keys enforced on both databases."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest
from sqlalchemy import Engine, insert, text
from sqlalchemy.exc import IntegrityError

from warehouse.engine import engine_scope, make_engine, normalise_url
from warehouse.schema import DimAgency


@pytest.mark.parametrize(
    "url",
    [
        "postgresql://u@h:5432/db",
        "postgres://u@h/db",
        "postgresql+psycopg2://u@h/db",
        "postgresql+psycopg://u@h/db",
    ],
)
def test_postgres_urls_use_psycopg3(url: str) -> None:
    assert normalise_url(url).drivername == "postgresql+psycopg"


def test_sqlite_url_unchanged_and_folder_created(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'a' / 'b' / 'w.sqlite'}"
    assert normalise_url(url).drivername == "sqlite"
    with engine_scope(url) as engine, engine.connect() as conn:
        assert conn.execute(text("PRAGMA foreign_keys")).scalar() == 1
    assert (tmp_path / "a" / "b").is_dir()


def test_engine_scope_leaves_a_given_engine_open(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'w.sqlite'}")
    with engine_scope(engine) as same:
        assert same is engine
    with engine.connect() as conn:
        assert conn.execute(text("SELECT 1")).scalar() == 1
    engine.dispose()


def test_foreign_keys_are_enforced(engine: Engine) -> None:
    row = {
        "agency_id": "nobody",
        "valid_from": 2020,
        "valid_to": None,
        "is_current": True,
        "name": "无此机关",
        "name_key": "无此机关",
        "level": "county",
        "region_code": "000000",
        "parent_id": None,
        "email": None,
        "successor_id": None,
        "is_registered": True,
    }
    with pytest.raises(IntegrityError), engine.begin() as conn:
        conn.execute(insert(DimAgency.__table__), [row])
    assert datetime.now()  # the failed transaction left nothing behind
    with engine.connect() as conn:
        assert conn.execute(text("SELECT COUNT(*) FROM dim_agency")).scalar() == 0
