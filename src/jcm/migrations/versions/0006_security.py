"""security: second factors, sign-in throttling, four-eyes approvals, trusted accounts

Revision ID: 0006
Revises: 0001
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import jcm.db

revision: str = "0006"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "login_throttle",
        sa.Column("key", sa.String(length=200), nullable=False),
        sa.Column("failures", sa.Integer(), nullable=False),
        sa.Column("last_failure_at", jcm.db.UtcDateTime(), nullable=False),
        sa.Column("next_allowed_at", jcm.db.UtcDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_login_throttle")),
    )
    op.create_table(
        "trusted_account",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("account", sa.String(length=40), nullable=False),
        sa.Column("trusted", sa.String(length=40), nullable=False),
        sa.Column("added_by", sa.String(length=60), nullable=False),
        sa.Column("added_at", jcm.db.UtcDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_trusted_account")),
        sa.UniqueConstraint("account", "trusted", name=op.f("uq_trusted_account_account_trusted")),
    )
    op.create_index(
        op.f("ix_trusted_account_account"), "trusted_account", ["account"], unique=False
    )
    op.create_table(
        "pending_operation",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=30), nullable=False),
        sa.Column("request", sa.JSON(), nullable=False),
        sa.Column("account", sa.String(length=40), nullable=True),
        sa.Column("reason", sa.String(length=40), nullable=False),
        sa.Column("idempotency_key", sa.String(length=120), nullable=False),
        sa.Column("requester_id", sa.Integer(), nullable=False),
        sa.Column("requester", sa.String(length=60), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("approver_id", sa.Integer(), nullable=True),
        sa.Column("approver", sa.String(length=60), nullable=True),
        sa.Column("created_at", jcm.db.UtcDateTime(), nullable=False),
        sa.Column("decided_at", jcm.db.UtcDateTime(), nullable=True),
        sa.Column("outcome", sa.JSON(), nullable=True),
        sa.ForeignKeyConstraint(
            ["approver_id"],
            ["app_user.id"],
            name=op.f("fk_pending_operation_approver_id_app_user"),
        ),
        sa.ForeignKeyConstraint(
            ["requester_id"],
            ["app_user.id"],
            name=op.f("fk_pending_operation_requester_id_app_user"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_pending_operation")),
        sa.UniqueConstraint("idempotency_key", name=op.f("uq_pending_operation_idempotency_key")),
    )
    for column in ("account", "kind", "status"):
        op.create_index(
            op.f(f"ix_pending_operation_{column}"), "pending_operation", [column], unique=False
        )
    op.create_table(
        "user_totp",
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("secret", sa.String(length=64), nullable=False),
        sa.Column("pending_secret", sa.String(length=64), nullable=True),
        sa.Column("last_step", sa.BigInteger(), nullable=False),
        sa.Column("enrolled_at", jcm.db.UtcDateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["app_user.id"],
            name=op.f("fk_user_totp_user_id_app_user"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("user_id", name=op.f("pk_user_totp")),
    )


def downgrade() -> None:
    op.drop_table("user_totp")
    for column in ("status", "kind", "account"):
        op.drop_index(op.f(f"ix_pending_operation_{column}"), table_name="pending_operation")
    op.drop_table("pending_operation")
    op.drop_index(op.f("ix_trusted_account_account"), table_name="trusted_account")
    op.drop_table("trusted_account")
    op.drop_table("login_throttle")
