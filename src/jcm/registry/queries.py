"""Read-side questions: accounts and balances, holdings paged by keyset, one transaction."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from jcm.reference.models import Organisation
from jcm.registry.ledger import account_by_number
from jcm.registry.models import Account, Block, Registry, RegistryTransaction
from jcm.registry.schemas import AccountView, HoldingBlock, HoldingsPage, TransactionOutcome
from jcm.registry.units import UnitNamer

PAGE_MAX = 1000


def accounts(session: Session, *, registry_code: str | None = None) -> list[AccountView]:
    """Every account with its registry, owner, status and the units it holds."""
    balance = (
        select(Block.account_id, func.sum(Block.serial_end - Block.serial_start + 1).label("n"))
        .group_by(Block.account_id)
        .subquery()
    )
    q = (
        select(Account, Registry.code, Organisation.name_en, func.coalesce(balance.c.n, 0))
        .join(Registry, Registry.id == Account.registry_id)
        .join(Organisation, Organisation.id == Account.organisation_id)
        .outerjoin(balance, balance.c.account_id == Account.id)
        .order_by(Account.number)
    )
    if registry_code:
        q = q.where(Registry.code == registry_code.upper())
    return [
        AccountView(
            id=a.id,
            number=a.number,
            registry=code,
            kind=a.kind,
            organisation=org,
            status=a.status,
            balance=int(n),
        )
        for a, code, org, n in session.execute(q)
    ]


def blocks_held_by(
    session: Session, account_number: str, *, after: int | None = None, limit: int = 100
) -> HoldingsPage:
    """One page of an account's blocks in id order; pass ``next_after`` to get the next page."""
    account = account_by_number(session, account_number)
    q = select(Block).where(Block.account_id == account.id)
    if after is not None:
        q = q.where(Block.id > after)
    rows = session.scalars(q.order_by(Block.id).limit(min(limit, PAGE_MAX) + 1)).all()
    page, more = rows[: min(limit, PAGE_MAX)], len(rows) > min(limit, PAGE_MAX)
    namer = UnitNamer(session)
    return HoldingsPage(
        account=account.number,
        blocks=[_view(namer, b) for b in page],
        next_after=page[-1].id if more and page else None,
    )


def _view(namer: UnitNamer, b: Block) -> HoldingBlock:
    return HoldingBlock(
        block_id=b.id,
        issuance_id=b.issuance_id,
        serial_start=b.serial_start,
        serial_end=b.serial_end,
        quantity=b.serial_end - b.serial_start + 1,
        state=b.state,
        first_unit=namer.unit(b.issuance_id, b.origin_registry_id, b.serial_start),
        last_unit=namer.unit(b.issuance_id, b.origin_registry_id, b.serial_end),
        authorised=b.authorisation_id is not None,
        first_transferred=b.first_transferred,
        ca_status=b.ca_status,
    )


def balance(session: Session, account_number: str) -> int:
    """How many units an account holds (in any state)."""
    account = account_by_number(session, account_number)
    total = session.scalar(
        select(func.coalesce(func.sum(Block.serial_end - Block.serial_start + 1), 0)).where(
            Block.account_id == account.id
        )
    )
    return int(total or 0)


def transaction_outcome(session: Session, idempotency_key: str) -> TransactionOutcome | None:
    """The stored outcome of the request sent with this key, if it was carried out."""
    tx = session.scalar(
        select(RegistryTransaction).where(RegistryTransaction.idempotency_key == idempotency_key)
    )
    return TransactionOutcome.model_validate(tx.outcome) if tx and tx.outcome else None


def retirement_statement(session: Session, transaction_id: int) -> dict[str, Any] | None:
    """A retirement as its statement shows it: when, how many, the units (first and last of
    each range, with project and vintage), purpose and beneficiary. None if no retirement
    has this id. The holder's account is not part of the statement."""
    tx = session.get(RegistryTransaction, transaction_id)
    if tx is None or tx.kind != "retirement" or not tx.outcome:
        return None
    outcome = TransactionOutcome.model_validate(tx.outcome)
    ranges = []
    for m in outcome.moved:
        parts = m.first_unit.split(".")
        ranges.append(
            {
                "first_unit": m.first_unit,
                "last_unit": m.last_unit,
                "quantity": m.quantity,
                "project": parts[2] if len(parts) == 6 else "",
                "vintage": parts[3] if len(parts) == 6 else "",
            }
        )
    return {
        "id": tx.id,
        "at": tx.created_at,
        "quantity": tx.quantity,
        "purpose": tx.purpose or "",
        "beneficiary": tx.beneficiary or "",
        "ranges": ranges,
    }
