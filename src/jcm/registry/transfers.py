"""Transfers, external transfers, cancellation and retirement: units leave one account.

Each is one write transaction, exactly once per idempotency key; a partial quantity splits
a block, and cancelled or retired units (state other than "held") are never selected again.
The write path is SQLAlchemy Core (``jcm.registry.spend``); on PostgreSQL the same statements
go in two round trips (``jcm.registry.spend_pg``).
"""

from __future__ import annotations

from typing import Any

from jcm.audit import Context
from jcm.db import Database
from jcm.registry.errors import RegistryMismatch
from jcm.registry.schemas import (
    CancelRequest,
    RetireRequest,
    TransactionOutcome,
    TransferRequest,
)
from jcm.registry.setup import JAPAN
from jcm.registry.spend import Acct, Operation, Spend, pair, refuse_unless_open, run, terminal


def transfer(db: Database, ctx: Context, request: TransferRequest) -> TransactionOutcome:
    """Move units between two holding accounts of the same registry."""
    return run(db, ctx, TRANSFER, request)


def external_transfer(db: Database, ctx: Context, request: TransferRequest) -> TransactionOutcome:
    """Move units from Japan's registry to a partner's, or back: leaves one, acquired in the other."""
    return run(db, ctx, EXTERNAL_TRANSFER, request)


def cancel(db: Database, ctx: Context, request: CancelRequest) -> TransactionOutcome:
    """Cancel units into a cancellation account of the sender's registry; they never move again."""
    return run(db, ctx, CANCELLATION, request)


def retire(db: Database, ctx: Context, request: RetireRequest) -> TransactionOutcome:
    """Retire units for a stated purpose and beneficiary; they never move again."""
    return run(db, ctx, RETIREMENT, request)


def _transfer(found: dict[str, Acct], req: Any) -> Spend:
    sender, receiver = pair(found, req.from_account, req.to_account)
    if sender.registry_id != receiver.registry_id:
        raise RegistryMismatch(
            "a transfer stays within one registry; use an external transfer between registries.",
            "移転は同一登録簿内に限られます。登録簿間は外部移転を使用してください。",
        )
    refuse_unless_open(sender, receiver)
    return Spend(sender, receiver, "held", "transfer")


def _external(found: dict[str, Acct], req: Any) -> Spend:
    sender, receiver = pair(found, req.from_account, req.to_account)
    countries = {sender.country, receiver.country}
    if len(countries) != 2 or JAPAN not in countries:
        raise RegistryMismatch(
            "an external transfer goes between Japan's registry and a partner's registry.",
            "外部移転は日本の登録簿とパートナー国の登録簿の間でのみ行えます。",
        )
    refuse_unless_open(sender, receiver)
    return Spend(sender, receiver, "held", "external_transfer")


def _cancel(found: dict[str, Acct], req: Any) -> Spend:
    sender, target = terminal(found, req.from_account, req.to_account, "cancellation")
    return Spend(sender, target, "cancelled", "cancellation", purpose=req.purpose)


def _retire(found: dict[str, Acct], req: Any) -> Spend:
    sender, target = terminal(found, req.from_account, req.to_account, "retirement")
    return Spend(
        sender, target, "retired", "retirement", purpose=req.purpose, beneficiary=req.beneficiary
    )


TRANSFER = Operation("transfer", None, _transfer)
EXTERNAL_TRANSFER = Operation("external_transfer", None, _external)
CANCELLATION = Operation("cancellation", "cancellation", _cancel)
RETIREMENT = Operation("retirement", "retirement", _retire)
