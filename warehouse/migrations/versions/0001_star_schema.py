"""Star schema: dimensions, submissions, facts and the load audit (DESIGN.md grains).

The fixed dimensions are filled here from the catalogue (warehouse.dimensions), on purpose read
live rather than copied in: they are the catalogue's, and `warehouse.migrate.upgrade` re-syncs
them after every upgrade.

Revision ID: 0001
Revises:
Create Date: 2026-11-27
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from warehouse.dimensions import fixed_rows

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "agency",
        sa.Column("agency_id", sa.String(length=64), nullable=False),
        sa.Column("is_registered", sa.Boolean(), nullable=False),
        sa.Column("mapped_to_id", sa.String(length=64), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["mapped_to_id"], ["agency.agency_id"], name=op.f("fk_agency_mapped_to_id_agency")
        ),
        sa.PrimaryKeyConstraint("agency_id", name=op.f("pk_agency")),
    )
    op.create_table(
        "dim_applicant_type",
        sa.Column("applicant_type_id", sa.String(length=32), nullable=False),
        sa.Column("label", sa.String(length=200), nullable=False),
        sa.Column("group_label", sa.String(length=200), nullable=True),
        sa.Column("is_sum", sa.Boolean(), nullable=False),
        sa.Column("sort_order", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("applicant_type_id", name=op.f("pk_dim_applicant_type")),
    )
    op.create_table(
        "dim_cell",
        sa.Column("cell_id", sa.String(length=64), nullable=False),
        sa.Column("table_no", sa.Integer(), nullable=False),
        sa.Column("row_id", sa.String(length=32), nullable=False),
        sa.Column("column_id", sa.String(length=32), nullable=False),
        sa.Column("row_label", sa.String(length=200), nullable=False),
        sa.Column("column_label", sa.String(length=200), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.PrimaryKeyConstraint("cell_id", name=op.f("pk_dim_cell")),
    )
    op.create_table(
        "dim_disclosure_item",
        sa.Column("item_id", sa.String(length=32), nullable=False),
        sa.Column("measure_id", sa.String(length=32), nullable=False),
        sa.Column("cell_id", sa.String(length=64), nullable=False),
        sa.Column("item_label", sa.String(length=200), nullable=False),
        sa.Column("measure_label", sa.String(length=200), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("in_2019", sa.Boolean(), nullable=False),
        sa.Column("in_2021", sa.Boolean(), nullable=False),
        sa.Column("sort_order", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("item_id", "measure_id", name=op.f("pk_dim_disclosure_item")),
        sa.UniqueConstraint("cell_id", name=op.f("uq_dim_disclosure_item_cell_id")),
    )
    op.create_table(
        "dim_outcome",
        sa.Column("outcome_id", sa.String(length=32), nullable=False),
        sa.Column("label", sa.String(length=200), nullable=False),
        sa.Column("group_label", sa.String(length=200), nullable=True),
        sa.Column("stage", sa.String(length=16), nullable=False),
        sa.Column("result_group", sa.String(length=16), nullable=True),
        sa.Column("is_rollup", sa.Boolean(), nullable=False),
        sa.Column("sort_order", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("outcome_id", name=op.f("pk_dim_outcome")),
    )
    op.create_table(
        "dim_proceeding",
        sa.Column("proceeding_id", sa.String(length=32), nullable=False),
        sa.Column("label", sa.String(length=200), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("sort_order", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("proceeding_id", name=op.f("pk_dim_proceeding")),
    )
    op.create_table(
        "dim_region",
        sa.Column("region_code", sa.String(length=6), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("level", sa.String(length=16), nullable=False),
        sa.Column("parent_code", sa.String(length=6), nullable=True),
        sa.PrimaryKeyConstraint("region_code", name=op.f("pk_dim_region")),
    )
    op.create_table(
        "dim_result",
        sa.Column("result_id", sa.String(length=32), nullable=False),
        sa.Column("label", sa.String(length=200), nullable=False),
        sa.Column("is_sum", sa.Boolean(), nullable=False),
        sa.Column("sort_order", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("result_id", name=op.f("pk_dim_result")),
    )
    op.create_table(
        "dim_rule",
        sa.Column("rule_id", sa.String(length=64), nullable=False),
        sa.Column("severity", sa.String(length=16), nullable=False),
        sa.Column("statement_zh", sa.Text(), nullable=False),
        sa.Column("statement_en", sa.Text(), nullable=False),
        sa.Column("source", sa.String(length=16), nullable=False),
        sa.PrimaryKeyConstraint("rule_id", name=op.f("pk_dim_rule")),
    )
    op.create_table(
        "dim_year",
        sa.Column("year", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("format_version", sa.String(length=8), nullable=True),
        sa.PrimaryKeyConstraint("year", name=op.f("pk_dim_year")),
    )
    op.create_table(
        "fact_application",
        sa.Column("agency_id", sa.String(length=64), nullable=False),
        sa.Column("year", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("outcome_id", sa.String(length=32), nullable=False),
        sa.Column("applicant_type_id", sa.String(length=32), nullable=False),
        sa.Column("value", sa.BigInteger(), nullable=True),
        sa.Column("submission_key", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint(
            "agency_id", "year", "outcome_id", "applicant_type_id", name=op.f("pk_fact_application")
        ),
    )
    op.create_table(
        "fact_disclosure",
        sa.Column("agency_id", sa.String(length=64), nullable=False),
        sa.Column("year", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("item_id", sa.String(length=32), nullable=False),
        sa.Column("measure_id", sa.String(length=32), nullable=False),
        sa.Column("value", sa.Numeric(precision=20, scale=6, asdecimal=False), nullable=True),
        sa.Column("submission_key", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint(
            "agency_id", "year", "item_id", "measure_id", name=op.f("pk_fact_disclosure")
        ),
    )
    op.create_table(
        "fact_review_litigation",
        sa.Column("agency_id", sa.String(length=64), nullable=False),
        sa.Column("year", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("proceeding_id", sa.String(length=32), nullable=False),
        sa.Column("result_id", sa.String(length=32), nullable=False),
        sa.Column("value", sa.BigInteger(), nullable=True),
        sa.Column("submission_key", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint(
            "agency_id", "year", "proceeding_id", "result_id", name=op.f("pk_fact_review_litigation")
        ),
    )
    op.create_table(
        "load_audit",
        sa.Column("audit_key", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("run_id", sa.String(length=64), nullable=False),
        sa.Column("chunk_no", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("started_at", sa.DateTime(), nullable=False),
        sa.Column("finished_at", sa.DateTime(), nullable=True),
        sa.Column("seconds", sa.Float(), nullable=True),
        sa.Column("submissions", sa.Integer(), nullable=False),
        sa.Column("loaded", sa.Integer(), nullable=False),
        sa.Column("rejected", sa.Integer(), nullable=False),
        sa.Column("quarantined", sa.Integer(), nullable=False),
        sa.Column("unchanged", sa.Integer(), nullable=False),
        sa.Column("superseded", sa.Integer(), nullable=False),
        sa.Column("provisional_agencies", sa.Integer(), nullable=False),
        sa.Column("facts_written", sa.Integer(), nullable=False),
        sa.Column("facts_deleted", sa.Integer(), nullable=False),
        sa.Column("findings_written", sa.Integer(), nullable=False),
        sa.Column("message", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("audit_key", name=op.f("pk_load_audit")),
    )
    op.create_table(
        "agency_alias",
        sa.Column("alias_key", sa.String(length=200), nullable=False),
        sa.Column("alias", sa.String(length=200), nullable=False),
        sa.Column("agency_id", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["agency_id"], ["agency.agency_id"], name=op.f("fk_agency_alias_agency_id_agency")
        ),
        sa.PrimaryKeyConstraint("alias_key", name=op.f("pk_agency_alias")),
    )
    op.create_table(
        "dim_agency",
        sa.Column("agency_key", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("agency_id", sa.String(length=64), nullable=False),
        sa.Column("valid_from", sa.Integer(), nullable=False),
        sa.Column("valid_to", sa.Integer(), nullable=True),
        sa.Column("is_current", sa.Boolean(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("name_key", sa.String(length=200), nullable=False),
        sa.Column("level", sa.String(length=16), nullable=True),
        sa.Column("region_code", sa.String(length=6), nullable=False),
        sa.Column("parent_id", sa.String(length=64), nullable=True),
        sa.Column("email", sa.String(length=320), nullable=True),
        sa.Column("successor_id", sa.String(length=64), nullable=True),
        sa.Column("is_registered", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["agency_id"], ["agency.agency_id"], name=op.f("fk_dim_agency_agency_id_agency")
        ),
        sa.ForeignKeyConstraint(
            ["region_code"], ["dim_region.region_code"], name=op.f("fk_dim_agency_region_code_dim_region")
        ),
        sa.PrimaryKeyConstraint("agency_key", name=op.f("pk_dim_agency")),
        sa.UniqueConstraint("agency_id", "valid_from", name=op.f("uq_dim_agency_agency_id")),
    )
    op.create_index("ix_dim_agency_name_key", "dim_agency", ["name_key"], unique=False)
    op.create_index(
        "uq_dim_agency_current",
        "dim_agency",
        ["agency_id"],
        unique=True,
        sqlite_where=sa.text("is_current"),
        postgresql_where=sa.text("is_current"),
    )
    op.create_table(
        "dim_submission",
        sa.Column("submission_key", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("path", sa.Text(), nullable=False),
        sa.Column("media_type", sa.String(length=100), nullable=False),
        sa.Column("received_at", sa.DateTime(), nullable=False),
        sa.Column("published", sa.Date(), nullable=True),
        sa.Column("printed_agency", sa.Text(), nullable=True),
        sa.Column("agency_id", sa.String(length=64), nullable=True),
        sa.Column("year", sa.Integer(), nullable=True),
        sa.Column("version", sa.String(length=8), nullable=True),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.Column("match_method", sa.String(length=16), nullable=True),
        sa.Column("superseded_by", sa.Integer(), nullable=True),
        sa.Column("superseded_at", sa.DateTime(), nullable=True),
        sa.Column("has_facts", sa.Boolean(), nullable=False),
        sa.Column("audit_key", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["agency_id"], ["agency.agency_id"], name=op.f("fk_dim_submission_agency_id_agency")
        ),
        sa.ForeignKeyConstraint(
            ["audit_key"], ["load_audit.audit_key"], name=op.f("fk_dim_submission_audit_key_load_audit")
        ),
        sa.ForeignKeyConstraint(
            ["superseded_by"],
            ["dim_submission.submission_key"],
            name=op.f("fk_dim_submission_superseded_by_dim_submission"),
        ),
        sa.ForeignKeyConstraint(["year"], ["dim_year.year"], name=op.f("fk_dim_submission_year_dim_year")),
        sa.PrimaryKeyConstraint("submission_key", name=op.f("pk_dim_submission")),
        sa.UniqueConstraint("sha256", name=op.f("uq_dim_submission_sha256")),
    )
    op.create_index("ix_dim_submission_agency_year", "dim_submission", ["agency_id", "year"], unique=False)
    op.create_table(
        "fact_finding",
        sa.Column("submission_key", sa.Integer(), nullable=False),
        sa.Column("finding_no", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("cell", sa.String(length=64), nullable=False),
        sa.Column("rule_id", sa.String(length=64), nullable=False),
        sa.Column("severity", sa.String(length=16), nullable=False),
        sa.Column("printed", sa.Text(), nullable=True),
        sa.Column("expected", sa.Text(), nullable=True),
        sa.Column("message", sa.Text(), nullable=False),
        sa.Column("previous", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["rule_id"], ["dim_rule.rule_id"], name=op.f("fk_fact_finding_rule_id_dim_rule")
        ),
        sa.ForeignKeyConstraint(
            ["submission_key"],
            ["dim_submission.submission_key"],
            name=op.f("fk_fact_finding_submission_key_dim_submission"),
        ),
        sa.PrimaryKeyConstraint("submission_key", "finding_no", "cell", name=op.f("pk_fact_finding")),
    )
    op.create_index(op.f("ix_fact_finding_rule_id"), "fact_finding", ["rule_id"], unique=False)

    for name, (_keys, rows) in fixed_rows().items():
        op.bulk_insert(sa.table(name, *(sa.column(c) for c in rows[0])), rows)


def downgrade() -> None:
    op.drop_table("fact_finding")
    op.drop_table("dim_submission")
    op.drop_table("dim_agency")
    op.drop_table("agency_alias")
    op.drop_table("load_audit")
    op.drop_table("fact_review_litigation")
    op.drop_table("fact_disclosure")
    op.drop_table("fact_application")
    op.drop_table("dim_year")
    op.drop_table("dim_rule")
    op.drop_table("dim_result")
    op.drop_table("dim_region")
    op.drop_table("dim_proceeding")
    op.drop_table("dim_outcome")
    op.drop_table("dim_disclosure_item")
    op.drop_table("dim_cell")
    op.drop_table("dim_applicant_type")
    op.drop_table("agency")
