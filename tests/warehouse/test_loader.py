"""Loading checked submissions: idempotent, superseding, rejecting and placing, on both databases."""

from __future__ import annotations

from datetime import datetime

import pytest
from sqlalchemy import Engine, select, text

from form.record import Finding
from warehouse.loader import Loader
from warehouse.queries import facts_for, orphan_facts, table_checksums
from warehouse.records import CheckedSubmission
from warehouse.registry import list_unregistered, map_alias
from warehouse.registry_matcher import provisional_id
from warehouse.schema import STAR_TABLES, DimAgency, DimSubmission, FactFinding

from .builders import checked, hard, make_report, quarantined, soft

JAN, FEB, MAR, APR = (datetime(2022, m, 10) for m in (1, 2, 3, 4))


def _submission(engine: Engine, key: int) -> dict:
    s = DimSubmission.__table__
    with engine.connect() as conn:
        return dict(conn.execute(select(s).where(s.c.submission_key == key)).one()._mapping)


def _status(engine: Engine, agency: str, year: int) -> dict:
    with engine.connect() as conn:
        row = conn.execute(
            text("SELECT * FROM v_submission_status WHERE agency_id = :a AND year = :y"),
            {"a": agency, "y": year},
        ).one()
        return dict(row._mapping)


def _facts(engine: Engine, agency: str, year: int) -> dict:
    with engine.connect() as conn:
        return facts_for(conn, agency, year)


def _mixed_batch() -> list[CheckedSubmission]:
    blanked = make_report("淮安市洪泽区教育局", 2021, entities=True)
    blanked.cells["t3.denied_secret.natural"] = None
    return [
        checked(make_report("淮安市洪泽区人民政府", 2020)),
        checked(make_report("淮安市洪泽区人民政府", 2021), [soft()]),
        checked(blanked),
        checked(make_report("清江浦区教育局", 2021), [hard(), soft()]),
        checked(make_report("宿城区卫生健康局", 2021)),
        checked(make_report("亭湖区人民政府", 2021)),
        quarantined("scan.pdf", "no text layer"),
    ]


def test_loading_the_same_files_twice_changes_nothing(registered: Engine) -> None:
    batch = _mixed_batch()
    first = Loader(registered, "run-1").load(batch, chunk_size=3)
    assert [s.outcome for r in first for s in r.submissions] == [
        "loaded",
        "loaded",
        "loaded",
        "rejected",
        "loaded",
        "loaded",
        "quarantined",
    ]
    with registered.connect() as conn:
        before = table_checksums(conn)
    second = Loader(registered, "run-2").load(batch + batch[:2])
    assert {s.outcome for r in second for s in r.submissions} == {"unchanged"}
    assert [s.submission_key for s in second[0].submissions[:7]] == [
        s.submission_key for r in first for s in r.submissions
    ]
    with registered.connect() as conn:
        assert table_checksums(conn) == before
        assert set(before) == set(STAR_TABLES) and before["fact_application"][0] > 0
        audit = conn.execute(
            text(
                "SELECT run_id, status, loaded, rejected, quarantined, unchanged, facts_written FROM load_audit ORDER BY audit_key"
            )
        ).all()
    assert [tuple(a) for a in audit][-1] == ("run-2", "ok", 0, 0, 0, 9, 0)
    assert sum(a.loaded for a in audit if a.run_id == "run-1") == 5
    assert sum(a.facts_written for a in audit) == sum(r.facts_written for r in first) > 0


def test_facts_are_the_printed_cells_and_name_their_submission(registered: Engine) -> None:
    report = make_report("淮安市洪泽区教育局", 2021, entities=True)
    report.cells["t3.granted.total"] = None  # left blank: stays NULL, never a computed sum
    report.cells["t2.fees.amount"] = 1234.567891
    (result,) = Loader(registered).load([checked(report)])
    (loaded,) = result.submissions
    assert (loaded.agency_id, loaded.match_method, loaded.has_facts) == ("320813-D02", "prefix", True)
    assert _facts(registered, "320813-D02", 2021) == report.cells
    with registered.connect() as conn:
        keys = (
            conn.execute(
                text("SELECT DISTINCT submission_key FROM fact_application WHERE agency_id = '320813-D02'")
            )
            .scalars()
            .all()
        )
        blank = conn.execute(
            text(
                "SELECT value FROM fact_application WHERE agency_id = '320813-D02' AND outcome_id = 'granted' AND applicant_type_id = 'total'"
            )
        ).scalar_one()
    assert keys == [loaded.submission_key] and blank is None
    assert result.facts_written == len(report.cells)


def test_a_resubmission_supersedes_and_its_facts_replace_the_old(registered: Engine) -> None:
    old = make_report("洪泽区人民政府", 2021, entities=True)
    new = make_report("淮安市洪泽区人民政府", 2021, seed=2, salt="v2")
    loader = Loader(registered)
    (first,) = loader.load([checked(old, received_at=JAN)])
    (second,) = loader.load([checked(new, received_at=FEB)])
    v1, v2 = first.submissions[0].submission_key, second.submissions[0].submission_key
    assert second.superseded == 1 and second.facts_deleted > 0
    assert _facts(registered, "320813", 2021) == new.cells  # no 小计 (entities) cells left from v1
    assert _submission(registered, v1)["superseded_by"] == v2 and not _submission(registered, v1)["has_facts"]
    assert _submission(registered, v2)["superseded_by"] is None and _submission(registered, v2)["has_facts"]
    status = _status(registered, "320813", 2021)
    assert (
        status["status"],
        status["latest_submission_key"],
        status["facts_submission_key"],
        status["submissions"],
    ) == ("loaded", v2, v2, 2)


def test_a_rejected_report_has_findings_but_no_facts(registered: Engine) -> None:
    report = make_report("清江浦区教育局", 2021)
    (result,) = Loader(registered).load([checked(report, [hard(), soft()])])
    (sub,) = result.submissions
    assert sub.outcome == "rejected" and not sub.has_facts
    assert _facts(registered, "320812-D02", 2021) == {}
    f = FactFinding.__table__
    with registered.connect() as conn:
        for fact in ("fact_application", "fact_disclosure", "fact_review_litigation"):
            assert (
                conn.execute(
                    text(f"SELECT COUNT(*) FROM {fact} WHERE submission_key = :k"), {"k": sub.submission_key}
                ).scalar()
                == 0
            )
        found = conn.execute(
            select(f.c.finding_no, f.c.cell, f.c.rule_id, f.c.severity, f.c.printed, f.c.expected)
            .where(f.c.submission_key == sub.submission_key)
            .order_by(f.c.finding_no, f.c.cell)
        ).all()
    assert [tuple(r) for r in found] == [
        (0, "t3.carried_in.total", "t3.balance", "hard", "5", "6"),
        (0, "t3.new.total", "t3.balance", "hard", "5", "6"),
        (1, "", "timeliness.published", "soft", None, None),
    ]
    assert _submission(registered, sub.submission_key)["reason"] == "未通过必须更正的检查：t3.balance"
    status = _status(registered, "320812-D02", 2021)
    assert (status["status"], status["facts_submission_key"]) == ("rejected", None)


def test_a_rejected_resubmission_keeps_the_loaded_facts_until_a_loaded_one_comes(registered: Engine) -> None:
    v1 = make_report("清江浦区教育局", 2021)
    v2 = make_report("清江浦区教育局", 2021, seed=2, salt="v2")
    v3 = make_report("清江浦区教育局", 2021, seed=3, salt="v3")
    loader = Loader(registered)
    k1 = loader.load([checked(v1, received_at=JAN)])[0].submissions[0].submission_key
    k2 = loader.load([checked(v2, [hard()], received_at=FEB)])[0].submissions[0].submission_key
    assert _facts(registered, "320812-D02", 2021) == v1.cells
    assert _submission(registered, k1)["superseded_by"] == k2
    status = _status(registered, "320812-D02", 2021)
    assert (status["status"], status["latest_submission_key"], status["facts_submission_key"]) == (
        "rejected",
        k2,
        k1,
    )
    k3 = loader.load([checked(v3, received_at=MAR)])[0].submissions[0].submission_key
    assert _facts(registered, "320812-D02", 2021) == v3.cells
    assert [_submission(registered, k)["superseded_by"] for k in (k1, k2, k3)] == [k2, k3, None]
    assert _status(registered, "320812-D02", 2021)["facts_submission_key"] == k3


def test_an_older_file_arriving_late_slots_into_history(registered: Engine) -> None:
    newer = make_report("宿城区教育局", 2021, seed=2, salt="v2")
    older = make_report("宿城区教育局", 2021)
    loader = Loader(registered)
    k_new = loader.load([checked(newer, received_at=MAR)])[0].submissions[0].submission_key
    (late,) = loader.load([checked(older, received_at=JAN)])[0].submissions
    assert late.outcome == "loaded" and not late.has_facts
    assert _facts(registered, "321302-D02", 2021) == newer.cells
    assert _submission(registered, late.submission_key)["superseded_by"] == k_new


def test_two_versions_in_one_chunk(registered: Engine) -> None:
    v1 = make_report("宿城区教育局", 2021)
    v2 = make_report("宿城区教育局", 2021, seed=2, salt="v2")
    (result,) = Loader(registered).load([checked(v2, received_at=FEB), checked(v1, received_at=JAN)])
    k2, k1 = (s.submission_key for s in result.submissions)
    assert _facts(registered, "321302-D02", 2021) == v2.cells
    assert _submission(registered, k1)["superseded_by"] == k2 and result.submissions[0].has_facts


def test_quarantined_and_unplaceable_files_are_kept_with_a_reason(registered: Engine) -> None:
    nameless = make_report("宿城区教育局", 2021, salt="nameless")
    nameless.agency = None
    (result,) = Loader(registered).load([quarantined("broken.docx", "not a zip file"), checked(nameless)])
    broken, unplaced = result.submissions
    assert broken.outcome == "quarantined" and broken.agency_id is None
    row = _submission(registered, broken.submission_key)
    assert (row["state"], row["reason"], row["year"]) == ("quarantined", "not a zip file", None)
    assert unplaced.outcome == "rejected" and unplaced.agency_id is None
    f = FactFinding.__table__
    with registered.connect() as conn:
        rules = (
            conn.execute(select(f.c.rule_id).where(f.c.submission_key == unplaced.submission_key))
            .scalars()
            .all()
        )
        assert conn.execute(text("SELECT COUNT(*) FROM fact_application")).scalar() == 0
    assert rules == ["warehouse.unplaceable"]


def test_values_outside_their_domain_are_not_coerced(registered: Engine) -> None:
    report = make_report("宿城区教育局", 2021)
    report.cells["t3.new.natural"] = 2.5
    (result,) = Loader(registered).load([checked(report)])
    assert result.submissions[0].outcome == "rejected"
    assert _facts(registered, "321302-D02", 2021) == {}


def test_an_unregistered_agency_loads_as_unassigned_until_mapped(registered: Engine) -> None:
    name = "宿城区卫生健康局"
    (result,) = Loader(registered).load([checked(make_report(name, 2021))])
    (sub,) = result.submissions
    provisional = provisional_id(name)
    assert (sub.outcome, sub.agency_id, sub.match_method, result.provisional_agencies) == (
        "loaded",
        provisional,
        "unregistered",
        1,
    )
    a = DimAgency.__table__
    with registered.connect() as conn:
        version = conn.execute(
            select(a.c.is_registered, a.c.region_code).where(a.c.agency_id == provisional)
        ).one()
        unassigned = conn.execute(
            text(
                "SELECT SUM(requests) FROM v_applications WHERE region_code = '000000' AND outcome = 'new' AND applicant_type = 'total'"
            )
        ).scalar()
        rule = conn.execute(
            text("SELECT rule_id, severity FROM fact_finding WHERE submission_key = :k"),
            {"k": sub.submission_key},
        ).one()
    assert tuple(version) == (False, "000000")
    assert unassigned == _facts(registered, provisional, 2021)["t3.new.total"]
    assert tuple(rule) == ("registry.unregistered", "soft")
    (listed,) = list_unregistered(registered)
    assert (listed.agency_id, listed.name, listed.years, listed.suggestion) == (
        provisional,
        name,
        (2021,),
        "",
    )

    mapped = map_alias(registered, name, "321302-D02")
    assert (mapped.provisional_id, mapped.submissions_moved) == (provisional, 1)
    assert _facts(registered, provisional, 2021) == {}
    assert _facts(registered, "321302-D02", 2021)["t3.new.total"] == unassigned
    assert _submission(registered, sub.submission_key)["match_method"] == "mapped"
    assert list_unregistered(registered) == []
    with registered.connect() as conn:
        region = conn.execute(
            text("SELECT region_code FROM v_agency_year WHERE agency_id = '321302-D02' AND year = 2021")
        ).scalar()
    assert region == "321302"
    (later,) = Loader(registered).load([checked(make_report("宿迁市宿城区卫生健康局", 2022))])[0].submissions
    assert (later.agency_id, later.match_method) == ("321302-D02", "alias")


def test_mapping_onto_an_agency_that_already_reported_keeps_the_latest(registered: Engine) -> None:
    mine = make_report("宿城区教育局", 2021)
    stray = make_report("宿城区教育体育局", 2021, seed=2)
    loader = Loader(registered)
    k_mine = loader.load([checked(mine, received_at=JAN)])[0].submissions[0].submission_key
    k_stray = loader.load([checked(stray, received_at=FEB)])[0].submissions[0].submission_key
    mapped = map_alias(registered, "宿城区教育体育局", "321302-D02")
    assert mapped.facts_deleted == len(mine.cells)
    assert _facts(registered, "321302-D02", 2021) == stray.cells
    assert _submission(registered, k_mine)["superseded_by"] == k_stray
    assert _status(registered, "321302-D02", 2021)["facts_submission_key"] == k_stray
    with registered.connect() as conn:
        assert orphan_facts(conn) == dict.fromkeys(
            ("fact_application", "fact_disclosure", "fact_review_litigation"), 0
        )


def test_an_ambiguous_name_is_a_finding_never_a_guess(registered: Engine) -> None:
    (sub,) = Loader(registered).load([checked(make_report("亭湖区人民政府", 2021))])[0].submissions
    assert sub.match_method == "ambiguous" and sub.agency_id == provisional_id("亭湖区人民政府")
    with registered.connect() as conn:
        finding = conn.execute(
            text("SELECT rule_id, expected FROM fact_finding WHERE submission_key = :k"),
            {"k": sub.submission_key},
        ).one()
    assert tuple(finding) == ("registry.agency_ambiguous", "320902,321102")
    (listed,) = list_unregistered(registered)
    assert listed.candidates == ("320902", "321102")
    map_alias(registered, sub.agency_id, "320902")  # by the provisional id list-unregistered printed
    assert _facts(registered, "320902", 2021)["t3.new.total"] is not None


def test_a_renamed_agency_keeps_its_facts_under_the_name_of_each_year(registered: Engine) -> None:
    batch = [
        checked(make_report("洪泽区文化广电新闻出版局", 2019)),
        checked(make_report("洪泽区文化和旅游局", 2020)),
        checked(make_report("淮安市洪泽区文化和旅游局", 2021)),
        checked(make_report("清江浦区粮食局", 2020)),
        checked(make_report("清江浦区发展和改革局", 2021)),
    ]
    (result,) = Loader(registered).load(batch)
    assert [s.agency_id for s in result.submissions] == ["320813-D16"] * 3 + ["320812-D09", "320812-D10"]
    with registered.connect() as conn:
        named = conn.execute(
            text(
                "SELECT f.year, a.name, SUM(f.value) FROM fact_application f"
                " JOIN dim_agency a ON a.agency_id = f.agency_id AND a.valid_from <= f.year"
                " AND (a.valid_to IS NULL OR a.valid_to >= f.year)"
                " WHERE f.agency_id = '320813-D16' AND f.outcome_id = 'new' AND f.applicant_type_id = 'total'"
                " GROUP BY f.year, a.name ORDER BY f.year"
            )
        ).all()
        view = conn.execute(
            text("SELECT year, agency_name FROM v_agency_year WHERE agency_id = '320813-D16' ORDER BY year")
        ).all()
        merged = conn.execute(
            text(
                "SELECT year, agency_name, status FROM v_submission_status WHERE agency_id = '320812-D09' ORDER BY year"
            )
        ).all()
    names = {2019: "洪泽区文化广电新闻出版局", 2020: "洪泽区文化和旅游局", 2021: "洪泽区文化和旅游局"}
    assert [(y, n) for y, n, _ in named] == list(names.items())
    assert [tuple(r) for r in view] == list(names.items())
    assert [int(total) for _, _, total in named] == [
        _facts(registered, "320813-D16", y)["t3.new.total"] for y in names
    ]
    # merged into 320812-D10 after 2020: expected (missing) in 2019, loaded in 2020, not expected in 2021
    assert [tuple(r) for r in merged] == [
        (2019, "清江浦区粮食局", "missing"),
        (2020, "清江浦区粮食局", "loaded"),
    ]


def test_loading_a_year_asks_to_recheck_the_next(registered: Engine) -> None:
    loader = Loader(registered)
    loader.load([checked(make_report("宿城区教育局", 2021))])
    (result,) = loader.load([checked(make_report("宿城区教育局", 2020))])
    assert result.recheck == [("321302-D02", 2021)]


def test_a_finding_naming_an_unknown_rule_is_kept(registered: Engine) -> None:
    odd = Finding(
        rule="parse.cell_text", severity="soft", cells=["t3.new.natural"], printed="若干", message="x"
    )
    (sub,) = Loader(registered).load([checked(make_report("宿城区教育局", 2021), [odd])])[0].submissions
    with registered.connect() as conn:
        source = conn.execute(text("SELECT source FROM dim_rule WHERE rule_id = 'parse.cell_text'")).scalar()
        printed = conn.execute(
            text("SELECT printed FROM fact_finding WHERE submission_key = :k"), {"k": sub.submission_key}
        ).scalar()
    assert (source, printed) == ("unlisted", "若干")


def test_checked_submission_states() -> None:
    report = make_report("宿城区教育局", 2021)
    assert CheckedSubmission.of(report.source, report, [soft()]).state == "loaded"
    rejected = CheckedSubmission.of(report.source, report, [hard("t4.total")])
    assert (rejected.state, rejected.reason) == ("rejected", "未通过必须更正的检查：t4.total")
    assert CheckedSubmission.of(report.source, None, reason="empty file").state == "quarantined"
    with pytest.raises(ValueError):
        CheckedSubmission(source=report.source, report=report, findings=[hard()], state="loaded")
    with pytest.raises(ValueError):
        CheckedSubmission(source=report.source, report=None, state="quarantined")


def test_the_same_file_twice_in_one_chunk_is_stored_once(registered: Engine) -> None:
    item = checked(make_report("宿城区教育局", 2021))
    (result,) = Loader(registered).load([item, item])
    first, again = result.submissions
    assert (first.outcome, again.outcome) == ("loaded", "unchanged")
    assert first.submission_key == again.submission_key is not None
    with registered.connect() as conn:
        assert conn.execute(text("SELECT COUNT(*) FROM dim_submission")).scalar() == 1


@pytest.mark.parametrize(
    ("cell", "value"),
    [("t2.fees.amount", 1e30), ("t3.new.natural", 10**1000), ("t2.licensing.change", -(2**64))],
    ids=lambda v: v if isinstance(v, str) else f"{len(str(v))}-chars",
)
def test_a_value_no_column_can_hold_is_a_finding_and_the_chunk_goes_on(registered: Engine, cell, value) -> None:
    """Once a fee of 1e30 万元 raised NumericValueOutOfRange on PostgreSQL and failed the whole chunk."""
    poisoned = make_report("宿城区教育局", 2021)
    poisoned.cells[cell] = value
    good = make_report("亭湖区教育局", 2021)
    (result,) = Loader(registered).load([checked(poisoned), checked(good)])
    assert [s.outcome for s in result.submissions] == ["rejected", "loaded"]
    with registered.connect() as conn:
        stored = conn.execute(
            text("SELECT cell, message FROM fact_finding WHERE rule_id = 'values.domain'")
        ).one()
    assert stored.cell == cell and "数值过大" in stored.message and len(stored.message) < 200
    assert _facts(registered, "321302-D02", 2021) == {}
    assert _facts(registered, "320902-D02", 2021) != {}


def test_load_audit_numbers_a_runs_chunks(registered: Engine) -> None:
    """load_audit.chunk_no was always 0: the flow loads each chunk with a new Loader."""
    Loader(registered, "run-x", first_chunk=3).load_chunk([checked(make_report("宿城区教育局", 2021))])
    Loader(registered, "run-x", first_chunk=4).load_chunk([checked(make_report("亭湖区教育局", 2021))])
    with registered.connect() as conn:
        numbers = conn.execute(text("SELECT chunk_no FROM load_audit WHERE run_id = 'run-x' ORDER BY chunk_no")).scalars()
        assert list(numbers) == [3, 4]
