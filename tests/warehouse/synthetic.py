"""A synthetic province written by synth, read by the connectors, checked by the GX suites and
loaded: the whole pipeline without Prefect, for tests that compare the warehouse with the truth."""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from sqlalchemy import Engine

from form.record import Report
from warehouse.aggregation import aggregate
from warehouse.loader import Loader
from warehouse.records import CheckedSubmission
from warehouse.registry import load_registry

from .builders import quarantined


@dataclass
class Province:
    folder: Path
    years: range
    submissions: list[CheckedSubmission]
    #: file → manifest row
    manifest: dict[str, dict[str, str]]
    registry: list[dict[str, str]]

    def csv_rows(self, name: str) -> list[dict[str, str]]:
        with (self.folder / name).open(encoding="utf-8") as f:
            return list(csv.DictReader(f))

    def truth(self, file: str) -> dict:
        return json.loads((self.folder / "truth" / f"{file}.json").read_text(encoding="utf-8"))

    def loaded(self, year: int) -> dict[str, str]:
        """agency id → the file whose figures the warehouse holds for `year` (its latest loaded)."""
        out: dict[str, str] = {}
        for sub in self.submissions:
            row = self.manifest[Path(sub.source.path).name]
            if int(row["year"]) == year and sub.report is not None and sub.state == "loaded":
                out[row["agency_id"]] = row["file"]
        return out

    def registry_in(self, year: int) -> dict[str, dict[str, str]]:
        return {
            r["agency_id"]: r
            for r in self.registry
            if int(r["valid_from"] or 0) <= year and (not r["valid_to"] or year <= int(r["valid_to"]))
        }


def write_and_check(
    folder: Path, agencies: int, years: range, fault_rate: float, seed: int, consolidated: int = 0
) -> Province:
    """Generate the province into `folder` and read and check every file (no database yet)."""
    from connectors.document import UnreadableFile
    from connectors.reading import read_report
    from expectations.checking import check_reports
    from synth.province import generate

    generate(folder, agencies, years, ("html", "docx", "txt"), fault_rate, seed, consolidated=consolidated)
    province = Province(folder, years, [], {}, [])
    province.manifest = {row["file"]: row for row in province.csv_rows("manifest.csv")}
    province.registry = province.csv_rows("registry.csv")
    read: list[tuple[str, Report | None, str | None]] = []
    for name in province.manifest:  # manifest order: a correction comes after the file it corrects
        try:
            read.append((name, read_report(folder / "reports" / name), None))
        except UnreadableFile as exc:
            read.append((name, None, str(exc)))
    findings = iter(check_reports([r for _, r, _ in read if r is not None]))
    start = datetime(years.stop, 2, 1)
    for i, (name, report, reason) in enumerate(read):
        received = start + timedelta(minutes=i)
        if report is None:
            source = quarantined(name).source
            province.submissions.append(CheckedSubmission.of(source, None, reason=reason, received_at=received))
        else:
            province.submissions.append(
                CheckedSubmission.of(report.source, report, next(findings), received_at=received)
            )
    return province


def load(province: Province, engine: Engine) -> None:
    """Registry, every file, and the aggregation of every year."""
    load_registry(engine, province.folder / "registry.csv", as_of=province.years.stop)
    Loader(engine, "province").load(province.submissions, chunk_size=50)
    for year in province.years:
        aggregate(engine, year, run_id="province")


@contextmanager
def loaded_warehouse(corpus: Province, url: str) -> Iterator[Engine]:
    """An engine on `url` with the corpus loaded (and aggregated, as `load` does), disposed after."""
    from warehouse.engine import make_engine

    engine = make_engine(url)
    load(corpus, engine)
    try:
        yield engine
    finally:
        engine.dispose()
