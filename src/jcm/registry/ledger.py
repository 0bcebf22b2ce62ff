"""The registry's write core: run a request exactly once, lock in a fixed order, move units.

Lock order in every write: verified period (issuance only) → accounts by id → blocks by id →
the audit head (taken by ``jcm.audit.record`` last). SQLite serialises writers instead.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TypeVar

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from jcm.audit import Context, record
from jcm.db import Database
from jcm.registry import rules
from jcm.registry.errors import (
    AccountNotOpen,
    IdempotencyConflict,
    InsufficientHolding,
    RegistryNotFound,
)
from jcm.registry.models import Account, Block, Movement, RegistryTransaction
from jcm.registry.schemas import MovedRange, TransactionOutcome, _Request, _Spend
from jcm.registry.units import UnitNamer

R = TypeVar("R", bound=_Request)
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


def lock_by_number(session: Session, numbers: Sequence[str]) -> dict[str, Account]:
    """Look up and lock accounts by number in one statement, in id order (the fixed lock
    order); a missing number is simply absent. Status is checked by the caller."""
    rows = session.scalars(
        select(Account)
        .where(Account.number.in_(sorted(set(numbers))))
        .order_by(Account.id)
        .with_for_update()
        .execution_options(populate_existing=True)
    ).all()
    return {a.number: a for a in rows}


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


@dataclass(frozen=True)
class Destination:
    account: Account
    state: str


def take_held(session: Session, sender: Account, request: _Spend) -> list[tuple[Block, rules.Take]]:
    """Lock and choose the sender's held blocks that will leave; refuse a shortfall."""
    q = select(Block).where(Block.account_id == sender.id, Block.state == "held")
    if request.issuance_id is not None:
        q = q.where(Block.issuance_id == request.issuance_id)
    if request.serial_start is not None:
        last = request.serial_start + request.quantity - 1
        q = q.where(Block.serial_end >= request.serial_start, Block.serial_start <= last)
        q = q.order_by(Block.serial_start)
    else:
        q = q.order_by(Block.id).limit(request.quantity)
    blocks = {b.id: b for b in session.scalars(q.with_for_update()).all()}
    plain = [
        rules.HeldBlock(b.id, b.issuance_id, b.serial_start, b.serial_end) for b in blocks.values()
    ]
    takes, available = rules.take_units(plain, request.quantity, serial_start=request.serial_start)
    if available < request.quantity:
        raise InsufficientHolding(sender.number, request.quantity, _held(session, sender, request))
    return [(blocks[t.block_id], t) for t in takes]


def _held(session: Session, sender: Account, request: _Spend) -> int:
    q = select(func.coalesce(func.sum(Block.serial_end - Block.serial_start + 1), 0)).where(
        Block.account_id == sender.id, Block.state == "held"
    )
    if request.issuance_id is not None:
        q = q.where(Block.issuance_id == request.issuance_id)
    return int(session.scalar(q) or 0)


def move(
    session: Session,
    tx: RegistryTransaction,
    taken: list[tuple[Block, rules.Take]],
    to: Destination,
    namer: UnitNamer,
    on_moved: Callable[[Block], None] | None = None,
) -> list[MovedRange]:
    """Split blocks where only part leaves, move the taken part, log one movement per take."""
    moved: list[MovedRange] = []
    for block, take in taken:
        sender = block.account_id
        piece = block if take.whole else _split(session, block, take)
        piece.account_id = to.account.id
        piece.state = to.state
        if on_moved is not None:
            on_moved(piece)
        session.add(
            Movement(
                transaction_id=tx.id,
                issuance_id=piece.issuance_id,
                serial_start=take.start,
                serial_end=take.end,
                from_account_id=sender,
                to_account_id=to.account.id,
                to_state=to.state,
            )
        )
        moved.append(
            namer.moved(piece, from_account=namer.number(sender), to_account=to.account.number)
        )
    session.flush()
    return moved


def _split(session: Session, block: Block, take: rules.Take) -> Block:
    """Shrink ``block`` to what stays, add a twin for any second remainder, return the taken part."""
    first, *rest = take.keep
    block.serial_start, block.serial_end = first
    session.flush()
    for start, end in rest:
        session.add(_copy(block, start, end))
    piece = _copy(block, take.start, take.end)
    session.add(piece)
    return piece


def _copy(block: Block, start: int, end: int) -> Block:
    return Block(
        issuance_id=block.issuance_id,
        account_id=block.account_id,
        serial_start=start,
        serial_end=end,
        state=block.state,
        origin_registry_id=block.origin_registry_id,
        authorisation_id=block.authorisation_id,
        first_transferred=block.first_transferred,
        ca_status=block.ca_status,
    )
