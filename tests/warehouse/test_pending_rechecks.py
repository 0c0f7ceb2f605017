"""The carryover cascade's to-do list lives in the warehouse: written with the load that makes a
pair due, gone with the load that checks it again, so a kill between the two cannot drop it."""

from __future__ import annotations

from sqlalchemy import Engine, text

from form.record import Report
from warehouse.loader import Loader
from warehouse.pending_rechecks import pending_pairs, settle_pending
from warehouse.records import CheckedSubmission

from .builders import checked, make_report


def _pending(engine: Engine) -> list[tuple[str, int]]:
    with engine.begin() as conn:
        return pending_pairs(conn)


def _same_bytes_again(report: Report) -> CheckedSubmission:
    return CheckedSubmission.of(report.source, report.model_copy(deep=True), [])


def test_a_late_previous_year_leaves_the_next_year_pending_until_it_is_checked_again(registered: Engine) -> None:
    r20, r21 = make_report("宿城区教育局", 2020), make_report("宿城区教育局", 2021)
    Loader(registered).load([checked(r21)])
    assert _pending(registered) == []
    Loader(registered).load([checked(r20)])  # committed: a run killed now still knows 2021 is due
    assert _pending(registered) == [("321302-D02", 2021)]
    Loader(registered).reload([_same_bytes_again(r21)])  # checked again, though nothing changed
    assert _pending(registered) == []


def test_a_year_loaded_after_its_previous_year_is_not_pending(registered: Engine) -> None:
    Loader(registered).load([checked(make_report("宿城区教育局", 2020))])
    Loader(registered).load([checked(make_report("宿城区教育局", 2021))])
    assert _pending(registered) == []


def test_a_transaction_rolled_back_leaves_nothing_pending(registered: Engine) -> None:
    Loader(registered).load([checked(make_report("宿城区教育局", 2021))])
    try:
        with registered.begin() as conn:
            settle_pending(conn, checked=[], due=[("321302-D02", 2021)])
            raise RuntimeError("killed before commit")
    except RuntimeError:
        pass
    assert _pending(registered) == []


def test_a_pair_whose_submissions_are_gone_is_dropped(registered: Engine) -> None:
    with registered.begin() as conn:
        settle_pending(conn, checked=[], due=[("321302-D02", 2030)])
    assert _pending(registered) == []
    with registered.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM pending_recheck")).scalar() == 0
