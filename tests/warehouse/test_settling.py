"""Settling pairs after a chunk's writes, and counting what it did once for loads and reloads alike."""

from __future__ import annotations

from sqlalchemy import Engine, select

from warehouse.loader import Loader
from warehouse.queries import facts_for
from warehouse.records import LoadResult
from warehouse.schema import DimSubmission
from warehouse.settling import Settled, record_settled, settle_pairs

from .builders import checked, make_report


def test_unholding_a_source_without_its_facts_at_hand_asks_to_reread_it(registered: Engine) -> None:
    report = make_report("宿城区教育局", 2021)
    (loaded,) = Loader(registered).load([checked(report), checked(make_report("宿城区教育局", 2022))])
    key = loaded.submissions[0].submission_key
    pair = ("321302-D02", 2021)
    with registered.begin() as conn:
        settled = settle_pairs(conn, [pair], {}, unhold=[(*pair, key)])
        assert facts_for(conn, *pair) == {}
        s = DimSubmission.__table__.c
        assert conn.execute(select(s.has_facts).where(s.submission_key == key)).scalar() is False
        result = LoadResult(run_id="r", audit_key=0, chunk_no=0)
        record_settled(conn, result, settled, [])
        conn.rollback()
    assert settled.reread == [key] and settled.unheld == [key] and key in settled.touched
    assert settled.facts_deleted == len(report.cells) and settled.fact_pairs == {pair}
    assert (result.facts_deleted, result.facts_written, result.reread) == (len(report.cells), 0, [key])
    assert result.changed == [pair] and result.recheck == [("321302-D02", 2022)]


def test_record_settled_adds_link_and_fact_pairs_to_the_changed_ones(engine: Engine) -> None:
    settled = Settled(links={1: 2, 2: None}, link_pairs={("a", 2021)}, facts_written=3)
    result = LoadResult(run_id="r", audit_key=0, chunk_no=0, facts_written=1)
    with engine.connect() as conn:
        record_settled(conn, result, settled, [("b", 2020)])
    assert (result.superseded, result.facts_written, result.recheck) == (1, 4, [])
    assert result.changed == [("a", 2021), ("b", 2020)]
