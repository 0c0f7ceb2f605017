"""`xxgk check FILE... [--previous FILE...] [--json] [--data-docs DIR]`: an agency's self-check.

Parses each file and runs every rule of the template on it (the GX suites in `expectations/`;
`xxgk rules` lists them) without touching a warehouse. `--previous` supplies last year's reports for the cross-year rules; each
file is paired with the report of the same agency (names matched as a person would: 洪泽区人民政府
is 淮安市洪泽区人民政府) on the year before. Without `--previous`, the files checked pair with each
other, so checking two years at once checks the later one's carryover. Exit code: 2 when any file could
not be read (the check is incomplete), else 1 when any file has a hard finding, else 0.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from flows.commands.parse import read_each
from flows.errors import EXIT_REJECTED, EXIT_UNREADABLE
from flows.presenting import json_line
from flows.records import FileSource
from form.record import Finding, Report
from form.result_words import (
    CHECK_SUMMARY,
    FAILED,
    FINDINGS_COLUMNS,
    NO_FINDINGS,
    PASSED,
    REPORT_HEADING,
    UNREADABLE,
)
from form.rules import SEVERITY_ZH

EXIT_HARD = EXIT_REJECTED

_SEVERITY_STYLE = {"hard": "bold red", "soft": "yellow", "not_checkable": "dim"}


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "check",
        help="check report files against every rule (no warehouse)",
        description="Parse report files and check them against every hard and soft rule of the template "
        "(`xxgk rules` lists them, with what each checks). "
        "Exit code 1 when a file has a hard finding, 2 when a file could not be read.",
    )
    p.add_argument("files", nargs="+", type=Path, metavar="FILE", help="report files or folders")
    p.add_argument(
        "--previous",
        nargs="+",
        type=Path,
        default=[],
        metavar="FILE",
        help="last year's reports (files or folders) for the cross-year rules, paired by agency",
    )
    p.add_argument("--json", action="store_true", help="one JSON object per file per line")
    p.add_argument(
        "--data-docs", type=Path, metavar="DIR", help="build Great Expectations Data Docs into DIR"
    )
    p.set_defaults(handler=run)


def finding_json(f: Finding) -> dict:
    """A finding in the `xxgk check --json` shape."""
    return {
        "rule": f.rule,
        "severity": f.severity,
        "cells": f.cells,
        "printed": f.printed,
        "expected": f.expected,
        "message": f.message,
        "previous": f.previous,
    }


def status_of(findings: list[Finding]) -> str:
    return "fail" if any(f.severity == "hard" for f in findings) else "pass"


def report_json(report: Report, findings: list[Finding]) -> dict:
    return {
        "source": FileSource(**report.source.model_dump()).model_dump(mode="json"),
        "agency": report.agency,
        "year": report.year,
        "status": status_of(findings),
        "findings": [finding_json(f) for f in findings],
    }


def _read(paths: list[Path]) -> tuple[list[tuple[Path, Report | None, str | None]], int]:
    out = list(read_each(paths))
    for path, _report, reason in out:
        if reason is not None:
            print(f"xxgk: {path}: {reason}", file=sys.stderr)
    return out, sum(1 for _, r, _ in out if r is None)


def run(args: argparse.Namespace) -> int:
    from expectations.checking import check_reports
    from expectations.pairing import pair_previous
    from expectations.validate import Validator
    from form.ocr_repair import with_carryover

    results, unreadable = _read(args.files)
    previous_results, previous_unreadable = _read(args.previous)
    reports = [r for _, r, _ in results if r is not None]
    # last year's reports as given; without --previous, the files checked pair with each other
    pool = [r for _, r, _ in previous_results if r is not None] if args.previous else reports

    findings: list[list[Finding]] = []
    if reports:
        validator = Validator(data_docs_dir=args.data_docs)
        pairs = pair_previous(reports, pool)
        # a scan's cells left uncertain may be settled by last year's report (its carryover)
        reports = [with_carryover(r, p.report) for r, p in zip(reports, pairs, strict=True)]
        findings = check_reports(reports, pairs, validator=validator)
        docs = validator.build_data_docs()
        if docs is not None:
            print(f"xxgk: Data Docs: {docs}", file=sys.stderr)

    by_report = iter(findings)
    checked: list[tuple[Report, list[Finding]]] = []
    for path, report, reason in results:
        if report is None:
            if args.json:
                line = {
                    "source": FileSource.of_path(path).model_dump(mode="json"),
                    "agency": None,
                    "year": None,
                    "status": "unreadable",
                    "reason": reason,
                    "findings": [],
                }
                print(json_line(line), flush=True)
            continue
        found = next(by_report)
        checked.append((report, found))
        if args.json:
            print(json_line(report_json(report, found)), flush=True)
    if not args.json:
        print_findings(checked, [(p, r) for p, _, r in results if r is not None])

    if unreadable or previous_unreadable:
        return EXIT_UNREADABLE
    if any(status_of(f) == "fail" for _, f in checked):
        return EXIT_HARD
    return 0


def print_findings(
    checked: list[tuple[Report, list[Finding]]], unreadable: list[tuple[Path, str | None]]
) -> None:
    """A table per file with its findings, in Chinese; a summary line at the end."""
    from rich.console import Console
    from rich.table import Table

    console = Console()
    for report, findings in checked:
        status = status_of(findings)
        heading = REPORT_HEADING.format(path=report.source.path, agency=report.agency or "?", year=report.year or "?")
        title = f"{heading} — " + (f"[bold red]{FAILED}[/]" if status == "fail" else f"[green]{PASSED}[/]")
        if not findings:
            console.print(NO_FINDINGS.format(title=title))
            continue
        table = Table(title=title, title_justify="left", show_lines=True, expand=True)
        severity, rule, explanation = FINDINGS_COLUMNS
        table.add_column(severity, no_wrap=True)
        table.add_column(rule, no_wrap=True)
        table.add_column(explanation, overflow="fold", ratio=1)
        for f in findings:
            table.add_row(f"[{_SEVERITY_STYLE[f.severity]}]{SEVERITY_ZH[f.severity]}[/]", f.rule, f.message)
        console.print(table)
    for path, reason in unreadable:
        console.print(UNREADABLE.format(path=f"[bold red]{path}[/]", reason=reason))
    failed = sum(1 for _, f in checked if status_of(f) == "fail")
    console.print(CHECK_SUMMARY.format(checked=len(checked), failed=failed, unreadable=len(unreadable)))
