"""Issuance: credits for one verified monitoring period, split by vintage (the calendar
years of the period, ``rules_vintage``) and then by the allocation shares."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from jcm.audit import Context
from jcm.db import Database, utcnow
from jcm.registry import rules, rules_vintage
from jcm.registry.article6 import Article6
from jcm.registry.errors import (
    AllocationInvalid,
    AlreadyIssued,
    IssuanceExceedsVerified,
    NotReadyForIssuance,
    PeriodNotFound,
    RegistryNotFound,
)
from jcm.registry.ledger import execute, lock_accounts, open_transaction
from jcm.registry.models import (
    Account,
    AllocationShare,
    Authorisation,
    Block,
    Issuance,
    Movement,
    Registry,
    RegistryTransaction,
    VerifiedPeriod,
)
from jcm.registry.schemas import IssueRequest, MovedRange, TransactionOutcome
from jcm.registry.setup import JAPAN, SUBSIDISED_PROGRAMMES, project_by_id
from jcm.registry.units import UnitNamer


def issue(db: Database, ctx: Context, request: IssueRequest) -> TransactionOutcome:
    """Issue ``amount`` credits for a verified period, exactly once per idempotency key."""
    return execute(db, ctx, "issuance", request, _issue)


def _issue(
    session: Session, ctx: Context, req: IssueRequest, tx: RegistryTransaction
) -> list[MovedRange]:
    period = _lock_period(session, req)
    project = project_by_id(session, period.project_id)
    shares = session.execute(
        select(AllocationShare, Account)
        .join(Account, Account.id == AllocationShare.account_id)
        .where(AllocationShare.project_id == project.id)
        .order_by(AllocationShare.id)
    ).all()
    plain = [rules.Share(a.number, s.percent, _japan_gov(session, a)) for s, a in shares]
    problems = rules.allocation_problems(
        plain, subsidised=project.programme in SUBSIDISED_PROGRAMMES
    )
    if problems:
        raise AllocationInvalid(problems[0][0], problems[0][1])
    accounts = [a for _, a in shares]
    lock_accounts(session, accounts)
    open_transaction(session, tx, *_registries(session, project.partner_country))
    auth = session.scalar(
        select(Authorisation)
        .where(Authorisation.project_id == project.id)
        .order_by(Authorisation.id.desc())
        .limit(1)
    )
    basis, parts = rules_vintage.vintages(
        period.period_start, period.period_end, req.amount, period.reductions_by_year
    )
    moved: list[MovedRange] = []
    for vintage, amount in sorted(parts.items()):
        issuance = Issuance(
            verified_period_id=period.id,
            project_id=project.id,
            vintage=vintage,
            vintage_basis=basis,
            amount=amount,
            transaction_id=tx.id,
            authorisation_id=auth.id if auth else None,
        )
        session.add(issuance)
        session.flush()
        amounts = rules.allocate_largest_remainder(amount, plain)
        ranges = rules.consecutive_ranges(amounts)
        moved += _write_blocks(session, tx, issuance, accounts, ranges)
    return moved


def check_issuable(session: Session, req: IssueRequest) -> None:
    """Refuse an issuance request that could never run: its verified period is unknown, has
    no Joint Committee decision, was issued already, or the amount exceeds its verified
    reductions. Read only: called before a request is held for approval, and again (with
    the period locked) when it runs. A request whose idempotency key already ran is left
    to the service, which replays it (or refuses other content under the key)."""
    done = session.scalar(
        select(RegistryTransaction.id).where(
            RegistryTransaction.idempotency_key == req.idempotency_key
        )
    )
    if done is None:
        _checked(session, req, lock=False)


def _lock_period(session: Session, req: IssueRequest) -> VerifiedPeriod:
    return _checked(session, req, lock=True)


def _checked(session: Session, req: IssueRequest, *, lock: bool) -> VerifiedPeriod:
    q = select(VerifiedPeriod).where(VerifiedPeriod.id == req.verified_period_id)
    period = session.scalar(q.with_for_update() if lock else q)
    if period is None:
        raise PeriodNotFound(req.verified_period_id)
    if period.jc_decision_ref is None:
        raise NotReadyForIssuance(period.id)
    if session.scalar(select(Issuance.id).where(Issuance.verified_period_id == period.id)):
        raise AlreadyIssued(period.id)
    if req.amount > period.verified_tco2:
        raise IssuanceExceedsVerified(req.amount, period.verified_tco2)
    return period


def _japan_gov(session: Session, account: Account) -> bool:
    reg = session.get(Registry, account.registry_id)
    return account.kind == "government_holding" and reg is not None and reg.country_iso3 == JAPAN


def _party(session: Session, account: Account) -> str | None:
    reg = session.get(Registry, account.registry_id)
    return reg.country_iso3 if reg is not None else None


def _registries(session: Session, partner_iso3: str) -> tuple[int, int | None]:
    regs = {
        r.country_iso3: r.id
        for r in session.scalars(
            select(Registry).where(Registry.country_iso3.in_([partner_iso3, JAPAN]))
        )
    }
    home = regs.get(partner_iso3) or regs.get(JAPAN)
    if home is None:
        raise RegistryNotFound("Registry", partner_iso3, "登録簿")
    return home, regs.get(JAPAN) if home != regs.get(JAPAN) else None


def _write_blocks(
    session: Session,
    tx: RegistryTransaction,
    issuance: Issuance,
    accounts: list[Account],
    ranges: list[tuple[int, int] | None],
) -> list[MovedRange]:
    """One block and one movement per share that receives credits. A share issued into the
    registry of a Party other than the authorising one is the units' first international
    transfer: recorded with the authorising Party's adjustment in this year (not the vintage).
    """
    namer = UnitNamer(session)
    art6 = Article6(session, tx, utcnow().year)
    moved: list[MovedRange] = []
    for account, span in zip(accounts, ranges, strict=True):
        if span is None:
            continue
        block = Block(
            issuance_id=issuance.id,
            account_id=account.id,
            serial_start=span[0],
            serial_end=span[1],
            state="held",
            origin_registry_id=account.registry_id,
            authorisation_id=issuance.authorisation_id,
            first_transferred=False,
            ca_status="pending" if issuance.authorisation_id else "not_applicable",
        )
        session.add(block)
        art6.touch(block, "issuance", _party(session, account))
        session.add(
            Movement(
                transaction_id=tx.id,
                issuance_id=issuance.id,
                serial_start=span[0],
                serial_end=span[1],
                from_account_id=None,
                to_account_id=account.id,
                to_state="held",
            )
        )
        moved.append(namer.moved(block, from_account=None, to_account=account.number))
    session.flush()
    return moved
