"""`xxgk rules [--json]`: every rule the tool applies, in the words `form/rules.py` gives it.

An agency reading a finding, or an operator deciding whether a warning matters, can see each
rule's id, severity, what it checks (in Chinese and English) and the template versions it applies
to, without the project's documents.
"""

from __future__ import annotations

import argparse
import json

from form.catalogue import VERSIONS
from form.rules import RULE_SOURCES, RULE_VERSIONS, SEVERITY_EN, SEVERITY_ZH, RuleSpec

#: where each family of rules is checked
CHECKED_BY = {
    "form": "the template's checks (xxgk check, ingest)",
    "warehouse": "the warehouse, while placing a report",
    "aggregation": "the provincial aggregation (xxgk aggregate), across reports",
    "ocr": "the OCR reader of scanned reports (image-only PDFs, page images)",
}


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "rules",
        help="list every rule: id, severity, what it checks, template versions",
        description="Every rule xxgk applies: the template's (checked by `xxgk check` and `xxgk ingest`) "
        "and the warehouse's (placing a report in the agency registry). Hard rules must be corrected; "
        "soft ones are advice.",
    )
    p.add_argument("--json", action="store_true", help="one JSON object per rule per line")
    p.set_defaults(handler=run)


def rule_json(rule: RuleSpec, source: str) -> dict:
    """A rule in the `xxgk rules --json` shape."""
    return {
        "id": rule.id,
        "severity": rule.severity,
        "severity_zh": SEVERITY_ZH[rule.severity],
        "checked_by": source,
        "versions": list(RULE_VERSIONS.get(rule.id, VERSIONS)),
        "statement_zh": rule.statement_zh,
        "statement_en": rule.statement_en,
    }


def every_rule() -> list[dict]:
    """Every rule, hard ones first within each source, in the order form/rules.py lists them."""
    out = []
    for source, rules in RULE_SOURCES.items():
        for severity in ("hard", "soft"):
            out.extend(rule_json(r, source) for r in rules if r.severity == severity)
    return out


def run(args: argparse.Namespace) -> int:
    rules = every_rule()
    if args.json:
        for rule in rules:
            print(json.dumps(rule, ensure_ascii=False))
        return 0
    from rich.console import Console

    console = Console(highlight=False)
    for source, checked_by in CHECKED_BY.items():
        console.rule(f"rules checked by {checked_by}")
        for r in (r for r in rules if r["checked_by"] == source):
            style = "bold red" if r["severity"] == "hard" else "yellow"
            console.print(
                f"[bold]{r['id']}[/]  [{style}]{r['severity']} {r['severity_zh']}[/] "
                f"({SEVERITY_EN[r['severity']]}) · versions {', '.join(r['versions'])}"
            )
            console.print(f"    {r['statement_zh']}\n    [dim]{r['statement_en']}[/]")
    return 0
