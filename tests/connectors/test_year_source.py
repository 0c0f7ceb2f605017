"""Where a report's year was read (issue 14 §8 and Plausibility): a title without a year never
puts a report under the next year; a year taken from anywhere but the title is marked on the
report, named as a problem, and told to the agency as the soft finding year.in_title."""

from __future__ import annotations

import json
import re
from datetime import date
from pathlib import Path

import pytest

from connectors.reading import reading_of
from expectations.checking import check_reports
from flows import cli
from form.deadlines import year_published_for
from mail.content import Submitted, build_report
from mail.render_text import text_body
from synth.province import generate
from tests.conftest import SAMPLES

HAINING = SAMPLES / "海宁市人民政府办公室_2021.txt"
HAINING_TITLE = "2021年度政府信息公开工作年度报告"
UNDATED_TITLE = "政府信息公开工作年度报告"


def _without_title_year(text: str, title: str) -> bytes:
    assert title in text
    return text.replace(title, UNDATED_TITLE, 1).encode("utf-8")


def test_the_year_before_publication() -> None:
    assert year_published_for(date(2022, 1, 24)) == 2021
    assert year_published_for(date(2022, 11, 3)) == 2021  # published late, still on the year before


def test_a_titled_year_is_marked_as_from_the_title() -> None:
    report = reading_of(HAINING.read_bytes(), str(HAINING)).report
    assert (report.year, report.year_source) == (2021, "title")
    assert not [p for p in report.problems if "report year" in p.reason]


def test_a_real_report_with_the_year_removed_from_its_title() -> None:
    """The 海宁 report without 2021年度 in its title: 2021 from its signature date 2022-01-24,
    marked, and its agency still read from the lines above the title."""
    data = _without_title_year(HAINING.read_text(encoding="utf-8"), HAINING_TITLE)
    report = reading_of(data, "haining.txt").report
    assert (report.year, report.year_source, report.published) == (2021, "published", date(2022, 1, 24))
    assert report.agency == "海宁市人民政府办公室"  # was 六、其他需要报告的事项: a sentence read as the title
    assert [p.reason for p in report.problems if "report year" in p.reason] == [
        "report year not printed in the title: 2021, taken as the year before the publication date 2022-01-24"
    ]


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    folder = tmp_path_factory.mktemp("province")
    generate(folder, 6, range(2021, 2022), ("txt",), 0.0, seed=5)
    return sorted((folder / "reports").glob("*_2021.txt"))


def test_generated_reports_without_a_title_year_are_not_put_under_the_next_year(generated: list[Path]) -> None:
    """The issue's defect: the only year such a text names is often the signature's (2022),
    which the report was loaded under; each is on 2021."""
    removed = [re.subn(r"2021年度?(?=政府信息公开)", "", _text(p), count=1) for p in generated]
    undated = [(text, n) for text, n in removed if n == 1]  # titles laid out so (others break it over lines)
    assert len(undated) >= 3
    assert any(re.findall(r"20\d\d年", text) == ["2022年"] for text, _ in undated)  # only the signature's year
    for text, _ in undated:
        report = reading_of(text.encode("utf-8"), "undated.txt").report
        assert (report.year, report.year_source) == (2021, "published")


def _text(path: Path) -> str:
    """A generated text report (some are written in GB18030, as agencies do)."""
    data = path.read_bytes()
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("gb18030")


def test_the_statistics_period_names_the_year() -> None:
    text = HAINING.read_text(encoding="utf-8")
    period = "本报告统计期限自2021年1月1日起至2021年12月31日止。"
    data = _without_title_year(text, HAINING_TITLE).decode().replace("一、总体情况", f"{period}\n\n一、总体情况", 1)
    report = reading_of(data.encode(), "period.txt").report
    assert (report.year, report.year_source) == (2021, "period")


def test_parse_json_and_the_quality_report_say_it(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    undated = tmp_path / "undated.txt"
    undated.write_bytes(_without_title_year(HAINING.read_text(encoding="utf-8"), HAINING_TITLE))
    assert cli.main(["parse", str(undated), "--json"]) == 0
    record = json.loads(capsys.readouterr().out.splitlines()[0])
    assert (record["year"], record["year_source"]) == (2021, "published")
    assert any("not printed in the title" in p["reason"] for p in record["problems"])

    report = reading_of(undated.read_bytes(), str(undated)).report
    (findings,) = check_reports([report])
    soft = [f for f in findings if f.rule == "year.in_title"]
    assert [(f.severity, f.message) for f in soft] == [
        ("soft", "标题未写明报告年度，已按发布日期的上一年推定为2021年度，请在标题中写明年度。")
    ]
    mail = text_body(build_report(Submitted(1, str(undated), None, "loaded", year=2021, findings=findings)))
    assert "标题未写明报告年度" in mail

    titled = reading_of(HAINING.read_bytes(), str(HAINING)).report
    assert not [f for f in check_reports([titled])[0] if f.rule == "year.in_title"]


@pytest.mark.parametrize("fmt", ["docx", "html", "txt"])
def test_the_synth_fault_year_in_title_is_read_and_found(fmt: str) -> None:
    """A generated report whose title prints no year (synth fault year.in_title), in each format:
    read on its year from the publication date, and the soft finding raised."""
    import random

    from synth import faults
    from synth.province import clean_report
    from synth.registry import build_registry
    from synth.values import series
    from synth.writers import writer_for

    years = range(2020, 2024)
    checked = 0
    for agency in build_registry(12, years, random.Random(3))[:6]:
        rng = random.Random(agency.id)
        figures = series(agency, years, rng)
        for year in sorted(figures)[-1:]:
            clean = clean_report(agency, year, fmt, rng, figures)
            faulty = faults.inject("year.in_title", clean, faults.Context(agency, figures[year], None), rng)
            report = reading_of(writer_for(fmt)(faulty), f"r.{fmt}").report
            assert (report.year, report.year_source) == (year, "published"), faulty.file
            assert "year.in_title" in {f.rule for f in check_reports([report])[0]}
            checked += 1
    assert checked >= 3
