"""The suite files: counts per file, rule ids and severities, cells and columns they name.

GX drops an expectation whose class was not imported without a word, so every suite's count is
asserted here after loading it the way GX does (a file-backed context), not only from the JSON.
"""

from __future__ import annotations

import json

import pytest

from expectations import authoring, suite_files, validate
from expectations.frame import build_frame
from form import catalogue as cat
from form.rules import RULES, RULES_BY_ID
from tests.expectations.builders import report

#: Expectations per suite file. Change only together with the suite and a reviewed diff.
EXPECTED_COUNTS = {
    "xxgk.totals": 5,
    "xxgk.carryover": 4,
    "xxgk.structure": 3,
    "xxgk.values": 8,
    "xxgk.narrative": 1,
    "xxgk.semantic": 1,
    "xxgk.timeliness": 2,
}


def test_every_suite_file_has_its_expectation_count() -> None:
    suites = suite_files.read_suites()
    assert {name: len(s["expectations"]) for name, s in suites.items()} == EXPECTED_COUNTS
    assert [p.name for p in suite_files.suite_files()] == sorted(
        f"{n.split('.', 1)[1]}.json" for n in EXPECTED_COUNTS
    )


def test_suite_files_are_what_the_authoring_module_writes() -> None:
    """A hand edit of a suite file, or a catalogue change not carried into the suites, fails here."""
    for family, suite in authoring.suites().items():
        path = suite_files.SUITES_DIR / f"{family}.json"
        assert path.read_text(encoding="utf-8") == authoring.render(suite), (
            f"run python -m expectations.authoring ({path.name})"
        )


def test_every_rule_of_format_md_has_an_expectation_with_its_severity() -> None:
    covered: dict[str, set[str]] = {}
    for suite in suite_files.read_suites().values():
        for e in suite["expectations"]:
            meta = e["meta"]
            rule = RULES_BY_ID[meta["rule"]]
            assert meta["severity"] == {"hard": "critical", "soft": "warning"}[rule.severity]
            assert e["severity"] == ("info" if meta.get("outcome") == "not_checkable" else meta["severity"])
            assert meta["message_zh"] and not meta["message_zh"].isascii()
            covered.setdefault(rule.id, set()).add(meta.get("outcome", "check"))
    assert set(covered) == {r.id for r in RULES}
    # cross-year rules and the publication date can be "not checkable", never silently passed
    for rule in ("carryover.requests", "carryover.normative_in_force", "timeliness.published"):
        assert covered[rule] == {"check", "not_checkable"}


def test_suites_name_only_cells_of_the_catalogue_and_columns_of_the_frame() -> None:
    frame = build_frame([report(), report(year=2020, other_single_row=True), report(with_entities=True)])
    for suite in suite_files.read_suites().values():
        for e in suite["expectations"]:
            kw = e["kwargs"]
            columns = [c for pair in kw.get("pairs", []) for c in pair] + list(kw.get("columns", []))
            columns += [kw[k] for k in ("column", "column_A", "column_B") if k in kw]
            assert set(columns) <= set(frame.columns), e["meta"]["rule"]
            cells = e["meta"].get("cells", [])
            flat = [c for group in cells for c in (group if isinstance(group, list) else [group])]
            assert set(flat) <= set(cat.all_cells()), e["meta"]["rule"]
            if "pairs" in kw:
                assert len(cells) == len(kw["pairs"]), e["meta"]["rule"]


@pytest.fixture(scope="module")
def file_context(tmp_path_factory):
    """Suites stored in and read back from a file-backed GX context, as Data Docs use them."""
    import great_expectations as gx

    validate.load_suites()  # imports the custom classes
    context = gx.get_context(mode="file", project_root_dir=str(tmp_path_factory.mktemp("gx")))
    for name, suite in suite_files.read_suites().items():
        context.suites.add_or_update(validate.build_suite(name, suite["expectations"]))
    return context


def test_suites_survive_a_round_trip_through_gx_with_every_expectation(file_context) -> None:
    for name, count in EXPECTED_COUNTS.items():
        loaded = file_context.suites.get(name)
        assert len(loaded.expectations) == count, name
        assert [e.meta["rule"] for e in loaded.expectations] == [
            e["meta"]["rule"] for e in suite_files.read_suites()[name]["expectations"]
        ]


def test_an_unknown_expectation_type_fails_loudly() -> None:
    bogus = {
        "type": "expect_column_values_to_be_fine",
        "kwargs": {"column": "x"},
        "meta": {"rule": "t4.total"},
    }
    with pytest.raises(validate.ValidationError, match="expect_column_values_to_be_fine"):
        validate.build_suite("bogus", [bogus])


def test_suite_json_is_plain_gx_suite_json() -> None:
    for path in suite_files.suite_files():
        suite = json.loads(path.read_text(encoding="utf-8"))
        assert set(suite) == {"name", "meta", "expectations"}
        for e in suite["expectations"]:
            assert set(e) <= {"type", "kwargs", "meta", "notes", "severity"}
