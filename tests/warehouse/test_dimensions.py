"""Fixed dimensions come from the catalogue and rule list: every cell lands on dimension rows."""

from __future__ import annotations

from sqlalchemy import Engine, select

from form import catalogue as cat
from form.catalogue import version_for_year
from form.rules import AGGREGATION_RULES, OCR_RULES, PLACEMENT_RULES, RULES
from warehouse import dimensions as dims
from warehouse.schema import Base


def test_every_cell_has_its_dimension_rows() -> None:
    outcomes = {r["outcome_id"] for r in dims.outcome_rows()}
    applicants = {r["applicant_type_id"] for r in dims.applicant_type_rows()}
    items = {(r["item_id"], r["measure_id"]) for r in dims.disclosure_item_rows()}
    proceedings = {r["proceeding_id"] for r in dims.proceeding_rows()}
    results = {r["result_id"] for r in dims.result_rows()}
    for spec in cat.all_cells().values():
        if spec.table == 2:
            assert (spec.row, spec.column) in items
        elif spec.table == 3:
            assert spec.row in outcomes and spec.column in applicants
        else:
            assert spec.row in proceedings and spec.column in results
    assert {r["cell_id"] for r in dims.cell_rows()} == set(cat.all_cells())


def test_outcome_groups() -> None:
    rows = {r["outcome_id"]: r for r in dims.outcome_rows()}
    assert (
        rows["denied_secret"]["result_group"] == "denied"
        and rows["unable_create"]["result_group"] == "unable"
    )
    assert rows["other_all"]["is_rollup"] and rows["other_all"]["result_group"] == "other"
    assert rows["processed_total"]["stage"] == "result_total" and rows["new"]["stage"] == "intake"
    assert [r["applicant_type_id"] for r in dims.applicant_type_rows() if r["is_sum"]] == [
        "entities",
        "total",
    ]


def test_disclosure_items_know_their_versions() -> None:
    rows = {r["cell_id"]: r for r in dims.disclosure_item_rows()}
    assert rows["t2.rules.issued"]["in_2021"] and not rows["t2.rules.issued"]["in_2019"]
    assert rows["t2.procurement.amount"]["in_2019"] and rows["t2.procurement.amount"]["kind"] == "amount"
    assert rows["t2.licensing.decisions"]["in_2019"] and rows["t2.licensing.decisions"]["in_2021"]


def test_rules_are_the_form_rules_plus_the_warehouse_and_aggregation_ones() -> None:
    ids = [r["rule_id"] for r in dims.rule_rows()]
    assert len(ids) == len(set(ids))
    assert set(ids) == {r.id for r in (*RULES, *PLACEMENT_RULES, *AGGREGATION_RULES, *OCR_RULES)}
    assert all(r.id.startswith(("registry.", "warehouse.")) for r in PLACEMENT_RULES)


def test_year_versions() -> None:
    assert [version_for_year(y) for y in (2018, 2019, 2020, 2021, 2024)] == [
        None,
        "2019",
        "2019",
        "2021",
        "2021",
    ]


def test_warehouse_holds_exactly_the_generated_rows(engine: Engine) -> None:
    with engine.connect() as conn:
        for table, (keys, rows) in dims.fixed_rows().items():
            t = Base.metadata.tables[table]
            stored = {tuple(r._mapping[k] for k in keys): dict(r._mapping) for r in conn.execute(select(t))}
            for row in rows:
                got = stored[tuple(row[k] for k in keys)]
                assert {k: (bool(v) if isinstance(row[k], bool) else v) for k, v in got.items()} == row, table
