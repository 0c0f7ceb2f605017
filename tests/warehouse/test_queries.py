"""A synthetic province loaded whole: its consolidated totals come back from the facts exactly.

The province comes from synth/ (issue 3): registry with renames and merges, reports with faults
and corrections. Each report's truth is what a reader would produce; a report whose faults include
a hard rule is rejected, the rest load, and a correction arrives after the file it corrects. The
expected 汇总 of a year is computed here, independently, from the truth of the latest loaded
report of each agency.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal

import pytest
from sqlalchemy import Engine, text

from form.catalogue import cell_spec
from form.record import Finding, Report, Source
from form.rules import RULES_BY_ID
from warehouse.engine import make_engine
from warehouse.loader import Loader
from warehouse.previous_year import previous_year_report
from warehouse.queries import (
    AMOUNT_DECIMALS,
    orphan_facts,
    province_totals,
    region_prefix,
)
from warehouse.records import CheckedSubmission, LoadResult
from warehouse.registry import load_registry_rows
from warehouse.registry_file import parse_registry

YEARS = range(2019, 2023)


@dataclass
class Province:
    engine: Engine
    corpus: object
    submissions: list[CheckedSubmission]
    results: list[LoadResult]


def _submissions(corpus: object) -> list[CheckedSubmission]:
    start = datetime(2023, 2, 1)
    out = []
    for i, printed in enumerate(corpus.reports):  # type: ignore[attr-defined]
        truth = printed.truth()
        body = json.dumps(truth, ensure_ascii=False, sort_keys=True) + printed.file
        source = Source(
            path=printed.file, sha256=hashlib.sha256(body.encode()).hexdigest(), media_type="text/html"
        )
        report = Report(source=source, **truth)
        findings = [
            Finding(
                rule=f.rule,
                severity=RULES_BY_ID[f.rule].severity,
                cells=list(f.cells),
                printed=";".join(f.printed),
                expected=";".join(f.expected),
            )
            for f in printed.faults
        ]
        out.append(CheckedSubmission.of(source, report, findings, received_at=start + timedelta(minutes=i)))
    return out


@pytest.fixture(scope="module")
def province(module_warehouse_url: str) -> Iterator[Province]:
    from form.registry_format import REGISTRY_COLUMNS
    from synth.province import build
    from synth.registry import registry_rows

    corpus = build(100, YEARS, ("html",), 0.25, 11)
    csv_text = io.StringIO()
    writer = csv.writer(csv_text, lineterminator="\n")
    writer.writerow(REGISTRY_COLUMNS)
    writer.writerows(registry_rows(corpus.agencies, YEARS))
    engine = make_engine(module_warehouse_url)
    rows, _ = parse_registry(csv_text.getvalue())
    with engine.begin() as conn:
        load_registry_rows(conn, rows, as_of=YEARS.stop)
    submissions = _submissions(corpus)
    results = Loader(engine, "province").load(submissions, chunk_size=150)
    yield Province(engine, corpus, submissions, results)
    engine.dispose()


def _expected(p: Province, year: int, region: str | None = None) -> dict[str, int | float | None]:
    """The 汇总 of `year` from the truth of each agency's latest loaded report."""
    latest: dict[str, CheckedSubmission] = {}
    region_of = {a.id: a.region for a in p.corpus.agencies}  # type: ignore[attr-defined]
    for printed, sub in zip(p.corpus.reports, p.submissions, strict=True):  # type: ignore[attr-defined]
        in_region = region is None or region_of[printed.agency_id].startswith(region_prefix(region))
        if sub.report.year == year and sub.state == "loaded" and in_region:  # type: ignore[union-attr]
            latest[printed.agency_id] = sub
    sums: dict[str, Decimal | None] = {}
    for sub in latest.values():
        for cell, value in sub.report.cells.items():  # type: ignore[union-attr]
            if value is None:
                sums.setdefault(cell, None)
            else:
                sums[cell] = (sums.get(cell) or Decimal(0)) + Decimal(str(value))
    return {
        cell: None
        if total is None
        else (round(float(total), AMOUNT_DECIMALS) if cell_spec(cell).kind == "amount" else int(total))
        for cell, total in sums.items()
    }


def test_every_report_found_its_registry_agency(province: Province) -> None:
    outcomes = [s for r in province.results for s in r.submissions]
    assert len(outcomes) == len(province.submissions)
    assert {s.match_method for s in outcomes} == {"exact"}
    by_file = {p.file: p.agency_id for p in province.corpus.reports}  # type: ignore[attr-defined]
    assert all(by_file[s.path] == s.agency_id for s in outcomes)
    assert {s.outcome for s in outcomes} == {"loaded", "rejected"}
    with province.engine.connect() as conn:
        assert set(orphan_facts(conn).values()) == {0}


@pytest.mark.parametrize("year", list(YEARS))
def test_province_totals_reproduce_the_truth_exactly(province: Province, year: int) -> None:
    with province.engine.connect() as conn:
        assert province_totals(conn, year) == _expected(province, year)


def test_a_city_total(province: Province) -> None:
    city = next(a for a in province.corpus.agencies if a.level == "city")  # type: ignore[attr-defined]
    with province.engine.connect() as conn:
        got = province_totals(conn, 2021, region_code=city.region)
        whole = province_totals(conn, 2021)
    assert got == _expected(province, 2021, city.region)
    assert 0 < got["t3.new.total"] < whole["t3.new.total"]


def test_views_agree_with_the_facts(province: Province) -> None:
    expected = _expected(province, 2022)
    with province.engine.connect() as conn:
        new = conn.execute(
            text(
                "SELECT SUM(requests) FROM v_applications WHERE year = 2022 AND outcome = 'new' AND applicant_type = 'total'"
            )
        ).scalar()
        grounds = dict(
            conn.execute(
                text("SELECT ground, SUM(requests) FROM v_refusal_grounds WHERE year = 2022 GROUP BY ground")
            ).all()
        )
        cases = conn.execute(
            text(
                "SELECT proceeding, result, SUM(cases) FROM v_litigation_outcomes WHERE year = 2022 GROUP BY proceeding, result"
            )
        ).all()
        levels = {r[0] for r in conn.execute(text("SELECT DISTINCT agency_level FROM v_applications"))}
    assert int(new) == expected["t3.new.total"]
    assert {g: int(v) for g, v in grounds.items() if v is not None} == {
        cell.split(".")[1]: v
        for cell, v in expected.items()
        if cell.endswith(".total")
        and cell.split(".")[1].startswith(("denied_", "unable_", "rejected_", "other_"))
        and v is not None
    }
    assert {(p, r): int(v) for p, r, v in cases if v is not None} == {
        tuple(c.split(".")[1:]): v for c, v in expected.items() if c.startswith("t4.") and v is not None
    }
    assert levels <= {"province", "city", "county", "township", "department"}


def test_submission_status_counts_the_missing_and_the_rejected(province: Province) -> None:
    corpus = province.corpus
    with province.engine.connect() as conn:
        status = conn.execute(text("SELECT agency_id, year, status FROM v_submission_status")).all()
    missing = {(a, y) for a, y, s in status if s == "missing"}
    assert missing == set(corpus.missing)  # type: ignore[attr-defined]
    latest: dict[tuple[str, int], str] = {}
    for printed, sub in zip(corpus.reports, province.submissions, strict=True):  # type: ignore[attr-defined]
        latest[(printed.agency_id, printed.year)] = sub.state
    assert {(a, y): s for a, y, s in status if s != "missing"} == latest


def test_previous_year_report_for_cross_year_rules(province: Province) -> None:
    lasting = {a.id for a in province.corpus.agencies if a.valid_to is None}  # type: ignore[attr-defined]
    pairs = list(zip(province.corpus.reports, province.submissions, strict=True))  # type: ignore[attr-defined]
    last_loaded: dict[str, CheckedSubmission] = {}
    for printed, sub in pairs:
        if printed.year == 2021 and sub.state == "loaded" and printed.agency_id in lasting:
            last_loaded[printed.agency_id] = sub
    agency_id, sub = sorted(last_loaded.items())[0]
    with province.engine.connect() as conn:
        found = previous_year_report(conn, sub.report.agency, 2022)  # type: ignore[union-attr]
        first = previous_year_report(conn, sub.report.agency, 2019)  # type: ignore[union-attr]
    assert first is None  # nothing before the first year: not checkable
    assert found is not None and found.source.sha256 == sub.source.sha256 and found.year == 2021
    assert found.cells == sub.report.cells  # type: ignore[union-attr]
    assert (found.agency, found.version, found.published) == (
        sub.report.agency,
        sub.report.version,
        sub.report.published,
    )  # type: ignore[union-attr]
