"""One Party's Article 6.2 view: its share of each issuance from projects in its country, its
corresponding-adjustment ledger by year, and which Party a signed-in person may look at.

Staff (administrators, the secretariat) and the Joint Committee may look at any Party; a
partner-government user only at its own government's country; anyone else at none."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from jcm.auth.rules import Principal, Role
from jcm.errors import PermissionDenied
from jcm.projects.models import Project
from jcm.reference.models import Organisation
from jcm.registry.models import (
    Account,
    AdjustmentEntry,
    Issuance,
    Movement,
    Registry,
    VerifiedPeriod,
)

ANY_PARTY = frozenset({Role.ADMIN, Role.SECRETARIAT, Role.JOINT_COMMITTEE})


class NotYourParty(PermissionDenied):
    def __init__(self, party: str) -> None:
        super().__init__(
            f"see {party}'s Article 6.2 report",
            "A partner government sees only its own Party's.",
            f"パートナー国政府が閲覧できるのは自国の第6条2項報告のみです（{party} は対象外）。",
        )


def parties(session: Session) -> list[str]:
    """Every Party with a registry here, Japan first."""
    found = list(session.scalars(select(Registry.country_iso3).order_by(Registry.country_iso3)))
    return sorted(found, key=lambda p: (p != "JPN", p))


def allowed_party(session: Session, principal: Principal | None, wanted: str | None) -> str:
    """The Party the person may look at: the one asked for, if allowed; a partner government
    its own. Refuses anyone else."""
    if principal is not None and principal.role in ANY_PARTY:
        options = parties(session)
        return wanted if wanted in options else (options[0] if options else "JPN")
    if principal is not None and principal.role is Role.PARTNER_GOVERNMENT:
        org = (
            session.get(Organisation, principal.organisation_id)
            if principal.organisation_id is not None
            else None
        )
        if org is not None and org.kind == "government":
            return org.country_iso3
    raise PermissionDenied(
        "see a Party's Article 6.2 accounts",
        "Only staff, the Joint Committee and the Party's own government see them.",
        "第6条2項の勘定を閲覧できるのは、職員・合同委員会・当該締約国政府のみです。",
    )


def issuance_shares(session: Session, party: str) -> list[dict[str, Any]]:
    """Each issuance from a project in ``party``'s country (or, for Japan, every issuance):
    the amount, and how many units went to the Party's own registry."""
    q = (
        select(Issuance, Project.ref, VerifiedPeriod.period_start, VerifiedPeriod.period_end)
        .join(Project, Project.id == Issuance.project_id)
        .join(VerifiedPeriod, VerifiedPeriod.id == Issuance.verified_period_id)
        .order_by(VerifiedPeriod.period_start, Issuance.id)
    )
    if party != "JPN":
        q = q.where(Project.partner_country == party)
    rows = session.execute(q).all()
    to_party: dict[int, int] = defaultdict(int)
    if rows:
        moved = session.execute(
            select(Issuance.id, func.sum(Movement.serial_end - Movement.serial_start + 1))
            .join(
                Movement,
                (Movement.transaction_id == Issuance.transaction_id)
                & (Movement.issuance_id == Issuance.id),
            )
            .join(Account, Account.id == Movement.to_account_id)
            .join(Registry, Registry.id == Account.registry_id)
            .where(Issuance.id.in_([i.id for i, *_ in rows]), Registry.country_iso3 == party)
            .group_by(Issuance.id)
        ).all()
        to_party.update({i: int(n or 0) for i, n in moved})
    return [
        {
            "issuance": i.id,
            "project": ref,
            "start": start,
            "end": end,
            "vintage": i.vintage,
            "amount": i.amount,
            "to_party": to_party.get(i.id, 0),
        }
        for i, ref, start, end in rows
    ]


def adjustments(session: Session, party: str) -> list[dict[str, Any]]:
    """The Party's corresponding adjustments, by year and reason (+ first transfers of its
    authorised units, − their use towards its NDC)."""
    rows = session.execute(
        select(AdjustmentEntry.year, AdjustmentEntry.reason, func.sum(AdjustmentEntry.quantity))
        .where(AdjustmentEntry.party_iso3 == party)
        .group_by(AdjustmentEntry.year, AdjustmentEntry.reason)
        .order_by(AdjustmentEntry.year, AdjustmentEntry.reason)
    ).all()
    return [{"year": y, "reason": r, "quantity": int(q or 0)} for y, r, q in rows]
