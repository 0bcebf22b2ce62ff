"""Read queries for the registry's pages and API: public totals, unit look-up, account
history, periods awaiting issuance, and who may act on which account."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session, aliased

from jcm.auth.rules import Action, Principal, Role, require
from jcm.errors import FieldProblem, PermissionDenied, ValidationFailed
from jcm.mrv.models import MonitoringPeriod
from jcm.projects.models import Project
from jcm.reference.models import Organisation
from jcm.registry import rules
from jcm.registry.from_mrv import SAME_PERIOD
from jcm.registry.ledger import account_by_number
from jcm.registry.models import (
    Account,
    AllocationShare,
    Block,
    Issuance,
    Movement,
    Registry,
    RegistryTransaction,
    VerifiedPeriod,
)
from jcm.registry.units import UnitNamer

STAFF = frozenset({Role.ADMIN, Role.SECRETARIAT})


def registries(session: Session) -> list[dict[str, Any]]:
    rows = session.scalars(select(Registry).order_by(Registry.code)).all()
    return [
        {"code": r.code, "country_iso3": r.country_iso3, "name_en": r.name_en, "name_ja": r.name_ja}
        for r in rows
    ]


def may_see_all(principal: Principal | None) -> bool:
    return principal is not None and principal.role in STAFF


def may_act_on(
    principal: Principal, account: Account, registry_country: str, org: Organisation | None
) -> bool:
    """Whether the principal may act on the account (``rules.may_act_on_account``); ``org``
    is the principal's organisation."""
    return rules.may_act_on_account(
        principal.role.value,
        user_organisation=principal.organisation_id,
        user_organisation_kind=org.kind if org is not None else None,
        user_country=org.country_iso3 if org is not None else None,
        account_organisation=account.organisation_id,
        registry_country=registry_country,
    )


def _organisation(session: Session, principal: Principal) -> Organisation | None:
    if principal.organisation_id is None:
        return None
    return session.get(Organisation, principal.organisation_id)


def account_for(
    session: Session, principal: Principal | None, number: str, action: Action
) -> Account:
    """The account, if the principal may take ``action`` on it (401/403/404 otherwise)."""
    who = require(principal, action)
    account = account_by_number(session, number)
    country = (
        session.scalar(select(Registry.country_iso3).where(Registry.id == account.registry_id))
        or ""
    )
    if not may_act_on(who, account, country, _organisation(session, who)):
        if who.organisation_id is None:
            raise PermissionDenied(
                action.value,
                "You belong to no organisation, so you may act on no account.",
                "組織に所属していないため、どの口座も操作できません。",
            )
        raise PermissionDenied(
            action.value,
            "The account belongs to another organisation.",
            "この口座は他の組織に属しています。",
        )
    return account


def visible_numbers(session: Session, principal: Principal) -> set[str] | None:
    """The account numbers the principal may see; ``None`` means every account."""
    if principal.role in STAFF:
        return None
    org = _organisation(session, principal)
    if org is None:
        return set()
    rows = session.execute(
        select(Account, Registry.country_iso3)
        .join(Registry, Registry.id == Account.registry_id)
        .where(Account.organisation_id == org.id)
    ).all()
    return {a.number for a, country in rows if may_act_on(principal, a, country, org)}


def summary(session: Session) -> list[dict[str, Any]]:
    """Issued, cancelled and retired credits by project and vintage (public)."""
    issued = session.execute(
        select(
            Project.ref, Project.title_en, Project.title_ja, Issuance.vintage, Issuance.amount
        ).join(Project, Project.id == Issuance.project_id)
    ).all()
    out: dict[tuple[str, int], dict[str, Any]] = {}
    for ref, en, ja, vintage, amount in issued:
        row = out.setdefault(
            (ref, vintage),
            {
                "project": ref,
                "title_en": en,
                "title_ja": ja,
                "vintage": vintage,
                "issued": 0,
                "cancelled": 0,
                "retired": 0,
            },
        )
        row["issued"] += int(amount)
    spent = session.execute(
        select(
            Project.ref,
            Issuance.vintage,
            Block.state,
            func.sum(Block.serial_end - Block.serial_start + 1),
        )
        .join(Issuance, Issuance.id == Block.issuance_id)
        .join(Project, Project.id == Issuance.project_id)
        .where(Block.state.in_(("cancelled", "retired")))
        .group_by(Project.ref, Issuance.vintage, Block.state)
    ).all()
    for ref, vintage, state, n in spent:
        if (ref, vintage) in out:
            out[(ref, vintage)][state] += int(n or 0)
    return [out[k] for k in sorted(out)]


def lookup_unit(session: Session, text: str) -> dict[str, Any] | None:
    """Which block holds a unit: project, vintage, state and the holder account's kind."""
    try:
        parts = rules.parse_unit_id(text.strip())
    except (ValueError, KeyError, IndexError) as exc:
        raise ValidationFailed.of(
            [
                FieldProblem(
                    "serial", f"Not a unit identifier: {exc}", "単位識別子の形式ではありません。"
                )
            ]
        ) from exc
    issuance_id, serial = int(parts["issuance"]), int(parts["serial"])
    found = session.execute(
        select(
            Block,
            Account.kind,
            Registry.code,
            Project.ref,
            Project.title_en,
            Project.title_ja,
            Issuance.vintage,
        )
        .join(Account, Account.id == Block.account_id)
        .join(Registry, Registry.id == Account.registry_id)
        .join(Issuance, Issuance.id == Block.issuance_id)
        .join(Project, Project.id == Issuance.project_id)
        .where(
            Block.issuance_id == issuance_id,
            Block.serial_start <= serial,
            Block.serial_end >= serial,
        )
    ).first()
    if found is None:
        return None
    block, kind, code, ref, en, ja, vintage = found
    namer = UnitNamer(session)
    return {
        "unit": namer.unit(block.issuance_id, block.origin_registry_id, serial),
        "first_unit": namer.unit(block.issuance_id, block.origin_registry_id, block.serial_start),
        "last_unit": namer.unit(block.issuance_id, block.origin_registry_id, block.serial_end),
        "quantity": block.serial_end - block.serial_start + 1,
        "project": ref,
        "title_en": en,
        "title_ja": ja,
        "vintage": vintage,
        "state": block.state,
        "holder_kind": kind,
        "holder_registry": code,
        "authorised": block.authorisation_id is not None,
        "ca_status": block.ca_status,
    }


def history(session: Session, account: Account, limit: int = 50) -> list[dict[str, Any]]:
    """The newest movements into or out of an account."""
    src, dst = aliased(Account), aliased(Account)
    rows = session.execute(
        select(Movement, RegistryTransaction, src.number, dst.number)
        .join(RegistryTransaction, RegistryTransaction.id == Movement.transaction_id)
        .outerjoin(src, src.id == Movement.from_account_id)
        .join(dst, dst.id == Movement.to_account_id)
        .where(or_(Movement.from_account_id == account.id, Movement.to_account_id == account.id))
        .order_by(Movement.id.desc())
        .limit(limit)
    ).all()
    return [
        {
            "at": tx.created_at,
            "kind": tx.kind,
            "transaction": tx.id,
            "key": tx.idempotency_key,
            "quantity": m.serial_end - m.serial_start + 1,
            "from": f,
            "to": t,
            "incoming": m.to_account_id == account.id,
            "purpose": tx.purpose,
            "beneficiary": tx.beneficiary,
        }
        for m, tx, f, t in rows
    ]


def account_info(session: Session, account: Account) -> dict[str, Any]:
    reg = session.get(Registry, account.registry_id)
    org = session.get(Organisation, account.organisation_id)
    return {
        "number": account.number,
        "kind": account.kind,
        "status": account.status,
        "name": account.name,
        "registry": reg.code if reg else "",
        "organisation_en": org.name_en if org else "",
        "organisation_ja": org.name_ja if org else "",
    }


def issuance_summary(session: Session, issuance: Issuance) -> dict[str, Any]:
    """What one issuance created: its amount, vintage and each allocation's unit range."""
    rows = session.execute(
        select(Movement.serial_start, Movement.serial_end, Account.number, Account.registry_id)
        .join(Account, Account.id == Movement.to_account_id)
        .where(
            Movement.transaction_id == issuance.transaction_id,
            Movement.issuance_id == issuance.id,
        )
        .order_by(Movement.serial_start)
    ).all()
    namer = UnitNamer(session)
    ranges = [
        {
            "account": number,
            "quantity": end - start + 1,
            "first_unit": namer.unit(issuance.id, registry, start),
            "last_unit": namer.unit(issuance.id, registry, end),
        }
        for start, end, number, registry in rows
    ]
    return {
        "id": issuance.id,
        "quantity": issuance.amount,
        "vintage": issuance.vintage,
        "vintage_basis": issuance.vintage_basis,
        "ranges": ranges,
        "first_unit": ranges[0]["first_unit"] if ranges else "",
        "last_unit": ranges[-1]["last_unit"] if ranges else "",
    }


def pending_periods(session: Session) -> list[dict[str, Any]]:
    """Verified monitoring periods not issued yet, oldest first, each with the MRV period it
    was recorded from (same project and dates), if any."""
    rows = session.execute(
        select(VerifiedPeriod, Project.ref, MonitoringPeriod.id)
        .join(Project, Project.id == VerifiedPeriod.project_id)
        .outerjoin(Issuance, Issuance.verified_period_id == VerifiedPeriod.id)
        .outerjoin(MonitoringPeriod, SAME_PERIOD)
        .where(Issuance.id.is_(None))
        .order_by(VerifiedPeriod.period_end, VerifiedPeriod.id)
    ).all()
    return [
        {
            "id": p.id,
            "project": ref,
            "start": p.period_start,
            "end": p.period_end,
            "verified": p.verified_tco2,
            "jc_ref": p.jc_decision_ref,
            "jc_date": p.jc_decision_date,
            "mrv_period": mrv_id,
        }
        for p, ref, mrv_id in rows
    ]


def allocations(session: Session) -> dict[str, list[tuple[str, str]]]:
    """Each project's allocation shares: project ref → [(account, percent)]."""
    out: dict[str, list[tuple[str, str]]] = defaultdict(list)
    rows = session.execute(
        select(Project.ref, Account.number, AllocationShare.percent)
        .join(Project, Project.id == AllocationShare.project_id)
        .join(Account, Account.id == AllocationShare.account_id)
        .order_by(Project.ref, AllocationShare.id)
    ).all()
    for ref, number, percent in rows:
        out[ref].append((number, f"{percent.normalize():f}"))
    return dict(out)
