"""held blocks by account, in id order: a partial index, and hot registry tables vacuumed sooner

Spending picks the sender's held blocks in id order up to the quantity. A partial index on
(account_id, id) of held blocks lets that be an index scan that stops at the limit, whatever
the account holds. The blocks table and the audit head are rewritten by every spend, so
autovacuum visits them after 2 % of their rows changed instead of 20 % (PostgreSQL only).

Revision ID: 0012
Revises: 0009
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0012"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

HOT_TABLES = ("registry_block", "audit_head")


def upgrade() -> None:
    op.create_index(
        "ix_registry_block_held",
        "registry_block",
        ["account_id", "id"],
        postgresql_where=sa.text("state = 'held'"),
        sqlite_where=sa.text("state = 'held'"),
    )
    if op.get_bind().dialect.name == "postgresql":
        for table in HOT_TABLES:
            op.execute(
                f"ALTER TABLE {table} SET (autovacuum_vacuum_scale_factor = 0.02,"
                " autovacuum_analyze_scale_factor = 0.02)"
            )


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        for table in HOT_TABLES:
            op.execute(
                f"ALTER TABLE {table} RESET (autovacuum_vacuum_scale_factor,"
                " autovacuum_analyze_scale_factor)"
            )
    op.drop_index("ix_registry_block_held", table_name="registry_block")
