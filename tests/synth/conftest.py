"""Shared synthetic provinces: one in memory for the rules, one on disk for the round trip."""

from __future__ import annotations

from pathlib import Path

import pytest

from synth.printed import PrintedReport
from synth.province import Corpus, build, generate
from tests.synth.rules_reference import Submission

YEARS = range(2019, 2025)
FORMATS = ("docx", "html", "txt")


def submission(report: PrintedReport) -> Submission:
    """What the reference rules read, taken from what the generator printed."""
    return Submission(
        year=report.printed_year,
        version=report.version,
        published=report.published,
        level=report.level,
        cells=report.cells,
        raw=report.texts,
        narrative_one="".join(report.narrative.get("一", [])),
        year_in_title=not report.title_undated,
    )


def finals(corpus: Corpus) -> dict[tuple[str, int], PrintedReport]:
    """Each agency-year's last submitted file (a correction supersedes the faulty one)."""
    return {(r.agency_id, r.year): r for r in corpus.reports}


@pytest.fixture(scope="session")
def province_2000() -> Corpus:
    """About 2,000 reports at --fault-rate 0.1, in memory."""
    return build(340, YEARS, FORMATS, 0.1, 2024)


@pytest.fixture(scope="session")
def small_province(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """About 300 report files on disk, faults at a higher rate so every kind shows up."""
    out = tmp_path_factory.mktemp("province")
    generate(out, 50, YEARS, FORMATS, 0.25, 11)
    return out
