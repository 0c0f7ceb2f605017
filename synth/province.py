"""A whole synthetic province: every agency's reports for every year, their truth, and the faults.

`build` is pure (the seed decides everything); `generate` writes the corpus:

    DIR/registry.csv            the agencies expected to report, one row per name period
    DIR/reports/<id>_<year>.<ext>        one file per submitted report (…_v2.<ext>: a correction)
    DIR/truth/<report file>.json          what each file prints, in the `xxgk parse --json` shape
    DIR/faults.csv              file,rule,cells,printed,expected: every rule each faulty file trips
    DIR/manifest.csv            per file: agency, year, format, version, date, what it supersedes
    DIR/consolidated.csv        file,agency_id,year,cell,printed,members,cause: every cell where a
                                consolidated report differs from its members' loaded reports
                                (`synth.consolidated`; only with consolidated governments)
"""

from __future__ import annotations

import csv
import json
import random
import shutil
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from form.catalogue import VERSION_SINCE, Version, version_for_year
from form.registry_format import REGISTRY_COLUMNS
from synth import consolidated as cons
from synth import deadlines, faults, layouts, narrative
from synth.printed import PrintedReport, print_cells
from synth.registry import Agency, build_registry, registry_rows
from synth.values import YearFigures, series, view
from synth.writers import writer_for

FAULTS_HEADER = ("file", "rule", "cells", "printed", "expected")
MANIFEST_HEADER = ("file", "agency_id", "year", "format", "version", "published", "supersedes", "rules", "layout")
#: Share of agency-years with no report at all, so completeness can be measured.
MISSING_RATE = 0.03
#: Chance that a faulty report is followed by a corrected one (hard rules / soft rules).
CORRECTION_RATE = (0.5, 0.25)


@dataclass
class Corpus:
    agencies: tuple[Agency, ...]
    years: range
    reports: list[PrintedReport] = field(default_factory=list)
    #: (agency id, year) the registry expects but nobody submitted
    missing: list[tuple[str, int]] = field(default_factory=list)
    #: consolidated.csv rows: the differences the aggregation must find (synth.consolidated)
    consolidation: list[tuple[str, ...]] = field(default_factory=list)


@dataclass(frozen=True)
class Summary:
    agencies: int
    reports: int
    faulty: int
    corrections: int
    missing: int
    by_format: dict[str, int]
    by_rule: dict[str, int]


def template_for(year: int) -> Version:
    """The template version a careful agency prints for `year`; none exists before 2019."""
    version = version_for_year(year)
    if version is None:
        raise ValueError(f"no template for report year {year}: the first is {VERSION_SINCE[-1][0]}")
    return version


def parse_years(text: str) -> range:
    """'2019-2024' or '2022' as a range of years."""
    first, _, last = text.partition("-")
    start, stop = int(first), int(last or first)
    if stop < start:
        raise ValueError(f"years {text!r} run backwards")
    return range(start, stop + 1)


def clean_report(
    agency: Agency, year: int, fmt: str, rng: random.Random, figures: dict[int, YearFigures]
) -> PrintedReport:
    """The agency's report on `year` as a careful agency prints it: on time, on the right tables."""
    layout = layouts.choose(rng, fmt)
    version = template_for(year)
    report = PrintedReport(
        file=f"{agency.id}_{year}.{fmt}",
        agency_id=agency.id,
        agency=agency.name_in(year),
        level=agency.level,
        own_government=agency.is_own_government_report,
        year=year,
        version=version,
        published=deadlines.on_time(rng, agency, year),
        layout=layout,
    )
    print_cells(report, view(figures[year], version, with_entities=layout.entities))
    return report


class _Run:
    """What spreads over the whole province: the format rotation, fault counts, missing reports."""

    def __init__(self, formats: tuple[str, ...], fault_rate: float, seed: int) -> None:
        for fmt in formats:
            layouts.choose(random.Random(0), fmt)  # rejects an unknown format early
        if not formats:
            raise ValueError("at least one format is needed")
        if not 0 <= fault_rate <= 1:
            raise ValueError("fault rate must be between 0 and 1")
        self.formats = formats
        self.fault_rate = fault_rate
        self.seed = seed
        self.files = 0
        self.rule_counts = dict.fromkeys(faults.RULES, 0)
        self.missing: list[tuple[str, int]] = []
        #: the true figures of the agency generated last
        self.figures: dict[int, YearFigures] = {}
        #: file → cells changed by an injected consolidation fault
        self.injected: dict[str, set[str]] = {}

    def next_format(self) -> str:
        fmt = self.formats[self.files % len(self.formats)]
        self.files += 1
        return fmt

    def pick_rule(self, candidates: list[str], rng: random.Random) -> str:
        """The applicable rule injected least so far, so every kind appears in a modest corpus."""
        rule = min(candidates, key=lambda r: (self.rule_counts[r], rng.random()))
        self.rule_counts[rule] += 1
        return rule


def _agency_reports(
    agency: Agency,
    years: range,
    run: _Run,
    region: dict[int, YearFigures] | None = None,
    compared: bool = False,
) -> Iterator[PrintedReport]:
    """The agency's files year by year; a consolidated government prints its `region`'s figures.

    A `compared` agency (a consolidated government or one of its members) gets no
    carryover.requests fault: whether that rule can be checked depends on which of last year's
    files the checker pairs, so whether the file loads could not be foretold for consolidated.csv.
    """
    rng = random.Random(f"{run.seed}:agency:{agency.id}")
    figures = series(agency, years, rng) if region is None else region
    run.figures = figures
    previous: PrintedReport | None = None
    for year in sorted(figures):
        if rng.random() < MISSING_RATE:
            run.missing.append((agency.id, year))
            previous = None
            continue
        fmt = run.next_format()
        clean = clean_report(agency, year, fmt, rng, figures)
        if rng.random() >= run.fault_rate:
            if region is not None and rng.random() < cons.FAULT_RATE:
                run.injected[clean.file] = cons.inject(clean, rng)
            clean.narrative = narrative.build(clean, rng)
            previous = clean
            yield clean
            continue
        ctx = faults.Context(agency, figures[year], previous)
        candidates = [r for r in faults.RULES if faults.applicable(r, clean, ctx)]
        if compared:
            candidates = [r for r in candidates if r not in cons.UNFORESEEABLE]
        rule = run.pick_rule(candidates, rng)
        faulty = faults.inject(rule, clean, ctx, rng)
        faulty.narrative = narrative.build(faulty, rng)
        yield faulty
        previous = faulty
        if rng.random() < CORRECTION_RATE[0 if rule in faults.HARD_RULES else 1]:
            corrected = clean.copy(file=f"{agency.id}_{year}_v2.{fmt}", supersedes=faulty.file)
            corrected.narrative = narrative.build(corrected, rng)
            previous = corrected
            yield corrected


def iter_reports(corpus: Corpus, formats: Iterable[str], fault_rate: float, seed: int) -> Iterator[PrintedReport]:
    """Every report of the province in order, generated lazily; gaps land in `corpus.missing`."""
    run = _Run(tuple(formats), fault_rate, seed)
    run.missing = corpus.missing
    regions = {
        a.id: cons.Region(a, frozenset(m.id for m in cons.members_of(a, corpus.agencies)))
        for a in corpus.agencies
        if a.consolidated
    }
    region_of = {m: r for r in regions.values() for m in r.members}
    for agency in corpus.agencies:
        if agency.consolidated:
            continue  # after its members: it prints their sum
        finals: dict[int, PrintedReport] = {}
        for report in _agency_reports(agency, corpus.years, run, compared=agency.id in region_of):
            finals[report.year] = report
            yield report
        if agency.id in region_of:
            region_of[agency.id].add_member(run.figures, finals)
    for region in regions.values():
        finals = {}
        for report in _agency_reports(region.agency, corpus.years, run, region.year_figures(), compared=True):
            finals[report.year] = report
            yield report
        for report in finals.values():
            corpus.consolidation.extend(region.differences(report, run.injected.get(report.file, set())))


def registry_for(agencies: int, years: range, seed: int, consolidated: int = 0) -> Corpus:
    """The province's agencies over `years`, with no reports yet; `consolidated` county
    governments report their whole county (synth.consolidated)."""
    template_for(years.start)  # refuse years without a template before anything is written
    registry = build_registry(agencies, years, random.Random(f"{seed}:registry"))
    if consolidated:
        registry = cons.mark(registry, years, consolidated, random.Random(f"{seed}:consolidated"))
    return Corpus(registry, years)


def build(
    agencies: int, years: range, formats: Iterable[str], fault_rate: float, seed: int, consolidated: int = 0
) -> Corpus:
    """Every report of the province, in memory: registry, printed reports with faults, gaps."""
    corpus = registry_for(agencies, years, seed, consolidated)
    corpus.reports = list(iter_reports(corpus, formats, fault_rate, seed))
    return corpus


def _layout_text(report: PrintedReport) -> str:
    lay = report.layout
    flags = [f"t2={lay.t2_style}", f"t3={lay.t3_style}", f"t4={lay.t4_style}", f"zero={lay.zero or 'blank'}"]
    for name in ("entities", "t3_split", "header_breaks", "fullwidth", "vertical_labels", "wrapped", "yuan"):
        if getattr(lay, name):
            flags.append(name)
    if report.other_single_row:
        flags.append("other_single_row")
    if lay.encoding != "utf-8":
        flags.append(lay.encoding)
    return ";".join(flags)


def _write_csv(path: Path, header: tuple[str, ...], rows: Iterable[tuple[str, ...]]) -> None:
    with path.open("w", encoding="utf-8", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(header)
        w.writerows(rows)


def _prepare(out: Path) -> None:
    """An empty output folder, or a previous corpus's (whose reports and truth are replaced)."""
    if out.exists() and any(out.iterdir()) and not (out / "registry.csv").exists():
        raise FileExistsError(f"{out} is not empty and holds no earlier synthetic province")
    for sub in ("reports", "truth"):
        if (out / sub).exists():
            shutil.rmtree(out / sub)
        (out / sub).mkdir(parents=True)


def write_report(report: PrintedReport, out: Path) -> None:
    (out / "reports" / report.file).write_bytes(writer_for(report.layout.format)(report))
    truth = json.dumps(report.truth(), ensure_ascii=False, indent=1)
    (out / "truth" / f"{report.file}.json").write_text(truth + "\n", encoding="utf-8")


def _manifest_row(r: PrintedReport) -> tuple[str, ...]:
    return (
        r.file,
        r.agency_id,
        str(r.year),
        r.layout.format,
        r.version,
        r.published.isoformat(),
        r.supersedes,
        ";".join(dict.fromkeys(f.rule for f in r.faults)),
        _layout_text(r),
    )


def generate(
    out_dir: str | Path,
    agencies: int,
    years: range,
    formats: Iterable[str],
    fault_rate: float,
    seed: int,
    progress: Callable[[], object] | None = None,
    consolidated: int = 0,
) -> Summary:
    """Write the province to `out_dir`; the same arguments give byte-identical files.

    Reports are written as they are generated, so memory stays flat however large the province.
    """
    out = Path(out_dir)
    corpus = registry_for(agencies, years, seed, consolidated)
    reports = iter_reports(corpus, formats, fault_rate, seed)
    _prepare(out)
    _write_csv(out / "registry.csv", REGISTRY_COLUMNS, registry_rows(corpus.agencies, years))
    fault_rows: list[tuple[str, ...]] = []
    manifest: list[tuple[str, ...]] = []
    tally = _Tally()
    for report in reports:
        write_report(report, out)
        fault_rows.extend(f.as_csv() for f in report.faults)
        manifest.append(_manifest_row(report))
        tally.add(report)
        if progress is not None:
            progress()
    _write_csv(out / "faults.csv", FAULTS_HEADER, fault_rows)
    _write_csv(out / "manifest.csv", MANIFEST_HEADER, manifest)
    _write_csv(out / "consolidated.csv", cons.HEADER, corpus.consolidation)
    return tally.summary(len(corpus.agencies), len(corpus.missing))


class _Tally:
    def __init__(self) -> None:
        self.reports = self.faulty = self.corrections = 0
        self.by_format: dict[str, int] = {}
        self.by_rule: dict[str, int] = {}

    def add(self, r: PrintedReport) -> None:
        self.reports += 1
        self.faulty += bool(r.faults)
        self.corrections += bool(r.supersedes)
        self.by_format[r.layout.format] = self.by_format.get(r.layout.format, 0) + 1
        for f in r.faults:
            self.by_rule[f.rule] = self.by_rule.get(f.rule, 0) + 1

    def summary(self, agencies: int, missing: int) -> Summary:
        return Summary(
            agencies=agencies,
            reports=self.reports,
            faulty=self.faulty,
            corrections=self.corrections,
            missing=missing,
            by_format=dict(sorted(self.by_format.items())),
            by_rule=dict(sorted(self.by_rule.items())),
        )
