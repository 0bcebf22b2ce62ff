"""Transfers, external transfers, cancellation and retirement: units leave one account.

Each is one write transaction, exactly once per idempotency key; a partial quantity splits
a block, and cancelled or retired units (state other than "held") are never selected again.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from jcm.audit import Context
from jcm.db import Database, utcnow
from jcm.registry.article6 import Article6
from jcm.registry.errors import RegistryMismatch, RegistryNotFound, WrongAccountKind
from jcm.registry.ledger import (
    Destination,
    account_by_number,
    execute,
    lock_accounts,
    lock_by_number,
    move,
    open_transaction,
    refuse_unless_open,
    take_held,
)
from jcm.registry.models import Account, Block, RegistryTransaction
from jcm.registry.schemas import (
    CancelRequest,
    MovedRange,
    RetireRequest,
    TransactionOutcome,
    TransferRequest,
    _Spend,
)
from jcm.registry.setup import HOLDING_KINDS, JAPAN
from jcm.registry.units import UnitNamer, registry_countries


def transfer(db: Database, ctx: Context, request: TransferRequest) -> TransactionOutcome:
    """Move units between two holding accounts of the same registry."""
    return execute(db, ctx, "transfer", request, _transfer)


def external_transfer(db: Database, ctx: Context, request: TransferRequest) -> TransactionOutcome:
    """Move units from Japan's registry to a partner's, or back: leaves one, acquired in the other."""
    return execute(db, ctx, "external_transfer", request, _external)


def cancel(db: Database, ctx: Context, request: CancelRequest) -> TransactionOutcome:
    """Cancel units into a cancellation account of the sender's registry; they never move again."""
    return execute(db, ctx, "cancellation", request, _cancel)


def retire(db: Database, ctx: Context, request: RetireRequest) -> TransactionOutcome:
    """Retire units for a stated purpose and beneficiary; they never move again."""
    return execute(db, ctx, "retirement", request, _retire)


def _transfer(
    s: Session, ctx: Context, req: TransferRequest, tx: RegistryTransaction
) -> list[MovedRange]:
    sender, receiver = _pair(s, req.from_account, req.to_account)
    if sender.registry_id != receiver.registry_id:
        raise RegistryMismatch(
            "a transfer stays within one registry; use an external transfer between registries.",
            "移転は同一登録簿内に限られます。登録簿間は外部移転を使用してください。",
        )
    return _spend(s, tx, req, sender, Destination(receiver, "held"), "transfer", locked=True)


def _external(
    s: Session, ctx: Context, req: TransferRequest, tx: RegistryTransaction
) -> list[MovedRange]:
    sender, receiver = _pair(s, req.from_account, req.to_account)
    countries = {_country(s, sender), _country(s, receiver)}
    if len(countries) != 2 or JAPAN not in countries:
        raise RegistryMismatch(
            "an external transfer goes between Japan's registry and a partner's registry.",
            "外部移転は日本の登録簿とパートナー国の登録簿の間でのみ行えます。",
        )
    return _spend(
        s, tx, req, sender, Destination(receiver, "held"), "external_transfer", locked=True
    )


def _cancel(
    s: Session, ctx: Context, req: CancelRequest, tx: RegistryTransaction
) -> list[MovedRange]:
    sender = _holding(s, req.from_account)
    target = _terminal(s, sender, req.to_account, "cancellation")
    tx.purpose = req.purpose
    return _spend(s, tx, req, sender, Destination(target, "cancelled"), "cancellation")


def _retire(
    s: Session, ctx: Context, req: RetireRequest, tx: RegistryTransaction
) -> list[MovedRange]:
    sender = _holding(s, req.from_account)
    target = _terminal(s, sender, req.to_account, "retirement")
    tx.purpose, tx.beneficiary = req.purpose, req.beneficiary
    return _spend(s, tx, req, sender, Destination(target, "retired"), "retirement")


def _spend(
    s: Session,
    tx: RegistryTransaction,
    req: _Spend,
    sender: Account,
    to: Destination,
    trigger: str,
    *,
    locked: bool = False,
) -> list[MovedRange]:
    if locked:
        refuse_unless_open([sender, to.account])
    else:
        lock_accounts(s, [sender, to.account])
    counter = to.account.registry_id if to.account.registry_id != sender.registry_id else None
    open_transaction(s, tx, sender.registry_id, counter)
    taken = take_held(s, sender, req)
    art6 = Article6(s, tx, utcnow().year)
    receiving_party = _country(s, to.account)

    def on_moved(block: Block) -> None:
        art6.touch(block, trigger, receiving_party if trigger == "external_transfer" else None)
        if trigger == "cancellation":
            art6.use_towards_ndc(block, receiving_party)

    namer = UnitNamer(s)
    namer.remember(sender, to.account)
    return move(s, tx, taken, to, namer, on_moved)


def _pair(s: Session, sender_no: str, receiver_no: str) -> tuple[Account, Account]:
    """Both holding accounts, found and locked (in id order) by one statement."""
    found = lock_by_number(s, [sender_no, receiver_no])
    sender, receiver = _kind_holding(found, sender_no), _kind_holding(found, receiver_no)
    if sender.id == receiver.id:
        raise RegistryMismatch(
            "sender and receiver are the same account.", "送付元と送付先が同じ口座です。"
        )
    return sender, receiver


def _kind_holding(found: dict[str, Account], number: str) -> Account:
    account = found.get(number)
    if account is None:
        raise RegistryNotFound("Account", number, "口座")
    if account.kind not in HOLDING_KINDS:
        raise WrongAccountKind(account.number, account.kind, "holding")
    return account


def _holding(s: Session, number: str) -> Account:
    account = account_by_number(s, number)
    if account.kind not in HOLDING_KINDS:
        raise WrongAccountKind(account.number, account.kind, "holding")
    return account


def _terminal(s: Session, sender: Account, number: str | None, kind: str) -> Account:
    if number is None:
        found = s.scalar(
            select(Account)
            .where(Account.registry_id == sender.registry_id, Account.kind == kind)
            .order_by(Account.id)
            .limit(1)
        )
        if found is None:
            raise RegistryNotFound(
                f"{kind.capitalize()} account in registry", sender.registry_id, "口座"
            )
        return found
    account = account_by_number(s, number)
    if account.kind != kind:
        raise WrongAccountKind(account.number, account.kind, kind)
    if account.registry_id != sender.registry_id:
        raise RegistryMismatch(
            f"the {kind} account must be in the sender's registry.",
            "取消・償却口座は送付元と同じ登録簿にある必要があります。",
        )
    return account


def _country(s: Session, account: Account) -> str:
    found = registry_countries(s, account.registry_id)
    return found[1] if found else ""
