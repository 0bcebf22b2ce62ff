"""Vintage by year of reduction: one issuance per vintage of a verified period

A monitoring period that spans calendar years is issued as one ``registry_issuance`` row per
year, so the issuance's unique key becomes (verified period, vintage). ``vintage_basis``
records how each row's amount was found: ``single_year`` (the period lies in one year),
``reductions`` (the verified reductions of each year), ``days`` (pro rata by days), or
``period_end`` for issuances made before this revision (vintage = the year the period
ended; their unit identifiers are kept as issued). ``reductions_by_year`` holds a verified
period's reductions per year when the verification report gives them.

On SQLite the issuance table is rebuilt (its unique constraint cannot be dropped in place);
``jcm.migrate`` turns foreign keys off around the upgrade and checks them before the commit.

Revision ID: 0015
Revises: 0014
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0015"
down_revision: str | None = "0014"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("registry_issuance", schema=None) as batch_op:
        batch_op.drop_constraint("uq_registry_issuance_verified_period_id", type_="unique")
        batch_op.add_column(
            sa.Column("vintage_basis", sa.String(20), nullable=False, server_default="period_end")
        )
        batch_op.create_unique_constraint(
            "uq_registry_issuance_verified_period_id_vintage", ["verified_period_id", "vintage"]
        )
        batch_op.create_index(
            "ix_registry_issuance_verified_period_id", ["verified_period_id"], unique=False
        )
    op.add_column(
        "registry_verified_period", sa.Column("reductions_by_year", sa.JSON(), nullable=True)
    )


def downgrade() -> None:
    op.drop_column("registry_verified_period", "reductions_by_year")
    with op.batch_alter_table("registry_issuance", schema=None) as batch_op:
        batch_op.drop_index("ix_registry_issuance_verified_period_id")
        batch_op.drop_constraint("uq_registry_issuance_verified_period_id_vintage", type_="unique")
        batch_op.drop_column("vintage_basis")
        batch_op.create_unique_constraint(
            "uq_registry_issuance_verified_period_id", ["verified_period_id"]
        )
