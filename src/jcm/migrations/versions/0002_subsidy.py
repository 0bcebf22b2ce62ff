"""subsidy

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-28 10:46:15.986320
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import jcm.db

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "subsidy_call_version",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("call", sa.String(length=20), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("settings", sa.JSON(), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("actor", sa.String(length=120), nullable=False),
        sa.Column("created_at", jcm.db.UtcDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_subsidy_call_version")),
        sa.UniqueConstraint("call", "version", name=op.f("uq_subsidy_call_version_call_version")),
    )
    with op.batch_alter_table("subsidy_call_version", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_subsidy_call_version_call"), ["call"], unique=False)

    op.create_table(
        "subsidy_selection_run",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("call", sa.String(length=20), nullable=False),
        sa.Column("call_version", sa.Integer(), nullable=False),
        sa.Column("policy", sa.JSON(), nullable=False),
        sa.Column("budget_jpy", sa.BigInteger(), nullable=False),
        sa.Column("inputs", sa.JSON(), nullable=False),
        sa.Column("result", sa.JSON(), nullable=False),
        sa.Column("illustrative", sa.Boolean(), nullable=False),
        sa.Column("actor", sa.String(length=120), nullable=False),
        sa.Column("at", jcm.db.UtcDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_subsidy_selection_run")),
    )
    with op.batch_alter_table("subsidy_selection_run", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_subsidy_selection_run_call"), ["call"], unique=False)

    op.create_table(
        "subsidy_application",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("ref", sa.String(length=40), nullable=False),
        sa.Column("call", sa.String(length=20), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("title_en", sa.String(length=300), nullable=False),
        sa.Column("title_ja", sa.String(length=300), nullable=False),
        sa.Column("representative_id", sa.Integer(), nullable=False),
        sa.Column("partner_country", sa.String(length=3), nullable=False),
        sa.Column("technology", sa.String(length=60), nullable=False),
        sa.Column("requested_subsidy_jpy", sa.BigInteger(), nullable=False),
        sa.Column("data", sa.JSON(), nullable=False),
        sa.Column("similar_override", sa.Integer(), nullable=True),
        sa.Column("similar_override_reason", sa.Text(), nullable=False),
        sa.Column("project_ref", sa.String(length=12), nullable=True),
        sa.Column("illustrative", sa.Boolean(), nullable=False),
        sa.Column("created_at", jcm.db.UtcDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", jcm.db.UtcDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["representative_id"],
            ["organisation.id"],
            name=op.f("fk_subsidy_application_representative_id_organisation"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_subsidy_application")),
        sa.UniqueConstraint("ref", name=op.f("uq_subsidy_application_ref")),
    )
    with op.batch_alter_table("subsidy_application", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_subsidy_application_call"), ["call"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_subsidy_application_representative_id"),
            ["representative_id"],
            unique=False,
        )
        batch_op.create_index(batch_op.f("ix_subsidy_application_status"), ["status"], unique=False)

    op.create_table(
        "subsidy_member",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("application_id", sa.Integer(), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["application_id"],
            ["subsidy_application.id"],
            name=op.f("fk_subsidy_member_application_id_subsidy_application"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["organisation.id"],
            name=op.f("fk_subsidy_member_organisation_id_organisation"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_subsidy_member")),
    )
    with op.batch_alter_table("subsidy_member", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_subsidy_member_application_id"), ["application_id"], unique=False
        )

    op.create_table(
        "subsidy_screening",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("application_id", sa.Integer(), nullable=False),
        sa.Column("call_version", sa.Integer(), nullable=False),
        sa.Column("similar_count", sa.Integer(), nullable=False),
        sa.Column("similar_source", sa.String(length=20), nullable=False),
        sa.Column("eligible", sa.Boolean(), nullable=False),
        sa.Column("needs_review", sa.Boolean(), nullable=False),
        sa.Column("result", sa.JSON(), nullable=False),
        sa.Column("actor", sa.String(length=120), nullable=False),
        sa.Column("at", jcm.db.UtcDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["application_id"],
            ["subsidy_application.id"],
            name=op.f("fk_subsidy_screening_application_id_subsidy_application"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_subsidy_screening")),
    )
    with op.batch_alter_table("subsidy_screening", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_subsidy_screening_application_id"), ["application_id"], unique=False
        )

    op.create_table(
        "subsidy_status_event",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("application_id", sa.Integer(), nullable=False),
        sa.Column("from_status", sa.String(length=20), nullable=True),
        sa.Column("to_status", sa.String(length=20), nullable=False),
        sa.Column("at", jcm.db.UtcDateTime(timezone=True), nullable=False),
        sa.Column("actor", sa.String(length=120), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["application_id"],
            ["subsidy_application.id"],
            name=op.f("fk_subsidy_status_event_application_id_subsidy_application"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_subsidy_status_event")),
    )
    with op.batch_alter_table("subsidy_status_event", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_subsidy_status_event_application_id"), ["application_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("subsidy_status_event", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_subsidy_status_event_application_id"))

    op.drop_table("subsidy_status_event")
    with op.batch_alter_table("subsidy_screening", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_subsidy_screening_application_id"))

    op.drop_table("subsidy_screening")
    with op.batch_alter_table("subsidy_member", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_subsidy_member_application_id"))

    op.drop_table("subsidy_member")
    with op.batch_alter_table("subsidy_application", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_subsidy_application_status"))
        batch_op.drop_index(batch_op.f("ix_subsidy_application_representative_id"))
        batch_op.drop_index(batch_op.f("ix_subsidy_application_call"))

    op.drop_table("subsidy_application")
    with op.batch_alter_table("subsidy_selection_run", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_subsidy_selection_run_call"))

    op.drop_table("subsidy_selection_run")
    with op.batch_alter_table("subsidy_call_version", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_subsidy_call_version_call"))

    op.drop_table("subsidy_call_version")
