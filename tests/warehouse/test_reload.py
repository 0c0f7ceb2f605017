"""Backfill: reloading stored files (and its dry run), same-run supersession, and previous-year
reports in bulk — on both databases. Choosing the files to re-read: test_backfill.py."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Engine, event, func, select, text

from form.record import Report, Source
from warehouse.backfill import backfill_targets
from warehouse.loader import Loader
from warehouse.previous_year import previous_year_report, previous_year_reports
from warehouse.queries import (
    facts_for,
    facts_of_pairs,
    orphan_facts,
    superseded_in_run,
    table_checksums,
)
from warehouse.records import CheckedSubmission, ReloadPlan
from warehouse.registry_matcher import load_matcher, provisional_id
from warehouse.reload import plan_reload
from warehouse.schema import DimSubmission, FactFinding, SubmissionRevision

from .builders import checked, hard, make_report, quarantined, soft

JAN, FEB, MAR, APR = (datetime(2022, m, 10) for m in (1, 2, 3, 4))
NO_ORPHANS = dict.fromkeys(("fact_application", "fact_disclosure", "fact_review_litigation"), 0)


def _key(result: Any, i: int = 0) -> int:
    return result[0].submissions[i].submission_key


def _row(engine: Engine, key: int) -> Any:
    s = DimSubmission.__table__
    with engine.connect() as conn:
        return conn.execute(select(s).where(s.c.submission_key == key)).one()


def _facts(engine: Engine, agency: str, year: int) -> dict:
    with engine.connect() as conn:
        return facts_for(conn, agency, year)


def _findings(engine: Engine, key: int) -> list[tuple]:
    f = FactFinding.__table__
    with engine.connect() as conn:
        return [
            tuple(r)
            for r in conn.execute(
                select(f.c.finding_no, f.c.cell, f.c.rule_id, f.c.severity)
                .where(f.c.submission_key == key)
                .order_by(f.c.finding_no, f.c.cell)
            )
        ]


def _checksums(engine: Engine) -> dict:
    with engine.connect() as conn:
        return table_checksums(conn)


def _plan(engine: Engine, items: list[CheckedSubmission]) -> ReloadPlan:
    with engine.connect() as conn:
        return plan_reload(conn, items)


def _reread(report: Report, cells: dict | None = None, findings: list | None = None) -> CheckedSubmission:
    """The same bytes read again by a changed parser: same source, other cells or findings."""
    again = report.model_copy(deep=True)
    again.cells.update(cells or {})
    return CheckedSubmission.of(again.source, again, findings or [])


# ---- reloading ---------------------------------------------------------------------------------


def test_a_reload_replaces_facts_and_findings_once_then_changes_nothing(registered: Engine) -> None:
    report = make_report("宿城区教育局", 2021, entities=True)
    (first,) = Loader(registered, "load").load([checked(report, [soft()], received_at=JAN)])
    key = first.submissions[0].submission_key
    entities = [c for c in report.cells if c.endswith(".entities")]
    again = _reread(report, {"t3.granted.natural": 999, "t2.fees.amount": 12.5}, [soft("blank.totals")])
    for cell in entities:  # the new parser no longer mistakes a column for 小计
        del again.report.cells[cell]  # type: ignore[union-attr]
    before = _checksums(registered)

    plan = _plan(registered, [again])
    assert _checksums(registered) == before  # a dry run writes nothing
    (sub,) = plan.submissions
    assert (sub.submission_key, sub.state_before, sub.state_after) == (key, "loaded", "loaded")
    assert sub.facts_changed == 2 + len(entities)
    assert sub.findings_added == {"blank.totals": 1} and sub.findings_removed == {"timeliness.published": 1}
    fees = plan.pairs[0].examples[0]  # examples come in cell order: t2 first
    assert (fees.cell, fees.old, fees.new, fees.kind) == (
        "t2.fees.amount",
        report.cells["t2.fees.amount"],
        12.5,
        "changed",
    )
    assert {c.kind for c in sub.examples} <= {"changed", "removed"}
    assert plan.changed == [("321302-D02", 2021)] and plan.reread == []

    (result,) = Loader(registered, "backfill").reload([again])
    (done,) = result.submissions
    assert (done.outcome, done.reloaded, done.submission_key, done.has_facts) == ("loaded", True, key, True)
    assert _facts(registered, "321302-D02", 2021) == again.report.cells  # type: ignore[union-attr]
    assert _findings(registered, key) == [(0, "", "blank.totals", "soft")]
    row = _row(registered, key)
    assert (row.path, row.received_at, row.state) == (report.source.path, JAN, "loaded")
    with registered.connect() as conn:
        revision = conn.execute(select(SubmissionRevision.__table__)).one()
        mode = conn.execute(
            text("SELECT mode FROM load_audit WHERE audit_key = :k"), {"k": result.audit_key}
        ).scalar()
        assert orphan_facts(conn) == NO_ORPHANS
    assert (revision.submission_key, revision.state_before, revision.facts_changed) == (
        key,
        "loaded",
        sub.facts_changed,
    )
    assert (revision.findings_added, revision.findings_removed, mode) == (1, 1, "reload")
    assert result.facts_deleted > 0 and result.changed == [("321302-D02", 2021)]

    after = _checksums(registered)
    assert after != before
    assert _plan(registered, [again]).changed_submissions() == []
    (second,) = Loader(registered, "backfill-2").reload([again])
    assert [s.outcome for s in second.submissions] == ["unchanged"]
    assert (second.changed, second.recheck, second.facts_written, second.findings_written) == ([], [], 0, 0)
    assert _checksums(registered) == after  # idempotent: not even a revision row


def test_a_quarantined_file_that_now_reads_is_loaded(registered: Engine) -> None:
    bad = quarantined("洪泽区教育局2021.pdf", "cid fonts only")
    (first,) = Loader(registered).load([bad])
    key = first.submissions[0].submission_key
    with registered.connect() as conn:
        (target,) = backfill_targets(conn)
    assert (target.submission_key, target.why, target.agency_id) == (key, "unplaced", None)
    report = make_report("淮安市洪泽区教育局", 2021).model_copy(
        update={"source": Source(path=target.path, sha256=target.sha256, media_type="application/pdf")}
    )
    fixed = CheckedSubmission.of(report.source, report, [])
    (sub,) = _plan(registered, [fixed]).submissions
    assert (sub.state_before, sub.state_after, sub.agency_after, sub.has_facts_after) == (
        "quarantined",
        "loaded",
        "320813-D02",
        True,
    )
    assert sub.facts_changed == len(report.cells) and "reason" in sub.fields_changed

    (result,) = Loader(registered).reload([fixed])
    (done,) = result.submissions
    assert (done.outcome, done.submission_key, done.agency_id, done.year, done.has_facts) == (
        "loaded",
        key,
        "320813-D02",
        2021,
        True,
    )
    row = _row(registered, key)
    assert (row.state, row.reason, row.media_type, row.printed_agency) == (
        "loaded",
        None,
        "application/pdf",
        "淮安市洪泽区教育局",
    )
    assert _facts(registered, "320813-D02", 2021) == report.cells
    with registered.connect() as conn:
        (now,) = backfill_targets(conn)
    assert (now.submission_key, now.why) == (key, "latest")


def test_reloading_year_n_asks_to_recheck_n_plus_1(registered: Engine) -> None:
    r20, r21 = make_report("宿城区教育局", 2020), make_report("宿城区教育局", 2021)
    Loader(registered).load([checked(r20), checked(r21)])
    changed = _reread(r20, {"t3.carried_out.natural": 77})
    assert _plan(registered, [changed]).recheck == [("321302-D02", 2021)]
    (result,) = Loader(registered).reload([changed])
    assert result.recheck == [("321302-D02", 2021)]
    assert _facts(registered, "321302-D02", 2020)["t3.carried_out.natural"] == 77
    (same,) = Loader(registered).reload([changed])
    assert same.recheck == []
    # findings alone change nothing the next year reads
    (only,) = Loader(registered).reload([_reread(r20, {"t3.carried_out.natural": 77}, [soft()])])
    assert only.recheck == [] and only.submissions[0].outcome == "loaded"


def test_a_dry_run_predicts_exactly_what_the_reload_does(registered: Engine) -> None:
    loader = Loader(registered, "load")
    # P1: a rejected resubmission over a loaded one; the fixed parser reads it clean
    p1_old, p1_new = make_report("清江浦区教育局", 2021), make_report("清江浦区教育局", 2021, salt="v2")
    loader.load([checked(p1_old, received_at=JAN), checked(p1_new, [hard()], received_at=FEB)])
    # P2: the only report of its pair, now read with a hard defect
    p2 = make_report("洪泽区教育局", 2021)
    # P3: a year whose carry-out changes, with a next year loaded
    p3, p3_next = make_report("宿城区教育局", 2020), make_report("宿城区教育局", 2021)
    # P4: reloaded with identical results
    p4 = make_report("淮安市洪泽区人民政府", 2021)
    # P5: a provisional agency's report now read with the registry name
    p5 = make_report("宿城区卫生健康局", 2021)
    loader.load([checked(r) for r in (p2, p3, p3_next, p4, p5)])
    # P6: an unreadable file that now reads as 清江浦区人民政府 2021
    bad = quarantined("qjp.doc")
    loader.load([bad])
    p6 = make_report("清江浦区人民政府", 2021).model_copy(update={"source": bad.source})
    p5_renamed = p5.model_copy(update={"agency": "宿迁市宿城区教育局"}, deep=True)
    items = [
        _reread(p1_new),
        _reread(p2, findings=[hard("t4.total", ["t4.review.total"])]),
        _reread(p3, {"t3.carried_out.total": 1234}),
        _reread(p4),
        CheckedSubmission.of(p5.source, p5_renamed, []),  # now placed: moves onto 321302-D02 2021
        CheckedSubmission.of(p6.source, p6, []),
    ]
    everyone = [*backfill_targets_keys(registered)]
    before_sums, before_facts = _checksums(registered), _all_facts(registered)
    before_rows = {k: _row(registered, k) for k in everyone}

    plan = _plan(registered, items)
    assert _checksums(registered) == before_sums

    (result,) = Loader(registered, "backfill").reload(items)
    after_facts = _all_facts(registered)
    by_sha = {s.sha256: s for s in result.submissions}
    for sub in plan.submissions:
        row = _row(registered, sub.submission_key)  # type: ignore[arg-type]
        assert (row.state, row.agency_id, row.year, row.has_facts, row.superseded_by) == (
            sub.state_after,
            sub.agency_after,
            sub.year_after,
            sub.has_facts_after,
            sub.superseded_by_after,
        ), sub.path
        changed_fields = {
            f
            for f in ("state", "agency_id", "year", "reason", "printed_agency")
            if getattr(row, f) != getattr(before_rows[sub.submission_key], f)
        }
        assert changed_fields <= set(sub.fields_changed)
        assert (by_sha[sub.sha256].outcome != "unchanged") == sub.changed, sub.path
    assert [s.changed for s in plan.submissions] == [True, True, True, False, True, True]
    # per pair: the cells that really changed are the ones the plan counted
    pairs = set(before_facts) | set(after_facts)
    planned = {(p.agency_id, p.year): p.cells_changed for p in plan.pairs}
    for pair in pairs:
        old, new = before_facts.get(pair, {}), after_facts.get(pair, {})
        real = sum(1 for c in set(old) | set(new) if old.get(c, "absent") != new.get(c, "absent"))
        assert real == planned.get(pair, 0), pair
    assert (plan.changed, plan.recheck, plan.reread) == (result.changed, result.recheck, result.reread)
    assert result.recheck == [("321302-D02", 2021)]
    # p5 and p3_next were received in the same chunk: the later key is the latest, so p5 now holds
    moved = by_sha[p5.source.sha256]
    assert (moved.agency_id, moved.has_facts, moved.superseded_by) == ("321302-D02", True, None)
    assert _facts(registered, "321302-D02", 2021) == p5.cells
    assert _facts(registered, "320812-D02", 2021) == p1_new.cells
    assert _facts(registered, "320813-D02", 2021) == {}  # its only report is now rejected
    assert _facts(registered, provisional_id("宿城区卫生健康局"), 2021) == {}
    assert _facts(registered, "320812", 2021) == p6.cells
    with registered.connect() as conn:
        revisions = conn.execute(select(func.count()).select_from(SubmissionRevision.__table__)).scalar()
        assert orphan_facts(conn) == NO_ORPHANS
    assert revisions == 5


def backfill_targets_keys(engine: Engine) -> list[int]:
    with engine.connect() as conn:
        return [t.submission_key for t in backfill_targets(conn, history=True)]


def _all_facts(engine: Engine) -> dict:
    with engine.connect() as conn:
        pairs = conn.execute(
            text(
                "SELECT DISTINCT agency_id, year FROM fact_application UNION SELECT DISTINCT agency_id, year FROM fact_disclosure"
            )
        ).all()
        found = facts_of_pairs(conn, [tuple(p) for p in pairs])
    return {pair: {c: v for c, (v, _k) in cells.items()} for pair, cells in found.items() if cells}


def test_demoting_the_fact_source_asks_for_the_previous_one(registered: Engine) -> None:
    v1, v2 = make_report("宿城区教育局", 2021), make_report("宿城区教育局", 2021, salt="v2")
    loader = Loader(registered)
    k1 = _key(loader.load([checked(v1, received_at=JAN)]))
    k2 = _key(loader.load([checked(v2, received_at=FEB)]))
    broken = _reread(v2, findings=[hard()])
    assert _plan(registered, [broken]).reread == [k1]
    (result,) = loader.reload([broken])
    assert result.reread == [k1] and result.submissions[0].outcome == "rejected"
    assert _facts(registered, "321302-D02", 2021) == {}  # never the demoted file's figures
    assert not _row(registered, k2).has_facts and not _row(registered, k1).has_facts
    (back,) = loader.reload([_reread(v1)])  # v1 read again, unchanged: its facts come back
    assert back.submissions[0].outcome == "loaded" and back.submissions[0].has_facts and back.reread == []
    assert _facts(registered, "321302-D02", 2021) == v1.cells
    assert _row(registered, k1).superseded_by == k2  # still history: v2 is the agency's latest word
    with registered.connect() as conn:
        assert orphan_facts(conn) == NO_ORPHANS


def test_a_reload_that_places_a_report_elsewhere_moves_its_facts(registered: Engine) -> None:
    report = make_report("宿城区教育局", 2021)
    (first,) = Loader(registered).load([checked(report)])
    moved = report.model_copy(update={"year": 2020}, deep=True)  # the parser now reads the right year
    (result,) = Loader(registered).reload([CheckedSubmission.of(moved.source, moved, [])])
    (sub,) = result.submissions
    assert (sub.submission_key, sub.year, sub.has_facts) == (first.submissions[0].submission_key, 2020, True)
    assert _facts(registered, "321302-D02", 2021) == {}
    assert _facts(registered, "321302-D02", 2020) == report.cells
    assert result.changed == [("321302-D02", 2020), ("321302-D02", 2021)]
    assert result.recheck == []  # 2021 has no submission left, 2022 none either


def test_a_reload_chunk_may_carry_new_files_too(registered: Engine) -> None:
    old = make_report("宿城区教育局", 2021)
    k_old = _key(Loader(registered).load([checked(old, received_at=JAN)]))
    new = make_report("宿城区教育局", 2021, salt="v2")
    (result,) = Loader(registered).reload([_reread(old), checked(new, received_at=FEB)])
    assert [(s.outcome, s.reloaded) for s in result.submissions] == [("loaded", True), ("loaded", False)]
    assert _row(registered, k_old).superseded_by == result.submissions[1].submission_key
    assert _facts(registered, "321302-D02", 2021) == new.cells


# ---- same-run supersession ---------------------------------------------------------------------


def test_a_newer_file_in_the_same_chunk_reports_the_older_as_superseded(registered: Engine) -> None:
    v1, v2 = make_report("宿城区教育局", 2021), make_report("宿城区教育局", 2021, salt="v2")
    (result,) = Loader(registered, "run").load(
        [checked(v2, received_at=FEB), checked(v1, [hard()], received_at=JAN)]
    )
    newer, older = result.submissions
    assert (older.outcome, older.superseded_in_run, older.reported, older.superseded_by) == (
        "rejected",
        True,
        "superseded",
        newer.submission_key,
    )
    assert (newer.outcome, newer.superseded_in_run, newer.reported) == ("loaded", False, "loaded")
    assert (older.state, older.agency_id, older.year) == ("rejected", "321302-D02", 2021)


def test_successive_chunks_of_one_run_supersede_too(registered: Engine) -> None:
    v1, v2, v3 = (make_report("宿城区教育局", 2021, salt=s) for s in ("v1", "v2", "v3"))
    loader = Loader(registered, "run")
    (c1,) = loader.load([checked(v1, received_at=JAN)])
    (c2,) = loader.load([checked(v2, received_at=FEB)])
    k1, k2 = c1.submissions[0].submission_key, c2.submissions[0].submission_key
    assert not c1.submissions[0].superseded_in_run  # it could not know yet
    assert c2.superseded_earlier == [k1] and not c2.submissions[0].superseded_in_run
    (late,) = loader.load([checked(v3, received_at=datetime(2021, 12, 1))])  # older than both: history
    assert late.submissions[0].superseded_in_run and late.submissions[0].reported == "superseded"
    assert late.superseded_earlier == []
    with registered.connect() as conn:
        assert superseded_in_run(conn, "run") == {k1: k2, late.submissions[0].submission_key: k1}
    (other,) = Loader(registered, "next-run").load(
        [checked(make_report("宿城区教育局", 2021, salt="v4"), received_at=MAR)]
    )
    assert other.superseded_earlier == [] and not other.submissions[0].superseded_in_run
    with registered.connect() as conn:
        assert superseded_in_run(conn, "next-run") == {}
    assert [s.outcome for s in other.submissions] == ["loaded"]
    # v2's bytes again in the new run: superseded by v4 of this run, but it arrived in an earlier one
    (repeat,) = Loader(registered, "next-run").load([checked(v2)])
    (v2_again,) = repeat.submissions
    assert (v2_again.outcome, v2_again.superseded_by) == ("unchanged", other.submissions[0].submission_key)
    assert not v2_again.superseded_in_run and v2_again.reported == "unchanged"
    (again,) = loader.load([checked(v1)])  # the same bytes again: unchanged, reported with their state
    assert (again.submissions[0].outcome, again.submissions[0].state, again.submissions[0].agency_id) == (
        "unchanged",
        "loaded",
        "321302-D02",
    )


# ---- previous-year reports in bulk -------------------------------------------------------------


def test_previous_year_reports_in_bulk_equal_the_single_ones(registered: Engine) -> None:
    Loader(registered).load(
        [
            checked(make_report("洪泽区人民政府", 2020)),
            checked(make_report("洪泽区文化广电新闻出版局", 2019)),
            checked(make_report("清江浦区教育局", 2020), [hard()]),  # rejected: nothing to pair with
            checked(make_report("宿城区教育局", 2020, entities=True)),
            checked(make_report("亭湖区人民政府", 2020)),  # ambiguous: provisional, but has facts
        ]
    )
    items: list[tuple[str | None, int | None]] = [
        ("淮安市洪泽区人民政府", 2021),
        ("洪泽区文化和旅游局", 2020),  # renamed since 2019: the durable agency pairs
        ("清江浦区教育局", 2021),
        ("宿城区教育局", 2021),
        ("宿城区教育局", 2020),  # nothing in 2019
        ("亭湖区人民政府", 2021),
        (None, 2021),
        ("宿城区教育局", None),
        ("洪泽区人民政府", 2021),  # the same pair twice
    ]
    with registered.connect() as conn:
        matcher = load_matcher(conn)
        single = [previous_year_report(conn, a, y, matcher) if a and y else None for a, y in items]
        bulk = previous_year_reports(conn, items, matcher)
    assert bulk == single
    # ambiguous names pair with nothing: the provisional agency is not the name's agency
    assert [r is not None for r in bulk] == [True, True, False, True, False, False, False, False, True]
    assert bulk[0] is not bulk[8]
    assert bulk[3].cells == make_report("宿城区教育局", 2020, entities=True).cells  # type: ignore[union-attr]


def test_previous_year_reports_cost_a_few_queries_however_many(registered: Engine) -> None:
    names = ["洪泽区人民政府", "清江浦区教育局", "宿城区教育局", "亭湖区教育局", "洪泽区教育局"]
    Loader(registered).load([checked(make_report(a, 2020)) for a in names])
    statements: list[str] = []

    def count(*args: Any) -> None:
        statements.append(args[2])

    with registered.connect() as conn:
        matcher = load_matcher(conn)
        event.listen(conn, "before_cursor_execute", count)
        previous_year_reports(conn, [(names[0], 2021)], matcher)
        one = len(statements)
        statements.clear()
        found = previous_year_reports(conn, [(a, 2021) for a in names * 20], matcher)
        many = len(statements)
    assert all(r is not None for r in found) and one == many <= 5
