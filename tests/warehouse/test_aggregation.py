"""The provincial aggregation: sums by scope, completeness, lateness, pass rates — stored and idempotent.

Two provinces: the small test registry with hand-picked cases (a late department, a government
on time in February, a rejected latest, a provisional agency, a correction, an unread file), and
a synthetic province run through the real pipeline (synth files → readers → GX checks → loader)
whose 汇总 must equal the sum of its truth files.
"""

from __future__ import annotations

import csv
import json
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import Engine

from form.catalogue import cell_spec
from form.record import Report
from warehouse.aggregation import agency_statuses, aggregate, deadline, read_aggregation
from warehouse.engine import make_engine
from warehouse.loader import Loader
from warehouse.previous_year import previous_year_report, previous_year_reports
from warehouse.queries import AMOUNT_DECIMALS, region_prefix, table_checksums
from warehouse.records import CheckedSubmission
from warehouse.registry import load_registry
from warehouse.registry_matcher import load_matcher, provisional_id
from warehouse.reload import plan_reload
from warehouse.schema import AGG_TABLES

from .builders import checked, hard, make_report, quarantined

JAN, FEB = datetime(2022, 1, 10), datetime(2022, 2, 10)
DERIVED = tuple(t for t in AGG_TABLES if t != "agg_run")  # agg_run says when: it changes every time


def _sum(reports: list[dict[str, int | float | None]]) -> dict[str, int | float]:
    """Cells summed with blanks as 0, in the stored precision (independent of the warehouse)."""
    sums: dict[str, Decimal] = defaultdict(Decimal)
    for cells in reports:
        for cell, value in cells.items():
            sums[cell] += Decimal(str(value)) if value is not None else Decimal(0)
    return {
        c: round(float(v), AMOUNT_DECIMALS) if cell_spec(c).kind == "amount" else int(v)
        for c, v in sums.items()
    }


def _dated(report: Report, published: date) -> Report:
    return report.model_copy(update={"published": published})


def _more_scopes() -> list[tuple[str, str]]:
    """Status scopes of the test province with expected agencies but no facts in 2021."""
    counties = ("320812", "320902", "321102")
    return [*(("county", c) for c in counties), ("level", "province"), ("level", "city")]


# ---- a hand-made year --------------------------------------------------------------------------


def test_a_year_of_the_test_province(registered: Engine) -> None:
    county = _dated(make_report("淮安市洪泽区人民政府", 2021), date(2022, 2, 15))  # government: 31 March
    late_dept = _dated(make_report("洪泽区教育局", 2021), date(2022, 2, 15))  # department: 31 January
    refused = make_report("清江浦区教育局", 2021)
    first = _dated(make_report("宿城区教育局", 2021), date(2022, 1, 5))
    corrected = _dated(make_report("宿城区教育局", 2021, salt="v2"), date(2022, 2, 20))
    stray = make_report("宿城区卫生健康局", 2021)
    Loader(registered, "load").load(
        [
            checked(county),
            checked(late_dept),
            checked(refused, [hard(), hard("t4.total", ["t4.review.total"])]),
            checked(first, received_at=JAN),
            checked(corrected, received_at=FEB),
            checked(stray),
            quarantined("scan.pdf"),
        ]
    )
    agg = aggregate(registered, 2021, run_id="agg-1")
    prov = provisional_id("宿城区卫生健康局")

    assert (agg.province_code, agg.reports, agg.run_id) == ("320000", 4, "agg-1")
    loaded = [county.cells, late_dept.cells, corrected.cells, stray.cells]  # not the refused, not the first
    assert agg.province == _sum(loaded)
    assert agg.totals("city", "320800") == _sum([county.cells, late_dept.cells])
    assert agg.totals("county", "320813") == _sum([county.cells, late_dept.cells])
    assert agg.totals("county", "321302") == _sum([corrected.cells])
    assert agg.totals("level", "department") == _sum([late_dept.cells, corrected.cells])
    assert agg.totals("level", "county") == _sum([county.cells])
    assert agg.totals("unassigned", "000000") == _sum([stray.cells])
    scopes = {kind: sorted(code for k, code in agg.cells if k == kind) for kind, _ in agg.cells}
    assert scopes == {
        "province": ["320000"],
        "city": ["320800", "321300"],  # a province-level agency belongs to no city
        "county": ["320813", "321302"],
        "level": ["county", "department"],
        "unassigned": ["000000"],
    }
    assert sorted(agg.status) == sorted({*agg.cells, ("city", "320900"), ("city", "321100"), *_more_scopes()})

    p = agg.status[("province", "320000")]
    # 16 registered agencies are active in 2021 (320812-D09 merged away after 2020)
    assert (p.expected, p.expected_submitted, p.missing, p.submitted, p.unexpected) == (16, 4, 12, 5, 1)
    assert (p.loaded, p.rejected, p.late, p.on_time, p.undated, p.quarantined) == (4, 1, 1, 3, 1, 1)
    assert p.completeness == pytest.approx(4 / 16) and p.pass_rate == pytest.approx(4 / 5)
    assert p.scope_name == "江苏省"
    sq = agg.status[("city", "321300")]
    assert (sq.scope_name, sq.expected, sq.expected_submitted, sq.loaded, sq.quarantined) == (
        "宿迁市",
        3,
        1,
        1,
        0,
    )
    dept = agg.status[("level", "department")]
    assert (dept.scope_name, dept.loaded, dept.rejected, dept.late) == ("部门", 2, 1, 1)
    un = agg.status[("unassigned", "000000")]
    assert (un.expected, un.submitted, un.unexpected, un.undated) == (0, 1, 1, 1)
    assert [(a.agency_id, a.hard_findings, a.status) for a in agg.worst] == [("320812-D02", 2, "rejected")]

    with registered.connect() as conn:
        rows = {a.agency_id: a for a in agency_statuses(conn, 2021)}
    assert (rows["321302-D02"].published, rows["321302-D02"].late) == (
        date(2022, 1, 5),
        False,
    )  # the first date
    assert (rows["320813"].deadline, rows["320813-D02"].deadline) == (date(2022, 3, 31), date(2022, 1, 31))
    assert (rows[prov].deadline, rows[prov].late, rows[prov].expected) == (None, None, False)
    assert rows["320900"].status == "missing" and rows["320900"].submissions == 0
    assert deadline("township", 2021) == date(2022, 3, 31) and deadline(None, 2021) is None

    with registered.connect() as conn:
        stored = table_checksums(conn, DERIVED)
        assert read_aggregation(conn, 2021) == agg
        assert read_aggregation(conn, 2020) is None
    again = aggregate(registered, 2021, run_id="agg-2")
    with registered.connect() as conn:
        assert table_checksums(conn, DERIVED) == stored  # replaced, not added to
        assert table_checksums(conn, ("agg_run",))["agg_run"][0] == 1
    assert again.run_id == "agg-2" and again.cells == agg.cells and again.status == agg.status

    # the refused report is read again without its defects: the next aggregation counts it
    fixed = CheckedSubmission.of(refused.source, refused, [])
    Loader(registered, "backfill").reload([fixed])
    with registered.begin() as conn:
        third = aggregate(conn, 2021)
    assert third.province == _sum([*loaded, refused.cells])
    assert third.status[("province", "320000")].rejected == 0 and third.worst == []


# ---- a synthetic province through the real pipeline --------------------------------------------

YEARS = range(2021, 2023)


@dataclass
class Corpus:
    folder: Path
    submissions: list[CheckedSubmission]
    #: file → manifest row, registry rows
    manifest: dict[str, dict[str, str]]
    registry: list[dict[str, str]]


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Corpus:
    """40 agencies × 2 years written by synth, read by the connectors, checked by the GX suites."""
    from connectors.document import UnreadableFile
    from connectors.reading import read_report
    from expectations.checking import check_reports
    from synth.province import generate

    folder = tmp_path_factory.mktemp("province")
    generate(folder, 40, YEARS, ("html", "docx", "txt"), 0.3, 7)
    with (folder / "manifest.csv").open(encoding="utf-8") as f:
        manifest = {row["file"]: row for row in csv.DictReader(f)}
    with (folder / "registry.csv").open(encoding="utf-8") as f:
        registry = list(csv.DictReader(f))
    start = datetime(2023, 2, 1)
    read: list[tuple[str, Report | None, str | None]] = []
    for name in manifest:  # manifest order: a correction comes after the file it corrects
        try:
            read.append((name, read_report(folder / "reports" / name), None))
        except UnreadableFile as exc:
            read.append((name, None, str(exc)))
    reports = [r for _, r, _ in read if r is not None]
    findings = iter(check_reports(reports))
    submissions = []
    for i, (name, report, reason) in enumerate(read):
        received = start + timedelta(minutes=i)
        if report is None:
            source = quarantined(name).source
            submissions.append(CheckedSubmission.of(source, None, reason=reason, received_at=received))
        else:
            submissions.append(
                CheckedSubmission.of(report.source, report, next(findings), received_at=received)
            )
    return Corpus(folder, submissions, manifest, registry)


@pytest.fixture(scope="module")
def province(corpus: Corpus, module_warehouse_url: str) -> Iterator[Engine]:
    engine = make_engine(module_warehouse_url)
    load_registry(engine, corpus.folder / "registry.csv", as_of=YEARS.stop)
    Loader(engine, "province").load(corpus.submissions, chunk_size=35)
    for year in YEARS:
        aggregate(engine, year, run_id="province")
    yield engine
    engine.dispose()


def _truth(corpus: Corpus, name: str) -> dict:
    return json.loads((corpus.folder / "truth" / f"{name}.json").read_text(encoding="utf-8"))


def _latest(corpus: Corpus, year: int, loaded_only: bool) -> dict[str, CheckedSubmission]:
    """Per agency: its latest file of `year` (latest loaded one when `loaded_only`), from the checks."""
    out: dict[str, CheckedSubmission] = {}
    for sub in corpus.submissions:
        row = corpus.manifest[Path(sub.source.path).name]
        if int(row["year"]) != year or sub.report is None or (loaded_only and sub.state != "loaded"):
            continue
        out[row["agency_id"]] = sub
    return out


def _registry(corpus: Corpus, year: int) -> dict[str, dict[str, str]]:
    return {
        r["agency_id"]: r
        for r in corpus.registry
        if int(r["valid_from"] or 0) <= year and (not r["valid_to"] or year <= int(r["valid_to"]))
    }


@pytest.mark.slow  # loads a generated province
@pytest.mark.parametrize("year", list(YEARS))
def test_province_totals_equal_the_truth_files(corpus: Corpus, province: Engine, year: int) -> None:
    latest = _latest(corpus, year, loaded_only=True)
    truth = {a: _truth(corpus, Path(s.source.path).name)["cells"] for a, s in latest.items()}
    with province.connect() as conn:
        agg = read_aggregation(conn, year)
    assert agg is not None and agg.reports == len(truth) > 20
    assert agg.province == _sum(list(truth.values()))
    city = next(r for r in corpus.registry if r["level"] == "city")["region_code"]
    in_city = [
        cells
        for a, cells in truth.items()
        if _registry(corpus, year)[a]["region_code"].startswith(region_prefix(city))
    ]
    assert agg.totals("city", city) == _sum(in_city) and 0 < len(in_city) < len(truth)
    levels = {a: _registry(corpus, year)[a]["level"] for a in truth}
    for level in ("department", "township"):
        assert agg.totals("level", level) == _sum([c for a, c in truth.items() if levels[a] == level])


@pytest.mark.parametrize("year", list(YEARS))
def test_completeness_lateness_and_pass_rate(corpus: Corpus, province: Engine, year: int) -> None:
    expected = _registry(corpus, year)
    latest = _latest(corpus, year, loaded_only=False)
    published: dict[str, date] = {}
    for sub in corpus.submissions:
        row = corpus.manifest[Path(sub.source.path).name]
        if int(row["year"]) == year and sub.report is not None:
            day = date.fromisoformat(_truth(corpus, row["file"])["published"])
            published[row["agency_id"]] = min(day, published.get(row["agency_id"], day))
    late = {a for a, day in published.items() if day > deadline(expected[a]["level"], year)}  # type: ignore[operator]
    with province.connect() as conn:
        agg = read_aggregation(conn, year)
    assert agg is not None
    p = agg.status[("province", agg.province_code)]
    assert (p.expected, p.expected_submitted, p.missing) == (
        len(expected),
        len(set(latest) & set(expected)),
        len(set(expected) - set(latest)),
    )
    loaded = sum(1 for s in latest.values() if s.state == "loaded")
    assert (p.submitted, p.loaded, p.rejected) == (len(latest), loaded, len(latest) - loaded)
    assert p.pass_rate == pytest.approx(loaded / len(latest))
    assert (p.late, p.on_time, p.undated) == (len(late), len(latest) - len(late), 0)
    hard = sorted(
        (
            (-sum(1 for f in s.findings if f.severity == "hard"), a)
            for a, s in latest.items()
            if s.state == "rejected"
        )
    )[:10]
    assert [(a.agency_id, a.hard_findings) for a in agg.worst] == [(a, -n) for n, a in hard]
    assert sum(s.expected for s in agg.scopes("city")) < p.expected  # province-level agencies are in no city
    assert sum(s.expected for s in agg.scopes("level")) == p.expected


def test_aggregating_again_stores_the_same_rows(province: Engine) -> None:
    with province.connect() as conn:
        before = table_checksums(conn, DERIVED)
    aggregate(province, 2022, run_id="again")
    with province.connect() as conn:
        assert table_checksums(conn, DERIVED) == before
        assert read_aggregation(conn, 2022).run_id == "again"  # type: ignore[union-attr]


def test_previous_year_reports_in_bulk_on_the_province(corpus: Corpus, province: Engine) -> None:
    items = [
        (s.report.agency, s.report.year) for s in corpus.submissions if s.report and s.report.year == 2022
    ]
    with province.connect() as conn:
        matcher = load_matcher(conn)
        bulk = previous_year_reports(conn, items, matcher)
        single = [previous_year_report(conn, a, y, matcher) for a, y in items]  # type: ignore[arg-type]
    assert bulk == single and sum(r is not None for r in bulk) > 20


def test_a_dry_run_of_the_whole_province_changes_nothing(corpus: Corpus, province: Engine) -> None:
    with province.connect() as conn:
        plan = plan_reload(conn, corpus.submissions)
    assert plan.changed_submissions() == [] and plan.pairs == [] and plan.reread == []
