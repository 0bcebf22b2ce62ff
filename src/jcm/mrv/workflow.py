"""Third-party verification of a monitoring period, step by step and role by role:

    draft ─submit→ submitted ─assign TPE→ under_verification ─opinion→ verified │ rejected
    verified ─issuance request→ issuance_requested

The first verified period of a ``registered`` project moves the project to ``monitoring``
(a system step, its reason naming the period); an issuance request leaves the project in
``monitoring``: crediting is the registry's decision.

Participants act only on their organisation's projects; a TPE only on periods assigned to
its organisation and only while it is designated for the methodology's sectoral scope.
"""

from __future__ import annotations

from enum import StrEnum

from sqlalchemy import select
from sqlalchemy.orm import Session

from jcm import audit
from jcm.auth.rules import SYSTEM_PRINCIPAL, Action, Principal, require
from jcm.db import utcnow
from jcm.errors import IllegalTransition, NotFound, PermissionDenied, RuleViolation
from jcm.mrv.api import REGISTRY
from jcm.mrv.models import Finding, MonitoringPeriod, TpeDesignation
from jcm.mrv.periods import add_event, binding, get_period, require_owner
from jcm.projects import rules as project_rules
from jcm.projects import service as projects
from jcm.projects.models import Project
from jcm.reference.models import Organisation
from jcm.reference.service import organisation_named

TPE_KIND = "third_party_entity"


class PeriodStatus(StrEnum):
    DRAFT = "draft"
    SUBMITTED = "submitted"
    UNDER_VERIFICATION = "under_verification"
    VERIFIED = "verified"
    REJECTED = "rejected"
    ISSUANCE_REQUESTED = "issuance_requested"


STATUS_JA = {
    PeriodStatus.DRAFT: "下書き",
    PeriodStatus.SUBMITTED: "提出済み",
    PeriodStatus.UNDER_VERIFICATION: "検証中",
    PeriodStatus.VERIFIED: "検証済み",
    PeriodStatus.REJECTED: "否定的意見",
    PeriodStatus.ISSUANCE_REQUESTED: "発行申請済み",
}


class FindingKind(StrEnum):
    CAR = "CAR"  # corrective action request
    CL = "CL"  # clarification request
    FAR = "FAR"  # forward action request


class VerifiedAboveClaim(RuleViolation):
    code = "verified_above_claim"

    def __init__(self, verified: int, claimed: int) -> None:
        super().__init__(
            f"The verified reduction ({verified} tCO2) is above the claimed {claimed} tCO2.",
            f"検証済み排出削減量（{verified} tCO2）が申請量 {claimed} tCO2 を超えています。",
            field="verified_er",
        )


class OpenFindings(RuleViolation):
    code = "open_findings"

    def __init__(self, count: int) -> None:
        super().__init__(
            f"{count} corrective action or clarification request(s) are still open.",
            f"是正措置要求または明確化要求が {count} 件未解決です。",
        )


class TpeNotDesignated(RuleViolation):
    code = "tpe_not_designated"

    def __init__(self, name: str, scope: int) -> None:
        super().__init__(
            f"{name} is not a third-party entity designated for sectoral scope {scope}.",
            f"{name} は分野 {scope} に指定された第三者機関ではありません。",
            field="tpe",
        )


def _expect(period: MonitoringPeriod, *allowed: PeriodStatus) -> str:
    if period.status not in allowed:
        wanted = " or ".join(a.value for a in allowed)
        raise IllegalTransition(
            f"Monitoring period #{period.id} is {period.status}; this step needs {wanted}.",
            f"モニタリング期間 #{period.id} は「{STATUS_JA[PeriodStatus(period.status)]}」"
            "のため、この操作はできません。",
        )
    return period.status


def scope_number(sectoral_scope: str) -> int:
    """The number of a sectoral scope written as ``"1. Energy industries ..."``."""
    return int(sectoral_scope.split(".", 1)[0].strip())


def _owned(
    session: Session, principal: Principal | None, action: Action, period_id: int
) -> MonitoringPeriod:
    period = get_period(session, period_id)
    require_owner(principal, action, session.get_one(Project, period.project_id))
    return period


def _assigned(session: Session, principal: Principal | None, period_id: int) -> MonitoringPeriod:
    who = require(principal, Action.MRV_VERIFY)
    period = get_period(session, period_id)
    if period.tpe_organisation_id is None or period.tpe_organisation_id != who.organisation_id:
        raise PermissionDenied(
            Action.MRV_VERIFY.value,
            f"Monitoring period #{period.id} is not assigned to your organisation.",
            f"モニタリング期間 #{period.id} はあなたの組織に割り当てられていません。",
        )
    return period


def submit(
    session: Session, ctx: audit.Context, principal: Principal | None, period_id: int
) -> None:
    period = _owned(session, principal, Action.MRV_REPORT, period_id)
    before = _expect(period, PeriodStatus.DRAFT)
    if period.claimed_er is None:
        raise RuleViolation(
            f"Monitoring period #{period.id} has no calculation yet.",
            f"モニタリング期間 #{period.id} にはまだ計算結果がありません。",
        )
    add_event(session, ctx, period, "submit", before, PeriodStatus.SUBMITTED)


def designate(
    session: Session, ctx: audit.Context, principal: Principal | None, tpe: str, scope: int
) -> TpeDesignation:
    """Designate a third-party entity (by English name) for a sectoral scope; idempotent."""
    require(principal, Action.MRV_ASSIGN)
    org = _tpe(session, tpe)
    row = session.scalar(
        select(TpeDesignation).where(
            TpeDesignation.organisation_id == org.id, TpeDesignation.sectoral_scope == scope
        )
    )
    if row is None:
        row = TpeDesignation(organisation_id=org.id, sectoral_scope=scope)
        session.add(row)
        session.flush()
        audit.record(session, ctx, "mrv.designate", "organisation", org.id, after={"scope": scope})
    return row


def _tpe(session: Session, name: str) -> Organisation:
    org = organisation_named(session, name)
    if org is None:
        raise NotFound("Organisation", name, "組織")
    if org.kind != TPE_KIND:
        raise TpeNotDesignated(name, 0)
    return org


def assign(
    session: Session, ctx: audit.Context, principal: Principal | None, period_id: int, tpe: str
) -> None:
    require(principal, Action.MRV_ASSIGN)
    period = get_period(session, period_id)
    before = _expect(period, PeriodStatus.SUBMITTED)
    org = _tpe(session, tpe)
    bound = binding(session, period.project_id)
    assert bound is not None  # a submitted period always has a calculation, hence a binding
    scope = scope_number(
        REGISTRY.get(bound.methodology_id, bound.methodology_version).sectoral_scope
    )
    designated = session.scalar(
        select(TpeDesignation.id).where(
            TpeDesignation.organisation_id == org.id, TpeDesignation.sectoral_scope == scope
        )
    )
    if designated is None:
        raise TpeNotDesignated(tpe, scope)
    period.tpe_organisation_id = org.id
    add_event(session, ctx, period, "assign", before, PeriodStatus.UNDER_VERIFICATION, org.name_en)


def raise_finding(
    session: Session,
    ctx: audit.Context,
    principal: Principal | None,
    period_id: int,
    kind: FindingKind,
    text: str,
) -> Finding:
    period = _assigned(session, principal, period_id)
    status = _expect(period, PeriodStatus.UNDER_VERIFICATION)
    finding = Finding(period_id=period.id, kind=kind.value, text=text, status="open")
    finding.raised_by = ctx.actor
    session.add(finding)
    session.flush()
    add_event(session, ctx, period, "finding", status, status, f"{kind.value}: {text}")
    return finding


def _finding(session: Session, finding_id: int) -> Finding:
    finding = session.get(Finding, finding_id)
    if finding is None:
        raise NotFound("Finding", finding_id, "指摘事項")
    return finding


def answer_finding(
    session: Session,
    ctx: audit.Context,
    principal: Principal | None,
    finding_id: int,
    response: str,
) -> Finding:
    finding = _finding(session, finding_id)
    period = _owned(session, principal, Action.MRV_REPORT, finding.period_id)
    status = _expect(period, PeriodStatus.UNDER_VERIFICATION)
    if finding.status == "closed":
        raise IllegalTransition(
            f"Finding #{finding.id} is closed.", f"指摘事項 #{finding.id} は終了しています。"
        )
    finding.response, finding.status, finding.answered_at = response, "answered", utcnow()
    add_event(session, ctx, period, "answer", status, status, f"#{finding.id}: {response}")
    return finding


def close_finding(
    session: Session, ctx: audit.Context, principal: Principal | None, finding_id: int
) -> Finding:
    finding = _finding(session, finding_id)
    period = _assigned(session, principal, finding.period_id)
    status = _expect(period, PeriodStatus.UNDER_VERIFICATION)
    finding.status, finding.closed_at = "closed", utcnow()
    add_event(session, ctx, period, "close_finding", status, status, f"#{finding.id}")
    return finding


def give_opinion(
    session: Session,
    ctx: audit.Context,
    principal: Principal | None,
    period_id: int,
    *,
    positive: bool,
    verified_er: int,
    text: str = "",
) -> None:
    """The TPE's verification opinion; a positive one fixes the verified reduction."""
    period = _assigned(session, principal, period_id)
    before = _expect(period, PeriodStatus.UNDER_VERIFICATION)
    claimed = period.claimed_er or 0
    if verified_er > claimed:
        raise VerifiedAboveClaim(verified_er, claimed)
    still_open = session.scalars(
        select(Finding.id).where(
            Finding.period_id == period.id,
            Finding.status != "closed",
            Finding.kind != FindingKind.FAR.value,
        )
    ).all()
    if positive and still_open:
        raise OpenFindings(len(still_open))
    period.opinion = "positive" if positive else "negative"
    period.verified_er = verified_er if positive else 0
    period.opinion_text = text
    to = PeriodStatus.VERIFIED if positive else PeriodStatus.REJECTED
    extra = {"opinion": period.opinion, "verified_er": period.verified_er}
    add_event(session, ctx, period, "opinion", before, to, text, extra)
    if positive:
        _start_monitoring(session, ctx, period)


def _start_monitoring(session: Session, ctx: audit.Context, period: MonitoringPeriod) -> None:
    """A registered project whose period is verified is being monitored."""
    project = session.get_one(Project, period.project_id)
    if project.status != project_rules.Status.REGISTERED.value:
        return
    reason = (
        f"Monitoring period #{period.id} ({period.start} – {period.end}) verified "
        f"by the third-party entity."
    )
    projects.transition(
        session, ctx, SYSTEM_PRINCIPAL, project.ref, project_rules.Status.MONITORING, reason
    )


def request_issuance(
    session: Session, ctx: audit.Context, principal: Principal | None, period_id: int
) -> None:
    period = _owned(session, principal, Action.MRV_ISSUANCE_REQUEST, period_id)
    before = _expect(period, PeriodStatus.VERIFIED)
    extra = {"verified_er": period.verified_er}
    add_event(
        session, ctx, period, "issuance_request", before, PeriodStatus.ISSUANCE_REQUESTED, "", extra
    )
