"""The registry's write core: run a request exactly once, lock accounts in a fixed order.
(Units are spent by ``jcm.registry.spend``.)

Lock order in every write: verified period (issuance only) → accounts by id → blocks by id →
the audit head (taken by ``jcm.audit.record`` last). SQLite serialises writers instead.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TypeVar

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from jcm.audit import Context, record
from jcm.db import Database
from jcm.registry import rules
from jcm.registry.errors import (
    AccountNotOpen,
    IdempotencyConflict,
    RegistryNotFound,
)
from jcm.registry.models import Account, RegistryTransaction
from jcm.registry.schemas import MovedRange, RequestBase, TransactionOutcome

R = TypeVar("R", bound=RequestBase)
Handler = Callable[[Session, Context, R, RegistryTransaction], list[MovedRange]]


def execute(
    db: Database, ctx: Context, kind: str, request: R, handler: Handler[R]
) -> TransactionOutcome:
    """Run ``handler`` once per idempotency key in one retried write transaction.

    A replay with the same content returns the stored outcome; different content under the
    same key is refused. A concurrent twin that loses the race on the unique key is rerun
    and so sees the winner's outcome.
    """
    payload = request.model_dump(mode="json", exclude={"idempotency_key"})
    digest = rules.request_hash(kind, payload)

    def work(session: Session) -> TransactionOutcome:
        first = session.scalar(
            select(RegistryTransaction).where(
                RegistryTransaction.idempotency_key == request.idempotency_key
            )
        )
        if first is not None:
            return _replay(first, digest)
        tx = RegistryTransaction(
            kind=kind,
            idempotency_key=request.idempotency_key,
            request_hash=digest,
            request=payload,
            actor=ctx.actor,
            registry_id=0,
            quantity=0,
        )
        moved = handler(session, ctx, request, tx)
        tx.quantity = sum(m.quantity for m in moved)
        outcome = TransactionOutcome(
            transaction_id=tx.id,
            kind=kind,
            idempotency_key=request.idempotency_key,
            quantity=tx.quantity,
            moved=moved,
        )
        tx.outcome = outcome.model_dump(mode="json")
        record(session, ctx, f"registry.{kind}", "registry_transaction", tx.id, after=tx.outcome)
        return outcome

    try:
        return db.run(work)
    except IntegrityError:
        return db.run(work)


def _replay(first: RegistryTransaction, digest: str) -> TransactionOutcome:
    if first.request_hash != digest:
        raise IdempotencyConflict(first.idempotency_key)
    return TransactionOutcome.model_validate({**(first.outcome or {}), "replayed": True})


def open_transaction(
    session: Session, tx: RegistryTransaction, registry_id: int, counter: int | None = None
) -> None:
    """Write the transaction row (claiming its idempotency key) once its registry is known."""
    tx.registry_id = registry_id
    tx.counter_registry_id = counter
    session.add(tx)
    session.flush()


def account_by_number(session: Session, number: str) -> Account:
    account = session.scalar(select(Account).where(Account.number == number))
    if account is None:
        raise RegistryNotFound("Account", number, "口座")
    return account


def refuse_unless_open(accounts: Sequence[Account]) -> None:
    for a in sorted(accounts, key=lambda a: a.id):
        if a.status != "open":
            raise AccountNotOpen(a.number, a.status)


def lock_accounts(session: Session, accounts: Sequence[Account]) -> None:
    """Lock the accounts' rows in id order and refuse any that is not open."""
    ids = sorted({a.id for a in accounts})
    locked = session.scalars(
        select(Account)
        .where(Account.id.in_(ids))
        .order_by(Account.id)
        .with_for_update()
        .execution_options(populate_existing=True)
    ).all()
    for a in locked:
        if a.status != "open":
            raise AccountNotOpen(a.number, a.status)
