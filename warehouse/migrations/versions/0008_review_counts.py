"""Reports held for review are counted like the other states: `load_audit.review` (per chunk)
and `agg_status.review` (per scope and year: agencies whose latest submission waits for a person).

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # rows written before the column held no review state: 0 is their count
    op.add_column("load_audit", sa.Column("review", sa.Integer(), server_default="0", nullable=False))
    op.add_column("agg_status", sa.Column("review", sa.Integer(), server_default="0", nullable=False))


def downgrade() -> None:
    # a plain DROP COLUMN (SQLite ≥ 3.35): a batch copy of load_audit would break the foreign
    # keys dim_submission and submission_revision hold on it
    op.drop_column("agg_status", "review")
    op.drop_column("load_audit", "review")
