"""Backfill history and the provincial aggregation: submission_revision, agg_* tables, load_audit.mode.

A reload (backfill) rewrites a stored submission in place, so `submission_revision` keeps what it
was before; `load_audit.mode` tells a reload chunk from a load. The agg_* tables hold the latest
aggregation of each year (`warehouse.aggregation`), replaced whole per year. Derived data carries
no foreign keys: it is rebuilt from the star, never edited.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-28
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

_ID = sa.String(length=64)


def _scope() -> list[sa.Column]:
    """The (year, scope_type, scope_code) key columns agg_cell and agg_status share."""
    return [
        sa.Column("year", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("scope_type", sa.String(length=16), nullable=False),
        sa.Column("scope_code", sa.String(length=16), nullable=False),
    ]


def upgrade() -> None:
    # a plain ADD COLUMN on both databases (no table rebuild: views and foreign keys point at it)
    op.add_column(
        "load_audit", sa.Column("mode", sa.String(length=16), server_default="load", nullable=False)
    )
    op.create_table(
        "submission_revision",
        sa.Column("revision_key", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("submission_key", sa.Integer(), nullable=False),
        sa.Column("audit_key", sa.Integer(), nullable=False),
        sa.Column("revised_at", sa.DateTime(), nullable=False),
        sa.Column("state_before", sa.String(length=16), nullable=False),
        sa.Column("state_after", sa.String(length=16), nullable=False),
        sa.Column("agency_before", _ID, nullable=True),
        sa.Column("agency_after", _ID, nullable=True),
        sa.Column("year_before", sa.Integer(), nullable=True),
        sa.Column("year_after", sa.Integer(), nullable=True),
        sa.Column("reason_before", sa.Text(), nullable=True),
        sa.Column("facts_changed", sa.Integer(), nullable=False),
        sa.Column("findings_added", sa.Integer(), nullable=False),
        sa.Column("findings_removed", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["audit_key"], ["load_audit.audit_key"], name=op.f("fk_submission_revision_audit_key_load_audit")
        ),
        sa.ForeignKeyConstraint(
            ["submission_key"],
            ["dim_submission.submission_key"],
            name=op.f("fk_submission_revision_submission_key_dim_submission"),
        ),
        sa.PrimaryKeyConstraint("revision_key", name=op.f("pk_submission_revision")),
    )
    op.create_index(
        op.f("ix_submission_revision_submission_key"), "submission_revision", ["submission_key"], unique=False
    )
    op.create_table(
        "agg_run",
        sa.Column("year", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("run_id", _ID, nullable=True),
        sa.Column("computed_at", sa.DateTime(), nullable=False),
        sa.Column("province_code", sa.String(length=6), nullable=False),
        sa.Column("agencies", sa.Integer(), nullable=False),
        sa.Column("reports", sa.Integer(), nullable=False),
        sa.Column("cells", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("year", name=op.f("pk_agg_run")),
    )
    op.create_table(
        "agg_cell",
        *_scope(),
        sa.Column("cell_id", _ID, nullable=False),
        sa.Column("value", sa.Numeric(precision=20, scale=6, asdecimal=False), nullable=False),
        sa.Column("reports", sa.Integer(), nullable=False),
        sa.Column("blanks", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("year", "scope_type", "scope_code", "cell_id", name=op.f("pk_agg_cell")),
    )
    op.create_table(
        "agg_status",
        *_scope(),
        sa.Column("scope_name", sa.String(length=200), nullable=True),
        *(
            sa.Column(name, sa.Integer(), nullable=False)
            for name in (
                "expected",
                "submitted",
                "expected_submitted",
                "loaded",
                "rejected",
                "missing",
                "unexpected",
                "late",
                "on_time",
                "undated",
                "quarantined",
            )
        ),
        sa.Column("completeness", sa.Float(), nullable=True),
        sa.Column("pass_rate", sa.Float(), nullable=True),
        sa.PrimaryKeyConstraint("year", "scope_type", "scope_code", name=op.f("pk_agg_status")),
    )
    op.create_table(
        "agg_agency",
        sa.Column("year", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("agency_id", _ID, nullable=False),
        sa.Column("agency_name", sa.String(length=200), nullable=True),
        sa.Column("level", sa.String(length=16), nullable=True),
        sa.Column("region_code", sa.String(length=6), nullable=False),
        sa.Column("expected", sa.Boolean(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("submissions", sa.Integer(), nullable=False),
        sa.Column("latest_submission_key", sa.Integer(), nullable=True),
        sa.Column("facts_submission_key", sa.Integer(), nullable=True),
        sa.Column("published", sa.Date(), nullable=True),
        sa.Column("deadline", sa.Date(), nullable=True),
        sa.Column("late", sa.Boolean(), nullable=True),
        sa.Column("hard_findings", sa.Integer(), nullable=False),
        sa.Column("soft_findings", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("year", "agency_id", name=op.f("pk_agg_agency")),
    )


def downgrade() -> None:
    op.drop_table("agg_agency")
    op.drop_table("agg_status")
    op.drop_table("agg_cell")
    op.drop_table("agg_run")
    op.drop_index(op.f("ix_submission_revision_submission_key"), table_name="submission_revision")
    op.drop_table("submission_revision")
    # SQLite ≥ 3.35 drops a column in place (no batch rebuild, which the views would break)
    op.drop_column("load_audit", "mode")
