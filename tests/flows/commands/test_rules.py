"""`xxgk rules`: every rule of form/rules.py, once, in both languages, with its versions."""

from __future__ import annotations

import json

from flows import cli
from form.catalogue import VERSIONS
from form.rules import RULE_SOURCES, RULE_VERSIONS, SEVERITY_ZH

KEYS = {"id", "severity", "severity_zh", "checked_by", "versions", "statement_zh", "statement_en"}


def test_json_lists_every_rule_once_with_its_words(capsys) -> None:
    assert cli.main(["rules", "--json"]) == 0
    listed = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    expected = {r.id: (source, r) for source, rules in RULE_SOURCES.items() for r in rules}
    assert sorted(r["id"] for r in listed) == sorted(expected)
    for r in listed:
        source, spec = expected[r["id"]]
        assert set(r) == KEYS
        assert (r["checked_by"], r["severity"], r["statement_zh"], r["statement_en"]) == (
            source, spec.severity, spec.statement_zh, spec.statement_en,
        )
        assert r["severity_zh"] == SEVERITY_ZH[spec.severity]
        assert r["versions"] == list(RULE_VERSIONS.get(r["id"], VERSIONS))
    restricted = [r for r in listed if r["id"] in RULE_VERSIONS]
    assert restricted and all(r["versions"] != list(VERSIONS) for r in restricted)


def test_human_output_names_every_rule_in_both_languages(capsys, monkeypatch) -> None:
    monkeypatch.setenv("COLUMNS", "300")  # no line folded
    assert cli.main(["rules"]) == 0
    out = capsys.readouterr().out
    for rules in RULE_SOURCES.values():
        for r in rules:
            assert r.id in out and r.statement_zh in out and r.statement_en in out


def test_check_help_points_to_rules(capsys) -> None:
    try:
        cli.main(["check", "--help"])
    except SystemExit as done:
        assert done.code == 0
    out = capsys.readouterr().out
    assert "xxgk rules" in out and "FORMAT.md" not in out
