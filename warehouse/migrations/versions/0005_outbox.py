"""The outbox: one row per mail to send (a quality report per submission and content hash, or a
summary), with its delivery state, attempts, last error and next attempt.

Revision ID: 0005
Revises: 0003
Create Date: 2026-12-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "outbox",
        sa.Column("outbox_key", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("submission_key", sa.Integer(), nullable=True),
        sa.Column("content_hash", sa.String(length=64), nullable=False),
        sa.Column("agency_id", sa.String(length=64), nullable=True),
        sa.Column("year", sa.Integer(), nullable=True),
        sa.Column("recipient", sa.String(length=320), nullable=True),
        sa.Column("subject", sa.Text(), nullable=False),
        sa.Column("content", sa.Text(), nullable=False),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("next_attempt_at", sa.DateTime(), nullable=True),
        sa.Column("sent_at", sa.DateTime(), nullable=True),
        sa.Column("sent_via", sa.Text(), nullable=True),
        sa.Column("resends", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("outbox_key", name=op.f("pk_outbox")),
        sa.UniqueConstraint("submission_key", "content_hash", name="uq_outbox_submission_key"),
    )
    op.create_index(op.f("ix_outbox_state"), "outbox", ["state"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_outbox_state"), table_name="outbox")
    op.drop_table("outbox")
