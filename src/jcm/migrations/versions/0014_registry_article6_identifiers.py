"""Article 6.2 identifiers per registry: the cooperative approach ID and the Party ITMO
registry ID

``cooperative_approach_id`` is the ``CA####`` that the UNFCCC's centralized accounting and
reporting platform gives the JCM between Japan and the registry's partner (left empty until
it is set: it is assigned, not derived); ``itmo_registry_id`` is the Party ITMO registry ID,
ISO 3166 alpha-3 and two digits, filled with ``<alpha-3>01`` for the registries there are.

Revision ID: 0014
Revises: 0013
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0014"
down_revision: str | None = "0013"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

COLUMNS = ("cooperative_approach_id", "itmo_registry_id")


def upgrade() -> None:
    # plain ADD COLUMN and unique indexes: no table rebuild on SQLite (other tables refer to it)
    op.add_column("registry_registry", sa.Column("cooperative_approach_id", sa.String(6)))
    op.add_column("registry_registry", sa.Column("itmo_registry_id", sa.String(5)))
    for column in COLUMNS:
        op.create_index(
            f"ix_registry_registry_{column}", "registry_registry", [column], unique=True
        )
    op.execute("UPDATE registry_registry SET itmo_registry_id = country_iso3 || '01'")


def downgrade() -> None:
    for column in COLUMNS:
        op.drop_index(f"ix_registry_registry_{column}", table_name="registry_registry")
        op.drop_column("registry_registry", column)
