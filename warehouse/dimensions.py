"""The fixed dimensions as rows, generated from the form catalogue and rule list (never typed twice).

Pure: each function returns the rows of one table as dicts keyed by column name. The migration
that creates the star inserts them, and every `upgrade` re-syncs them, so a cell or rule added to
`form/` reaches existing warehouses without a hand-written migration.

The rule dimension holds the template's rules and the warehouse's placing rules
(`form.rules.RULE_SOURCES`).
"""

from __future__ import annotations

from collections.abc import Callable

from form import catalogue as cat
from form.registry_format import UNASSIGNED_REGION_NAME
from form.rules import RULE_SOURCES
from warehouse.schema import UNASSIGNED_REGION

Row = dict[str, object]


def year_row(year: int) -> Row:
    """The dim_year row the loader adds for each report year it meets."""
    return {"year": year, "format_version": cat.version_for_year(year)}


def applicant_type_rows() -> list[Row]:
    organisations = {*cat.T3_ORGANISATION_COLUMNS, cat.T3_ENTITIES.id}
    return [
        {
            "applicant_type_id": c.id,
            "label": c.label,
            "group_label": cat.T3_GROUP_LABEL if c.id in organisations else None,
            "is_sum": c.id in (cat.T3_ENTITIES.id, "total"),
            "sort_order": i,
        }
        for i, c in enumerate(cat.t3_columns(with_entities=True))
    ]


def _stage_and_group(row_id: str) -> tuple[str, str | None]:
    if row_id in ("new", "carried_in"):
        return "intake", None
    if row_id == "processed_total":
        return "result_total", None
    if row_id == "carried_out":
        return "carried_out", None
    if row_id in cat.T3_DENIED_ROWS:
        return "result", "denied"
    if row_id in cat.T3_UNABLE_ROWS:
        return "result", "unable"
    if row_id in cat.T3_REJECTED_ROWS:
        return "result", "rejected"
    if row_id in (*cat.T3_OTHER_ITEM_ROWS, cat.T3_OTHER_ALL_ROW):
        return "result", "other"
    return "result", row_id  # granted, partial


def outcome_rows() -> list[Row]:
    out = []
    for i, r in enumerate(cat.T3_ROWS_ACCEPTED):
        stage, group = _stage_and_group(r.id)
        out.append(
            {
                "outcome_id": r.id,
                "label": r.label,
                "group_label": r.group or None,
                "stage": stage,
                "result_group": group,
                "is_rollup": r.id == cat.T3_OTHER_ALL_ROW,
                "sort_order": i,
            }
        )
    return out


def disclosure_item_rows() -> list[Row]:
    rows: dict[tuple[str, str], Row] = {}
    for version in ("2021", "2019"):
        for r in cat.rows(version, 2):
            for c in r.columns:
                row = rows.setdefault(
                    (r.id, c.id),
                    {
                        "item_id": r.id,
                        "measure_id": c.id,
                        "cell_id": cat.cell_id(2, r.id, c.id),
                        "item_label": r.label,
                        "measure_label": c.label,
                        "kind": c.kind,
                        "in_2019": False,
                        "in_2021": False,
                        "sort_order": len(rows),
                    },
                )
                row[f"in_{version}"] = True
    return list(rows.values())


def proceeding_rows() -> list[Row]:
    return [
        {
            "proceeding_id": r.id,
            "label": r.label,
            "kind": "review" if r.id == "review" else "litigation",
            "sort_order": i,
        }
        for i, r in enumerate(cat.T4_ROWS)
    ]


def result_rows() -> list[Row]:
    return [
        {"result_id": c.id, "label": c.label, "is_sum": c.id == "total", "sort_order": i}
        for i, c in enumerate(cat.T4_COLUMNS)
    ]


def rule_rows() -> list[Row]:
    return [
        {
            "rule_id": r.id,
            "severity": r.severity,
            "statement_zh": r.statement_zh,
            "statement_en": r.statement_en,
            "source": source,
        }
        for source, rules in RULE_SOURCES.items()
        for r in rules
    ]


def unlisted_rule_row(rule_id: str, severity: str) -> Row:
    """A rule a finding names that neither list knows (kept, so no finding is ever dropped)."""
    return {
        "rule_id": rule_id,
        "severity": severity,
        "statement_zh": "",
        "statement_en": "",
        "source": "unlisted",
    }


def cell_rows() -> list[Row]:
    return [
        {
            "cell_id": c.id,
            "table_no": c.table,
            "row_id": c.row,
            "column_id": c.column,
            "row_label": c.row_label,
            "column_label": c.column_label,
            "kind": c.kind,
        }
        for c in cat.all_cells().values()
    ]


def fixed_region_rows() -> list[Row]:
    return [
        {"region_code": UNASSIGNED_REGION, "name": UNASSIGNED_REGION_NAME, "level": "unassigned", "parent_code": None}
    ]


#: table name → (key columns, row generator): everything `sync` keeps equal to the catalogue
FIXED: dict[str, tuple[tuple[str, ...], Callable[[], list[Row]]]] = {
    "dim_applicant_type": (("applicant_type_id",), applicant_type_rows),
    "dim_outcome": (("outcome_id",), outcome_rows),
    "dim_disclosure_item": (("item_id", "measure_id"), disclosure_item_rows),
    "dim_proceeding": (("proceeding_id",), proceeding_rows),
    "dim_result": (("result_id",), result_rows),
    "dim_rule": (("rule_id",), rule_rows),
    "dim_cell": (("cell_id",), cell_rows),
    "dim_region": (("region_code",), fixed_region_rows),
}


def fixed_rows() -> dict[str, tuple[tuple[str, ...], list[Row]]]:
    """Every fixed dimension: table → (key columns, rows)."""
    return {table: (keys, make()) for table, (keys, make) in FIXED.items()}
