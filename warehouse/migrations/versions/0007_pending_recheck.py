"""The carryover cascade survives a kill: (agency, year) pairs whose previous year changed are kept
in `pending_recheck` until they are checked again.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "pending_recheck",
        sa.Column("agency_id", sa.String(length=64), primary_key=True),
        sa.Column("year", sa.Integer(), primary_key=True),
        sa.Column("since", sa.DateTime(), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("pending_recheck")
