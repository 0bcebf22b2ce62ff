"""Platform: the technology list's review history.

Revision ID: 0011
Revises: 0008
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from jcm.db import UtcDateTime

revision = "0011"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "platform_technology_review",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("technology_id", sa.Integer(), nullable=False),
        sa.Column("from_status", sa.String(length=20), nullable=False),
        sa.Column("to_status", sa.String(length=20), nullable=False),
        sa.Column("actor", sa.String(length=120), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("at", UtcDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["technology_id"],
            ["platform_technology.id"],
            name=op.f("fk_platform_technology_review_technology_id_platform_technology"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_platform_technology_review")),
    )
    op.create_index(
        op.f("ix_platform_technology_review_technology_id"),
        "platform_technology_review",
        ["technology_id"],
        unique=False,
    )


def downgrade() -> None:
    op.drop_index(
        op.f("ix_platform_technology_review_technology_id"),
        table_name="platform_technology_review",
    )
    op.drop_table("platform_technology_review")
