"""The spending write path (transfer, external transfer, cancellation, retirement) in
SQLAlchemy Core: a handful of statements and plain data, no ORM unit of work.

One request, one transaction:

1. the idempotency look-up, which also reserves the transaction id (PostgreSQL sequence;
   ``max(id) + 1`` on SQLite, whose writers are serialised);
2. both accounts found and locked by one statement, in id order, with their registries;
3. the sender's held blocks selected and locked in id order (or serial order for a range),
   with what their unit identifiers and Article 6.2 status need;
4. the split computed in Python (``rules.take_units``);
5. one ``UPDATE`` (executemany) of the consumed blocks, one ``INSERT`` of the transaction row
   with its stored outcome, one ``INSERT`` of new pieces and one of movements (plus Article
   6.2 rows when due), and the audit entry via ``jcm.audit.record``.

The checks on the accounts (``Operation.decide``) and the split with every row to write
(``settle``) are plain functions without I/O; this module runs the statements one by one
(SQLite), ``jcm.registry.spend_pg`` runs the same statements in two round trips (PostgreSQL).
The outcome is built as a dict, stored as is, and returned as ``TransactionOutcome``.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, cast

from sqlalchemy import (
    Connection,
    Select,
    Table,
    bindparam,
    func,
    literal,
    literal_column,
    or_,
    select,
    update,
)
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, aliased

from jcm.audit import Context, record
from jcm.db import Database, utcnow
from jcm.projects.models import Project
from jcm.reference.models import Country
from jcm.registry import rules
from jcm.registry.errors import (
    AccountNotOpen,
    FirstTransferMissing,
    IdempotencyConflict,
    InsufficientHolding,
    RegistryMismatch,
    RegistryNotFound,
    WrongAccountKind,
)
from jcm.registry.models import (
    Account,
    AdjustmentEntry,
    Authorisation,
    Block,
    FirstTransfer,
    Issuance,
    Movement,
    Registry,
    RegistryTransaction,
)
from jcm.registry.schemas import MovedRange, SpendRequest, TransactionOutcome
from jcm.registry.setup import HOLDING_KINDS

HELD: Any = literal_column("'held'")
TX_TABLE = cast(Table, RegistryTransaction.__table__)
_ACC = cast(Table, Account.__table__)
_REG = cast(Table, Registry.__table__)
_BLK = cast(Table, Block.__table__)
_MOV = cast(Table, Movement.__table__)
_ISS = cast(Table, Issuance.__table__)
_PRJ = cast(Table, Project.__table__)
_CTY = cast(Table, Country.__table__)
_AUTH = cast(Table, Authorisation.__table__)
_FT = cast(Table, FirstTransfer.__table__)
_ADJ = cast(Table, AdjustmentEntry.__table__)


@dataclass(frozen=True, slots=True)
class Acct:
    """An account row as the write path needs it (locked by the statement that read it)."""

    id: int
    number: str
    registry_id: int
    kind: str
    status: str
    country: str


@dataclass(frozen=True, slots=True)
class Spend:
    """What a handler decided: who sends, who receives, into which state, and why."""

    sender: Acct
    to: Acct
    state: str
    trigger: str
    purpose: str | None = None
    beneficiary: str | None = None


Decide = Callable[[dict[str, Acct], Any], Spend]


@dataclass(frozen=True, slots=True)
class Operation:
    """A spending operation: its transaction kind, where its units go, and its checks.

    ``terminal`` is the kind of account the units go into for cancellation and retirement
    (its first in the sender's registry when the request names none); ``None`` means the
    request's ``to_account``. ``decide`` checks the locked accounts (plain data, no I/O).
    """

    kind: str
    terminal: str | None
    decide: Decide


@dataclass(slots=True)
class Settlement:
    """Every row one spending request writes, and its outcome, computed without I/O."""

    outcome: dict[str, Any]
    updates: list[dict[str, Any]]
    pieces: list[dict[str, Any]]
    movements: list[dict[str, Any]]
    first_transfers: list[dict[str, Any]]
    adjustments: list[dict[str, Any]]


def run(db: Database, ctx: Context, op: Operation, request: SpendRequest) -> TransactionOutcome:
    """Carry out a spending request once per idempotency key in one retried transaction.

    A replay with the same content returns the stored outcome; different content under the
    same key is refused. A concurrent twin that loses the race on the unique key is rerun
    and so sees the winner's outcome. On PostgreSQL the transaction takes two round trips
    (``jcm.registry.spend_pg``); elsewhere it runs statement by statement below.
    """
    payload = request.model_dump(mode="json", exclude={"idempotency_key"})
    digest = rules.request_hash(op.kind, payload)
    if db.engine.dialect.name == "postgresql":
        from jcm.registry import spend_pg

        return spend_pg.run(db, ctx, op, request, payload, digest)
    key = request.idempotency_key

    def work(session: Session) -> TransactionOutcome:
        conn = session.connection()
        pg = conn.dialect.name == "postgresql"
        next_id, first_hash, first_outcome = conn.execute(idempotency_query(pg), {"key": key}).one()
        if first_hash is not None:
            return replay(key, digest, first_hash, first_outcome)
        stmt, params = accounts_query(op, request)
        found = {r.number: acct(r) for r in conn.execute(stmt, params)}
        spend = op.decide(found, request)
        stmt, params = held_blocks_query(request, account=spend.sender.id)
        rows = conn.execute(stmt, params).all()
        settled = settle(rows, int(next_id), op.kind, request, spend)
        if settled is None:
            raise InsufficientHolding(
                spend.sender.number, request.quantity, _held(conn, spend, request)
            )
        conn.execute(update_block_statement(), settled.updates)
        conn.execute(
            TX_TABLE.insert(), transaction_row(ctx, op.kind, payload, digest, spend, settled)
        )
        _write_rows(conn, settled)
        outcome = settled.outcome
        record(session, ctx, f"registry.{op.kind}", "registry_transaction", next_id, after=outcome)
        return outcome_model(outcome)

    try:
        return db.run(work)
    except IntegrityError:  # a twin committed the same key first: rerun to replay it
        return db.run(work)


def outcome_model(outcome: dict[str, Any]) -> TransactionOutcome:
    """The outcome as returned, built from the dict ``settle`` made (already the right
    types: no validation needed)."""
    moved = [MovedRange.model_construct(**m) for m in outcome["moved"]]
    return TransactionOutcome.model_construct(**{**outcome, "moved": moved})


def replay(key: str, digest: str, first_hash: str, first_outcome: Any) -> TransactionOutcome:
    """The first outcome under ``key``, or a refusal when the content differs."""
    if first_hash != digest:
        raise IdempotencyConflict(key)
    return TransactionOutcome.model_validate({**(first_outcome or {}), "replayed": True})


def transaction_row(
    ctx: Context,
    kind: str,
    payload: dict[str, Any],
    digest: str,
    spend: Spend,
    settled: Settlement,
) -> dict[str, Any]:
    """The ``registry_transaction`` row: the key, the request (``payload``: the request
    without its key), its hash and its outcome."""
    outcome = settled.outcome
    return {
        "id": outcome["transaction_id"],
        "kind": kind,
        "idempotency_key": outcome["idempotency_key"],
        "request_hash": digest,
        "request": payload,
        "outcome": outcome,
        "registry_id": spend.sender.registry_id,
        "counter_registry_id": (
            spend.to.registry_id if spend.to.registry_id != spend.sender.registry_id else None
        ),
        "quantity": outcome["quantity"],
        "purpose": spend.purpose,
        "beneficiary": spend.beneficiary,
        "actor": ctx.actor,
        "created_at": utcnow(),
    }


def _to_account(req: Any) -> str | None:
    return cast(str | None, getattr(req, "to_account", None))


# --- accounts -------------------------------------------------------------------------------


def pair(found: dict[str, Acct], sender_no: str, receiver_no: str) -> tuple[Acct, Acct]:
    """Both holding accounts of a transfer from the locked rows; whether they are open is
    checked by the caller, after the registries."""
    sender, receiver = _kind_holding(found, sender_no), _kind_holding(found, receiver_no)
    if sender.id == receiver.id:
        raise RegistryMismatch(
            "sender and receiver are the same account.", "送付元と送付先が同じ口座です。"
        )
    return sender, receiver


def terminal(
    found: dict[str, Acct], sender_no: str, number: str | None, kind: str
) -> tuple[Acct, Acct]:
    """The holding sender and its cancellation or retirement account (the registry's first
    of that kind when ``number`` is None) from the locked rows; both must be open."""
    sender = _kind_holding(found, sender_no)
    if number is None:
        target = next((a for a in found.values() if a.id != sender.id), None)
        if target is None:
            raise RegistryNotFound(
                f"{kind.capitalize()} account in registry", sender.registry_id, "口座"
            )
    else:
        found_target = found.get(number)
        if found_target is None:
            raise RegistryNotFound("Account", number, "口座")
        target = found_target
        if target.kind != kind:
            raise WrongAccountKind(target.number, target.kind, kind)
        if target.registry_id != sender.registry_id:
            raise RegistryMismatch(
                f"the {kind} account must be in the sender's registry.",
                "取消・償却口座は送付元と同じ登録簿にある必要があります。",
            )
    refuse_unless_open(sender, target)
    return sender, target


def accounts_query(op: Operation, req: Any) -> tuple[Select[Any], dict[str, Any]]:
    """The statement that finds and locks (in id order) the accounts a request names."""
    to = _to_account(req)
    if op.terminal is not None and to is None:
        return _lock_with_first_of_kind(), {"sender": req.from_account, "kind": op.terminal}
    numbers = sorted({req.from_account, to or req.from_account})
    return _lock_by_numbers(), {"first": numbers[0], "second": numbers[-1]}


def refuse_unless_open(*accounts: Acct) -> None:
    for a in sorted(accounts, key=lambda a: a.id):
        if a.status != "open":
            raise AccountNotOpen(a.number, a.status)


def _kind_holding(found: dict[str, Acct], number: str) -> Acct:
    account = found.get(number)
    if account is None:
        raise RegistryNotFound("Account", number, "口座")
    if account.kind not in HOLDING_KINDS:
        raise WrongAccountKind(account.number, account.kind, "holding")
    return account


def acct(r: Any) -> Acct:
    return Acct(r.id, r.number, r.registry_id, r.kind, r.status, r.country_iso3)


def _account_columns() -> Select[Any]:
    return select(
        _ACC.c.id,
        _ACC.c.number,
        _ACC.c.registry_id,
        _ACC.c.kind,
        _ACC.c.status,
        _REG.c.country_iso3,
    ).join_from(_ACC, _REG, _ACC.c.registry_id == _REG.c.id)


@lru_cache(maxsize=1)
def _lock_by_numbers() -> Select[Any]:
    return (
        _account_columns()
        .where(or_(_ACC.c.number == bindparam("first"), _ACC.c.number == bindparam("second")))
        .order_by(_ACC.c.id)
        .with_for_update(of=_ACC)
    )


@lru_cache(maxsize=1)
def _lock_with_first_of_kind() -> Select[Any]:
    same = _ACC.alias("same_registry")
    own = _ACC.alias("own")
    first = (
        select(func.min(same.c.id))
        .where(
            same.c.kind == bindparam("kind"),
            same.c.registry_id
            == select(own.c.registry_id)
            .where(own.c.number == bindparam("sender"))
            .scalar_subquery(),
        )
        .scalar_subquery()
    )
    return (
        _account_columns()
        .where(or_(_ACC.c.number == bindparam("sender"), _ACC.c.id == first))
        .order_by(_ACC.c.id)
        .with_for_update(of=_ACC)
    )


# --- the transaction ------------------------------------------------------------------------


@lru_cache(maxsize=2)
def idempotency_query(pg: bool) -> Select[Any]:
    """The next transaction id and, when the key was used, the first request's hash and outcome."""
    if pg:
        next_id: Any = func.nextval(func.pg_get_serial_sequence("registry_transaction", "id"))
    else:
        next_id = select(func.coalesce(func.max(TX_TABLE.c.id), 0) + 1).scalar_subquery()
    one = select(literal(1).label("one")).subquery("one")
    first = TX_TABLE.alias("first")
    return select(next_id, first.c.request_hash, first.c.outcome).select_from(
        one.outerjoin(first, first.c.idempotency_key == bindparam("key"))
    )


def held_blocks_query(
    req: SpendRequest, *, account: int | None = None
) -> tuple[Select[Any], dict[str, Any]]:
    """The statement that selects and locks the sender's held blocks a request may take: by
    the sender's id, or (``account`` None) by its number, when the id is not known yet."""
    params: dict[str, Any] = (
        {"account": account} if account is not None else {"sender": req.from_account}
    )
    if req.issuance_id is not None:
        params["issuance"] = req.issuance_id
    if req.serial_start is not None:
        params["first"] = req.serial_start
        params["last"] = req.serial_start + req.quantity - 1
    else:
        params["quantity"] = req.quantity
    stmt = _held_blocks(req.issuance_id is not None, req.serial_start is not None, account is None)
    return stmt, params


@lru_cache(maxsize=8)
def _held_blocks(by_issuance: bool, by_range: bool, by_number: bool) -> Select[Any]:
    """The blocks are chosen and locked by a sub-select of their own table (an index scan
    that stops at the limit, and row locks on that one table); what their unit
    identifiers and Article 6.2 status need is joined outside it."""
    locked = select(
        _BLK.c.id,
        _BLK.c.issuance_id,
        _BLK.c.serial_start,
        _BLK.c.serial_end,
        _BLK.c.origin_registry_id,
        _BLK.c.authorisation_id,
        _BLK.c.first_transferred,
        _BLK.c.ca_status,
    ).where(_BLK.c.state == HELD)  # a constant, so the partial index of held blocks applies
    if by_number:
        sender = select(_ACC.c.id).where(_ACC.c.number == bindparam("sender")).scalar_subquery()
        locked = locked.where(_BLK.c.account_id == sender)
    else:
        locked = locked.where(_BLK.c.account_id == bindparam("account"))
    if by_issuance:
        locked = locked.where(_BLK.c.issuance_id == bindparam("issuance"))
    if by_range:
        locked = locked.where(
            _BLK.c.serial_end >= bindparam("first"), _BLK.c.serial_start <= bindparam("last")
        ).order_by(_BLK.c.serial_start)
    else:
        locked = locked.order_by(_BLK.c.id).limit(bindparam("quantity"))
    held = locked.with_for_update().subquery("held")
    origin = aliased(_REG, name="origin")
    return (
        select(
            held.c.id,
            held.c.issuance_id,
            held.c.serial_start,
            held.c.serial_end,
            held.c.origin_registry_id,
            held.c.authorisation_id,
            held.c.first_transferred,
            held.c.ca_status,
            _ISS.c.vintage,
            _PRJ.c.ref,
            _CTY.c.iso2,
            origin.c.code,
            _AUTH.c.party_iso3,
            _AUTH.c.authorised_use,
            _AUTH.c.first_transfer_definition,
        )
        .select_from(
            held.join(_ISS, _ISS.c.id == held.c.issuance_id)
            .join(_PRJ, _PRJ.c.id == _ISS.c.project_id)
            .join(_CTY, _CTY.c.iso3 == _PRJ.c.partner_country)
            .join(origin, origin.c.id == held.c.origin_registry_id)
            .outerjoin(_AUTH, _AUTH.c.id == held.c.authorisation_id)
        )
        .order_by(held.c.serial_start if by_range else held.c.id)
    )


@lru_cache(maxsize=1)
def update_block_statement() -> Any:
    return (
        update(_BLK)
        .where(_BLK.c.id == bindparam("b_id"))
        .values(
            account_id=bindparam("b_account"),
            state=bindparam("b_state"),
            serial_start=bindparam("b_start"),
            serial_end=bindparam("b_end"),
            first_transferred=bindparam("b_first"),
            ca_status=bindparam("b_ca"),
        )
    )


def settle(
    rows: Sequence[Any], tx_id: int, kind: str, req: SpendRequest, spend: Spend
) -> Settlement | None:
    """Split the locked blocks ``rows`` (from ``held_blocks_query``) and describe every row
    the request writes; ``None`` when they hold fewer units than requested. No I/O.

    Refuses (``FirstTransferMissing``) to cancel or retire authorised units held in another
    Party's registry whose first transfer is not recorded."""
    sender, to, state, trigger = spend.sender, spend.to, spend.state, spend.trigger
    by_id = {r.id: r for r in rows}
    plain = [rules.HeldBlock(r.id, r.issuance_id, r.serial_start, r.serial_end) for r in rows]
    takes, available = rules.take_units(plain, req.quantity, serial_start=req.serial_start)
    if available < req.quantity:
        return None

    now = utcnow()
    year = now.year
    acquiring = to.country if trigger == "external_transfer" else None
    updates: list[dict[str, Any]] = []
    pieces: list[dict[str, Any]] = []
    movements: list[dict[str, Any]] = []
    first_transfers: list[dict[str, Any]] = []
    adjustments: list[dict[str, Any]] = []
    moved: list[dict[str, Any]] = []
    quantity = 0
    for take in takes:
        r = by_id[take.block_id]
        first_transferred, ca_status = r.first_transferred, r.ca_status
        size = take.end - take.start + 1
        if r.party_iso3 is not None:  # authorised units: Article 6.2 bookkeeping
            international = to.country != r.party_iso3
            if not first_transferred and rules.first_transfer_due(
                r.first_transfer_definition, trigger, international=international
            ):
                first_transfers.append(
                    {
                        "transaction_id": tx_id,
                        "authorisation_id": r.authorisation_id,
                        "issuance_id": r.issuance_id,
                        "serial_start": take.start,
                        "serial_end": take.end,
                        "transferring_party": r.party_iso3,
                        "acquiring_party": acquiring,
                        "at": now,
                    }
                )
                adjustments.append(_adjustment(r.party_iso3, year, size, "first_transfer", tx_id))
                first_transferred, ca_status = True, "applied"
            if rules.use_without_first_transfer(
                trigger,
                authorising_party=r.party_iso3,
                holder_party=sender.country,
                first_transferred=first_transferred,
            ):
                approach = rules.cooperative_approach_id(r.iso2)
                first = rules.unit_id(approach, r.code, r.ref, r.vintage, r.issuance_id, take.start)
                raise FirstTransferMissing(sender.number, first, r.party_iso3)
            if (
                trigger == "cancellation"
                and r.authorised_use != "oimp"
                and to.country != r.party_iso3
            ):
                adjustments.append(_adjustment(to.country, year, -size, "use_towards_ndc", tx_id))
        if take.whole:
            updates.append(
                _block(r.id, to.id, state, take.start, take.end, first_transferred, ca_status)
            )
        else:
            (keep_start, keep_end), *rest = take.keep
            updates.append(
                _block(
                    r.id, sender.id, "held", keep_start, keep_end, r.first_transferred, r.ca_status
                )
            )
            for start, end in rest:
                pieces.append(
                    _piece(r, sender.id, "held", start, end, r.first_transferred, r.ca_status)
                )
            pieces.append(
                _piece(r, to.id, state, take.start, take.end, first_transferred, ca_status)
            )
        movements.append(
            {
                "transaction_id": tx_id,
                "issuance_id": r.issuance_id,
                "serial_start": take.start,
                "serial_end": take.end,
                "from_account_id": sender.id,
                "to_account_id": to.id,
                "to_state": state,
            }
        )
        approach = rules.cooperative_approach_id(r.iso2)
        moved.append(
            {
                "issuance_id": r.issuance_id,
                "serial_start": take.start,
                "serial_end": take.end,
                "quantity": size,
                "first_unit": rules.unit_id(
                    approach, r.code, r.ref, r.vintage, r.issuance_id, take.start
                ),
                "last_unit": rules.unit_id(
                    approach, r.code, r.ref, r.vintage, r.issuance_id, take.end
                ),
                "from_account": sender.number,
                "to_account": to.number,
                "state": state,
            }
        )
        quantity += size
    outcome = {
        "transaction_id": tx_id,
        "kind": kind,
        "idempotency_key": req.idempotency_key,
        "quantity": quantity,
        "moved": moved,
        "replayed": False,
    }
    return Settlement(outcome, updates, pieces, movements, first_transfers, adjustments)


def new_rows(settled: Settlement) -> list[tuple[Table, list[dict[str, Any]]]]:
    """New pieces, movements and Article 6.2 rows by table, in the order they are written
    (after the transaction row, which movements refer to)."""
    return [
        (table, values)
        for table, values in (
            (_BLK, settled.pieces),
            (_MOV, settled.movements),
            (_FT, settled.first_transfers),
            (_ADJ, settled.adjustments),
        )
        if values
    ]


def _write_rows(conn: Connection, settled: Settlement) -> None:
    for table, values in new_rows(settled):
        conn.execute(table.insert(), values)


def _block(
    block_id: int, account: int, state: str, start: int, end: int, first: bool, ca: str
) -> dict[str, Any]:
    return {
        "b_id": block_id,
        "b_account": account,
        "b_state": state,
        "b_start": start,
        "b_end": end,
        "b_first": first,
        "b_ca": ca,
    }


def _piece(
    r: Any, account: int, state: str, start: int, end: int, first: bool, ca: str
) -> dict[str, Any]:
    return {
        "issuance_id": r.issuance_id,
        "account_id": account,
        "serial_start": start,
        "serial_end": end,
        "state": state,
        "origin_registry_id": r.origin_registry_id,
        "authorisation_id": r.authorisation_id,
        "first_transferred": first,
        "ca_status": ca,
    }


def _adjustment(party: str, year: int, quantity: int, reason: str, tx_id: int) -> dict[str, Any]:
    return {
        "party_iso3": party,
        "year": year,
        "quantity": quantity,
        "reason": reason,
        "transaction_id": tx_id,
    }


def held_query(spend: Spend, req: SpendRequest) -> tuple[Select[Any], dict[str, Any]]:
    """How many matching units the sender holds (for the refusal's message)."""
    params: dict[str, Any] = {"account": spend.sender.id}
    if req.issuance_id is not None:
        params["issuance"] = req.issuance_id
    return _held_total(req.issuance_id is not None), params


@lru_cache(maxsize=2)
def _held_total(by_issuance: bool) -> Select[Any]:
    q = select(func.coalesce(func.sum(_BLK.c.serial_end - _BLK.c.serial_start + 1), 0)).where(
        _BLK.c.account_id == bindparam("account"), _BLK.c.state == "held"
    )
    if by_issuance:
        q = q.where(_BLK.c.issuance_id == bindparam("issuance"))
    return q


def _held(conn: Connection, spend: Spend, req: SpendRequest) -> int:
    stmt, params = held_query(spend, req)
    return int(conn.execute(stmt, params).scalar() or 0)
