"""record the first transfers of authorised units issued straight into another Party's registry

Under the first-international-transfer definition, an issuance of units authorised by Party X
into an account of a registry of another Party is their first international transfer. Until
now only an external transfer counted, so such units were left "not first transferred" and
the authorising Party's corresponding adjustment was missing (e.g. MN001: Mongolia-authorised
units issued into Japanese accounts). For every issuance movement of that kind not already
covered by a first transfer, this records the first transfer (at the issuance's time, by its
transaction), the authorising Party's ``+`` adjustment in the year of the issuance, marks the
units' blocks first-transferred, and appends one audit entry per first transfer to the
hash-chained log (``jcm.audit.record``, which keeps the chain valid on both databases).

A data migration: the downgrade leaves the recorded first transfers in place.

Revision ID: 0013
Revises: 0012
"""

from collections import defaultdict
from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from alembic import op
from sqlalchemy.orm import Session

from jcm.audit import Context, record
from jcm.db import UtcDateTime
from jcm.registry.rules import uncovered

revision: str = "0013"
down_revision: str | None = "0012"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

CTX = Context(actor="migration-0013")

_auth = sa.table(
    "registry_authorisation",
    sa.column("id", sa.Integer),
    sa.column("party_iso3", sa.String),
    sa.column("first_transfer_definition", sa.String),
)
_iss = sa.table(
    "registry_issuance",
    sa.column("id", sa.Integer),
    sa.column("authorisation_id", sa.Integer),
    sa.column("transaction_id", sa.Integer),
)
_tx = sa.table(
    "registry_transaction", sa.column("id", sa.Integer), sa.column("created_at", UtcDateTime())
)
_mov = sa.table(
    "registry_movement",
    sa.column("id", sa.Integer),
    sa.column("transaction_id", sa.Integer),
    sa.column("issuance_id", sa.Integer),
    sa.column("serial_start", sa.BigInteger),
    sa.column("serial_end", sa.BigInteger),
    sa.column("from_account_id", sa.Integer),
    sa.column("to_account_id", sa.Integer),
)
_acc = sa.table("registry_account", sa.column("id", sa.Integer), sa.column("registry_id"))
_reg = sa.table("registry_registry", sa.column("id", sa.Integer), sa.column("country_iso3"))
_ft = sa.table(
    "registry_first_transfer",
    sa.column("id", sa.Integer),
    sa.column("transaction_id", sa.Integer),
    sa.column("authorisation_id", sa.Integer),
    sa.column("issuance_id", sa.Integer),
    sa.column("serial_start", sa.BigInteger),
    sa.column("serial_end", sa.BigInteger),
    sa.column("transferring_party", sa.String),
    sa.column("acquiring_party", sa.String),
    sa.column("at", UtcDateTime()),
)
_adj = sa.table(
    "registry_adjustment",
    sa.column("id", sa.Integer),
    sa.column("party_iso3", sa.String),
    sa.column("year", sa.Integer),
    sa.column("quantity", sa.BigInteger),
    sa.column("reason", sa.String),
    sa.column("transaction_id", sa.Integer),
)
_blk = sa.table(
    "registry_block",
    sa.column("issuance_id", sa.Integer),
    sa.column("serial_start", sa.BigInteger),
    sa.column("serial_end", sa.BigInteger),
    sa.column("first_transferred", sa.Boolean),
    sa.column("ca_status", sa.String),
)


def _missing(conn: sa.Connection) -> list[Any]:
    """Issuance movements into another Party's registry, of units authorised under the
    first-international-transfer definition, in issuance order."""
    return list(
        conn.execute(
            sa.select(
                _mov.c.issuance_id,
                _mov.c.serial_start,
                _mov.c.serial_end,
                _iss.c.transaction_id,
                _tx.c.created_at,
                _auth.c.id.label("authorisation_id"),
                _auth.c.party_iso3,
                _reg.c.country_iso3,
            )
            .select_from(
                _mov.join(_iss, _iss.c.id == _mov.c.issuance_id)
                .join(_tx, _tx.c.id == _iss.c.transaction_id)
                .join(_auth, _auth.c.id == _iss.c.authorisation_id)
                .join(_acc, _acc.c.id == _mov.c.to_account_id)
                .join(_reg, _reg.c.id == _acc.c.registry_id)
            )
            .where(
                _mov.c.from_account_id.is_(None),
                _mov.c.transaction_id == _iss.c.transaction_id,
                _auth.c.first_transfer_definition == "first_international_transfer",
                _reg.c.country_iso3 != _auth.c.party_iso3,
            )
            .order_by(_mov.c.issuance_id, _mov.c.serial_start)
        )
    )


def upgrade() -> None:
    conn = op.get_bind()
    rows = _missing(conn)
    if not rows:
        return
    covered: dict[int, list[tuple[int, int]]] = defaultdict(list)
    for issuance_id, start, end in conn.execute(
        sa.select(_ft.c.issuance_id, _ft.c.serial_start, _ft.c.serial_end)
    ):
        covered[issuance_id].append((start, end))
    session = Session(bind=conn)
    try:
        for r in rows:
            for lo, hi in uncovered((r.serial_start, r.serial_end), covered[r.issuance_id]):
                _record(session, conn, r, lo, hi)
                covered[r.issuance_id].append((lo, hi))
        session.flush()
    finally:
        session.close()


def _record(session: Session, conn: sa.Connection, r: Any, lo: int, hi: int) -> None:
    year = r.created_at.year
    ft_id = conn.execute(
        _ft.insert()
        .values(
            transaction_id=r.transaction_id,
            authorisation_id=r.authorisation_id,
            issuance_id=r.issuance_id,
            serial_start=lo,
            serial_end=hi,
            transferring_party=r.party_iso3,
            acquiring_party=r.country_iso3,
            at=r.created_at,
        )
        .returning(_ft.c.id)
    ).scalar_one()
    conn.execute(
        _adj.insert().values(
            party_iso3=r.party_iso3,
            year=year,
            quantity=hi - lo + 1,
            reason="first_transfer",
            transaction_id=r.transaction_id,
        )
    )
    conn.execute(
        _blk.update()
        .where(
            _blk.c.issuance_id == r.issuance_id,
            _blk.c.serial_start >= lo,
            _blk.c.serial_end <= hi,
        )
        .values(first_transferred=True, ca_status="applied")
    )
    record(
        session,
        CTX,
        "registry.first_transfer_recorded",
        "registry_first_transfer",
        ft_id,
        after={
            "why": "issuance into another Party's registry is the first international transfer",
            "transaction_id": r.transaction_id,
            "issuance_id": r.issuance_id,
            "serial_start": lo,
            "serial_end": hi,
            "transferring_party": r.party_iso3,
            "acquiring_party": r.country_iso3,
            "adjustment": {"party": r.party_iso3, "year": year, "quantity": hi - lo + 1},
        },
    )


def downgrade() -> None:
    """Nothing to undo: the first transfers recorded are facts of the issuances."""
