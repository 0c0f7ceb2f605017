"""The dashboard: its embedded figures equal the truth files' sums, it needs nothing from outside,
and headless Chromium renders it without a console error (skipped, saying why, without Chromium)."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from sqlalchemy import Engine

from outputs.dashboard import dashboard_data, dashboard_html
from outputs.data import OfficeData, load_office_data

from ..warehouse.synthetic import Province
from .conftest import YEARS, truth_sums

YEAR = YEARS[-1]


@pytest.fixture(scope="module")
def data(province: Engine) -> OfficeData:
    with province.connect() as conn:
        return load_office_data(conn, YEAR)


def _embedded(page: str) -> dict:
    found = re.search(r'<script type="application/json" id="data">(.*?)</script>', page, re.S)
    assert found is not None
    return json.loads(found.group(1).replace("<\\/", "</"))


@pytest.mark.slow  # loads a generated province
def test_the_embedded_figures_are_the_truth_sums(corpus: Province, data: OfficeData) -> None:
    embedded = _embedded(dashboard_html(data))
    assert embedded == json.loads(json.dumps(dashboard_data(data), ensure_ascii=False, default=str))
    assert embedded["region"]["cells"] == truth_sums(corpus, YEAR)
    assert embedded["regions"]
    for region in embedded["regions"]:
        assert region["cells"] == truth_sums(corpus, YEAR, region["code"][:4])
    years = [str(y) for y in embedded["trends"]["years"]]
    assert years == [str(y) for y in YEARS]
    for year in YEARS:
        truth = truth_sums(corpus, year)
        assert embedded["trends"]["values"][str(year)] == {c: truth.get(c, 0) for c in embedded["trends"]["values"][str(year)]}
    marked = {r["agency_id"] for r in corpus.registry if r["consolidated"]}
    assert {f["id"] for f in embedded["consolidated"]} <= marked


@pytest.mark.slow
def test_the_page_needs_nothing_from_outside(data: OfficeData) -> None:
    page = dashboard_html(data)
    assert not re.search(r"<link|<img|\ssrc=|\shref=|@import|url\(", page)
    # the only address in the page is the SVG namespace, which is a name, never fetched
    assert set(re.findall(r"https?://[^'\"\s)]+", page)) == {"http://www.w3.org/2000/svg"}


@pytest.mark.slow
def test_chromium_renders_it_without_console_errors(data: OfficeData, tmp_path: Path) -> None:
    browser = shutil.which("chromium") or shutil.which("chromium-browser") or shutil.which("google-chrome")
    if browser is None:
        pytest.skip("no Chromium installed (apt-get install chromium): the dashboard was not opened in a browser")
    page = tmp_path / "dashboard.html"
    page.write_text(dashboard_html(data), encoding="utf-8")
    done = subprocess.run(
        [
            browser, "--headless", "--no-sandbox", "--disable-gpu", "--enable-logging=stderr", "--v=0",
            "--proxy-server=127.0.0.1:9",  # offline: any request would fail and be logged
            f"--user-data-dir={tmp_path / 'profile'}", "--virtual-time-budget=5000", "--dump-dom", page.as_uri(),
        ],
        capture_output=True, text=True, timeout=180,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    body = re.search(r"<body[^>]*>", done.stdout)
    assert body is not None and 'data-ready="1"' in body.group(0) and "data-error" not in body.group(0)
    console = [line for line in done.stderr.splitlines() if "CONSOLE" in line or "Uncaught" in line]
    assert console == []
    rows = done.stdout.count("<tr>")
    assert rows > len(data.agencies)  # the agency table was drawn, a row per agency


@pytest.mark.slow
def test_missing_and_late_agencies_on_the_dashboard_are_the_generators(corpus: Province, data: OfficeData) -> None:
    from datetime import date

    from form import output_words as words
    from warehouse.aggregation import deadline

    registry = corpus.registry_in(YEAR)
    files = [r for r in corpus.manifest.values() if int(r["year"]) == YEAR]
    published: dict[str, date] = {}
    for r in files:
        day = date.fromisoformat(r["published"])
        published[r["agency_id"]] = min(day, published.get(r["agency_id"], day))
    late = {a for a, day in published.items() if day > deadline(registry[a]["level"], YEAR)}  # type: ignore[operator]
    agencies = dashboard_data(data)["agencies"]
    assert {a["id"] for a in agencies if a["status"] == words.STATUS_WORDS["missing"]} == set(registry) - set(published)
    assert {a["id"] for a in agencies if a["late"]} == late
