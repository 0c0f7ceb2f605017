"""Alembic is the only way the schema is made; down to base and up to head round-trips on both."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import Engine, delete, inspect, select, text

from warehouse import migrate
from warehouse.aggregation import aggregate
from warehouse.dimensions import fixed_rows
from warehouse.engine import engine_scope
from warehouse.loader import Loader, WarehouseNotReady
from warehouse.queries import table_checksums
from warehouse.records import CheckedSubmission
from warehouse.registry import load_registry_rows
from warehouse.registry_file import parse_registry
from warehouse.schema import AGG_TABLES, OUTBOX_TABLES, STAR_TABLES, VIEWS, Base, DimRule

from .builders import REGISTRY_CSV, checked, make_report

#: the star tables older than 0003 (whose downgrade drops submission_revision)
KEPT = tuple(t for t in STAR_TABLES if t != "submission_revision")
UNTOUCHED_BY_0004 = tuple(t for t in KEPT if t != "agency")


def _schema_diff(engine: Engine) -> list:
    with engine.connect() as conn:
        return compare_metadata(MigrationContext.configure(conn, opts={"compare_type": True}), Base.metadata)


def _fill(engine: Engine) -> None:
    """Registry, two loaded years, a reload that changed one (submission_revision), an aggregation."""
    rows, _ = parse_registry(REGISTRY_CSV)
    with engine.begin() as conn:
        load_registry_rows(conn, rows, as_of=2024)
    reports = [make_report("淮安市洪泽区人民政府", y) for y in (2020, 2021)]
    Loader(engine).load([checked(r) for r in reports])
    again = reports[1].model_copy(update={"cells": {**reports[1].cells, "t3.new.natural": 9999}})
    Loader(engine).reload([CheckedSubmission.of(again.source, again, [])])
    aggregate(engine, 2021)


def test_revisions_are_linear() -> None:
    assert migrate.revisions() == ["0001", "0002", "0003", "0004", "0005", "0006", "0007", "0008"]
    assert migrate.head() == "0008"


def test_upgrade_creates_the_models_exactly(empty_url: str) -> None:
    with engine_scope(empty_url) as engine:
        assert migrate.current(engine) is None
        assert migrate.upgrade(engine) == migrate.head()
        names = inspect(engine)
        tables = set(STAR_TABLES) | set(AGG_TABLES) | set(OUTBOX_TABLES) | {"load_audit", "alembic_version", "pending_recheck"}
        assert tables == set(names.get_table_names())
        assert set(VIEWS) == set(names.get_view_names())
        assert _schema_diff(engine) == []
        with engine.connect() as conn:
            for table, (_keys, rows) in fixed_rows().items():
                count = conn.execute(text(f"SELECT COUNT(*) FROM {table}")).scalar()
                assert count == len(rows), table


def test_downgrade_base_then_upgrade_round_trips(empty_url: str) -> None:
    with engine_scope(empty_url) as engine:
        migrate.upgrade(engine)
        _fill(engine)
        assert migrate.downgrade(engine, "base") is None
        left = set(inspect(engine).get_table_names()) - {"alembic_version"}
        assert left == set() and inspect(engine).get_view_names() == []
        migrate.upgrade(engine)
        assert _schema_diff(engine) == []
        _fill(engine)  # the rebuilt warehouse loads like a new one
        with engine.connect() as conn:
            assert conn.execute(text("SELECT COUNT(*) FROM fact_application")).scalar() > 0
            assert conn.execute(text("SELECT COUNT(*) FROM submission_revision")).scalar() == 1
            assert conn.execute(text("SELECT COUNT(*) FROM agg_cell")).scalar() > 0


def test_views_go_and_come_back_with_the_data_kept(engine: Engine) -> None:
    _fill(engine)
    with engine.connect() as conn:
        before = table_checksums(conn, KEPT)
        totals = conn.execute(text("SELECT SUM(requests) FROM v_applications")).scalar()
    assert migrate.downgrade(engine, "0001") == "0001"
    assert inspect(engine).get_view_names() == []
    assert migrate.upgrade(engine) == migrate.head()
    with engine.connect() as conn:
        assert table_checksums(conn, KEPT) == before
        assert conn.execute(text("SELECT SUM(requests) FROM v_applications")).scalar() == totals


def test_loader_refuses_a_warehouse_behind_the_code_and_audits_it(engine: Engine) -> None:
    migrate.downgrade(engine, "0001")
    try:
        Loader(engine, run_id="late").load([checked(make_report("淮安市洪泽区人民政府", 2021))])
    except WarehouseNotReady as exc:
        assert "xxgk warehouse upgrade" in str(exc)
    else:
        raise AssertionError("loaded into an outdated warehouse")
    with engine.connect() as conn:
        audit = conn.execute(text("SELECT run_id, status, message FROM load_audit")).one()
        assert audit.run_id == "late" and audit.status == "failed" and "upgrade" in audit.message
        assert conn.execute(text("SELECT COUNT(*) FROM dim_submission")).scalar() == 0


def test_upgrade_resyncs_fixed_dimensions(engine: Engine) -> None:
    rules = DimRule.__table__
    with engine.begin() as conn:
        conn.execute(delete(rules).where(rules.c.rule_id == "t4.total"))
        conn.execute(rules.update().where(rules.c.rule_id == "t3.balance").values(statement_en="stale"))
    migrate.upgrade(engine)
    with engine.connect() as conn:
        assert (
            conn.execute(select(rules.c.rule_id).where(rules.c.rule_id == "t4.total")).scalar() == "t4.total"
        )
        stale = conn.execute(select(rules.c.statement_en).where(rules.c.rule_id == "t3.balance")).scalar()
        assert stale != "stale"


def test_0003_goes_and_comes_back_keeping_the_star(engine: Engine) -> None:
    _fill(engine)
    with engine.connect() as conn:
        before = table_checksums(conn, KEPT)
    assert migrate.downgrade(engine, "0002") == "0002"
    names = inspect(engine)
    assert not ({*AGG_TABLES, "submission_revision"} & set(names.get_table_names()))
    assert "mode" not in {c["name"] for c in names.get_columns("load_audit")}
    assert len(names.get_view_names()) == len(VIEWS)  # 0002's views survive the column drop
    with engine.connect() as conn:  # agency lost 0004's column: its rows are compared back at head
        assert table_checksums(conn, UNTOUCHED_BY_0004) == {t: before[t] for t in UNTOUCHED_BY_0004}
    assert migrate.upgrade(engine) == migrate.head()
    assert _schema_diff(engine) == []
    with engine.connect() as conn:
        assert table_checksums(conn, KEPT) == before
        modes = conn.execute(text("SELECT DISTINCT mode FROM load_audit")).scalars().all()
        assert conn.execute(text("SELECT COUNT(*) FROM v_applications")).scalar() > 0
    assert modes == ["load"]  # rows older than the column read as loads
    assert aggregate(engine, 2021).province["t3.new.natural"] >= 9999  # usable again at once


def test_0004_goes_and_comes_back_keeping_the_star(engine: Engine) -> None:
    _fill(engine)
    with engine.connect() as conn:
        before = table_checksums(conn, KEPT)
    assert migrate.downgrade(engine, "0003") == "0003"
    names = inspect(engine)
    assert "agg_finding" not in names.get_table_names()
    assert "consolidated" not in {c["name"] for c in names.get_columns("agency")}
    assert len(names.get_view_names()) == len(VIEWS)
    with engine.connect() as conn:
        assert table_checksums(conn, UNTOUCHED_BY_0004) == {t: before[t] for t in UNTOUCHED_BY_0004}
    assert migrate.upgrade(engine) == migrate.head()
    assert _schema_diff(engine) == []
    with engine.connect() as conn:
        assert table_checksums(conn, KEPT) == before  # agencies come back unmarked, as they were
    assert aggregate(engine, 2021).consolidation == []


def test_0005_outbox_goes_and_comes_back(engine: Engine) -> None:
    assert migrate.downgrade(engine, "0004") == "0004"
    assert "outbox" not in inspect(engine).get_table_names()
    assert migrate.upgrade(engine) == migrate.head()
    assert _schema_diff(engine) == []


def test_0006_outbox_claimed_by_goes_and_comes_back(engine: Engine) -> None:
    assert migrate.downgrade(engine, "0005") == "0005"
    assert "claimed_by" not in {c["name"] for c in inspect(engine).get_columns("outbox")}
    assert migrate.upgrade(engine) == migrate.head()
    assert _schema_diff(engine) == []


def test_0007_pending_recheck_goes_and_comes_back(engine: Engine) -> None:
    assert migrate.downgrade(engine, "0006") == "0006"
    assert "pending_recheck" not in inspect(engine).get_table_names()
    assert migrate.upgrade(engine) == migrate.head()
    assert _schema_diff(engine) == []


def test_0008_review_counts_go_and_come_back_counting_old_chunks_as_none(engine: Engine) -> None:
    _fill(engine)
    assert migrate.downgrade(engine, "0007") == "0007"
    names = inspect(engine)
    assert "review" not in {c["name"] for c in names.get_columns("load_audit")}
    assert "review" not in {c["name"] for c in names.get_columns("agg_status")}
    assert migrate.upgrade(engine) == migrate.head()
    assert _schema_diff(engine) == []
    with engine.connect() as conn:
        assert conn.execute(text("SELECT DISTINCT review FROM load_audit")).scalars().all() == [0]
        assert conn.execute(text("SELECT DISTINCT review FROM agg_status")).scalars().all() == [0]
