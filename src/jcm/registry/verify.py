"""Rebuild holdings from the transaction log and check every invariant and the audit chain."""

from __future__ import annotations

from collections import defaultdict

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from jcm.audit import AuditEntry, verify_chain
from jcm.registry import invariants, rules
from jcm.registry.models import (
    Account,
    Authorisation,
    Block,
    FirstTransfer,
    Issuance,
    Movement,
    Registry,
    RegistryTransaction,
    VerifiedPeriod,
)
from jcm.registry.schemas import VerifyReport


def verify(session: Session) -> VerifyReport:
    """Check conservation, serial uniqueness, movement legality, final states, issuance ≤
    verified, one outcome per idempotency key, an audit entry per transaction, no authorised
    unit used or cancelled in another Party's registry without a first transfer, the chain."""
    issued = {i: n for i, n in session.execute(select(Issuance.id, Issuance.amount))}
    kinds = {i: k for i, k in session.execute(select(Account.id, Account.kind))}
    blocks = [
        invariants.Piece(b.issuance_id, b.serial_start, b.serial_end, b.account_id, b.state)
        for b in session.execute(
            select(
                Block.issuance_id,
                Block.serial_start,
                Block.serial_end,
                Block.account_id,
                Block.state,
            )
        )
    ]
    rebuilt, problems = invariants.replay(_movements(session))
    problems += invariants.block_problems(blocks, issued, kinds)
    problems += invariants.compare(rebuilt, blocks)
    problems += _issuance_problems(session)
    problems += _transaction_problems(session)
    problems += first_transfer_problems(session)
    chain = verify_chain(session)
    problems += [f"audit: {p}" for p in chain.problems]
    return VerifyReport(
        ok=not problems,
        transactions=session.scalar(select(func.count(RegistryTransaction.id))) or 0,
        issuances=len(issued),
        blocks=len(blocks),
        audit_entries=chain.entries,
        problems=problems,
    )


def _movements(session: Session) -> list[invariants.Movement]:
    rows = session.execute(
        select(
            Movement.transaction_id,
            Movement.issuance_id,
            Movement.serial_start,
            Movement.serial_end,
            Movement.from_account_id,
            Movement.to_account_id,
            Movement.to_state,
        ).order_by(Movement.transaction_id, Movement.id)
    )
    return [invariants.Movement(*r) for r in rows]


def _issuance_problems(session: Session) -> list[str]:
    rows = session.execute(
        select(
            Issuance.id, Issuance.amount, VerifiedPeriod.verified_tco2, Issuance.transaction_id
        ).join(VerifiedPeriod, VerifiedPeriod.id == Issuance.verified_period_id)
    )
    problems = []
    for issuance_id, amount, verified, tx_id in rows:
        if amount > verified:
            problems.append(f"issuance {issuance_id}: {amount} exceeds verified {verified}")
        issued_by_log = session.scalar(
            select(
                func.coalesce(func.sum(Movement.serial_end - Movement.serial_start + 1), 0)
            ).where(
                Movement.transaction_id == tx_id,
                Movement.issuance_id == issuance_id,
                Movement.from_account_id.is_(None),
            )
        )
        if issued_by_log != amount:
            problems.append(
                f"issuance {issuance_id}: log issued {issued_by_log}, record says {amount}"
            )
    return problems


def _transaction_problems(session: Session) -> list[str]:
    audited = {
        int(e)
        for e in session.scalars(
            select(AuditEntry.entity_id).where(AuditEntry.entity == "registry_transaction")
        )
    }
    problems = []
    for tx_id, outcome, quantity in session.execute(
        select(RegistryTransaction.id, RegistryTransaction.outcome, RegistryTransaction.quantity)
    ):
        if tx_id not in audited:
            problems.append(f"transaction {tx_id}: no audit entry")
        if not outcome or outcome.get("quantity") != quantity:
            problems.append(f"transaction {tx_id}: stored outcome missing or inconsistent")
    return problems


def first_transfer_problems(session: Session) -> list[str]:
    """Authorised units cancelled or retired in the registry of a Party other than the
    authorising one whose serials no recorded first transfer covers."""
    recorded: dict[int, list[tuple[int, int]]] = defaultdict(list)
    for issuance_id, start, end in session.execute(
        select(FirstTransfer.issuance_id, FirstTransfer.serial_start, FirstTransfer.serial_end)
    ):
        recorded[issuance_id].append((start, end))
    used = session.execute(
        select(
            Block.issuance_id,
            Block.serial_start,
            Block.serial_end,
            Block.state,
            Account.number,
            Authorisation.party_iso3,
        )
        .join(Account, Account.id == Block.account_id)
        .join(Registry, Registry.id == Account.registry_id)
        .join(Authorisation, Authorisation.id == Block.authorisation_id)
        .where(
            Block.state.in_(sorted(rules.USES_STATES)),
            Registry.country_iso3 != Authorisation.party_iso3,
        )
        .order_by(Block.issuance_id, Block.serial_start)
    )
    problems = []
    for issuance_id, start, end, state, number, party in used:
        for lo, hi in rules.uncovered((start, end), recorded[issuance_id]):
            problems.append(
                f"issuance {issuance_id} units {lo}-{hi}: {state} in {number} without a first"
                f" transfer by {party}"
            )
    return problems
