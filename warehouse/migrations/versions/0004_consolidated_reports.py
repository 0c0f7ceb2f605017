"""Consolidated reports: the registry's mark on agency, and the aggregation's findings table.

`agency.consolidated` says a government's report is its whole region's (本级/全市/全县 汇总);
`agg_finding` holds, per year, every cell where such a report differs from the sum of its
members' loaded reports (derived like the other agg_* tables: replaced per year, no foreign keys).

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

_ID = sa.String(length=64)


def upgrade() -> None:
    # a plain ADD COLUMN on both databases (no table rebuild: views and foreign keys point at it)
    op.add_column("agency", sa.Column("consolidated", sa.Boolean(), server_default=sa.false(), nullable=False))
    op.create_table(
        "agg_finding",
        sa.Column("year", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("agency_id", _ID, nullable=False),
        sa.Column("rule_id", _ID, nullable=False),
        sa.Column("cell_id", _ID, nullable=False),
        sa.Column("submission_key", sa.Integer(), nullable=False),
        sa.Column("printed", sa.Numeric(precision=20, scale=6, asdecimal=False), nullable=False),
        sa.Column("expected", sa.Numeric(precision=20, scale=6, asdecimal=False), nullable=False),
        sa.Column("members", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("year", "agency_id", "rule_id", "cell_id", name=op.f("pk_agg_finding")),
    )


def downgrade() -> None:
    op.drop_table("agg_finding")
    # SQLite ≥ 3.35 drops a column in place (no batch rebuild, which the views would break)
    op.drop_column("agency", "consolidated")
