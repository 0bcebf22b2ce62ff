"""From a verified monitoring report to a proposed issuance, with nothing typed twice.

A participant's issuance request on a verified MRV period puts the period in the
secretariat's issuance queue with its project, dates and verified tonnes. The secretariat
adds the Joint Committee's decision and proposes the issuance: in one transaction the
registry's verified period is recorded from the MRV period (never retyped) and the issuance
is held for a second person's approval (issuance always needs one). The registry's
verified period and the MRV period stay linked by project and dates.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from jcm.approvals import service as approvals
from jcm.approvals.models import PendingOperation
from jcm.approvals.rules import Kind, Reason
from jcm.audit import Context
from jcm.auth.rules import Action, Principal, require
from jcm.db import Database
from jcm.errors import NotAuthenticated
from jcm.mrv.models import MonitoringPeriod, PeriodEvent
from jcm.mrv.workflow import PeriodStatus
from jcm.projects.models import Project
from jcm.registry.from_mrv import SAME_PERIOD, record_verified_period_from_mrv
from jcm.registry.issuance import check_issuable
from jcm.registry.models import Issuance, VerifiedPeriod
from jcm.registry.schemas import IssueRequest


@dataclass(frozen=True)
class Requested:
    """An MRV period whose issuance was requested and that the registry has not recorded."""

    mrv_period_id: int
    project: str
    start: date
    end: date
    verified_tco2: int
    requested_at: datetime | None


def requested_periods(session: Session) -> list[Requested]:
    """The issuance queue from MRV, oldest request first."""
    rows = session.execute(
        select(MonitoringPeriod, Project.ref)
        .join(Project, Project.id == MonitoringPeriod.project_id)
        .outerjoin(VerifiedPeriod, SAME_PERIOD)
        .where(
            MonitoringPeriod.status == PeriodStatus.ISSUANCE_REQUESTED.value,
            VerifiedPeriod.id.is_(None),
        )
        .order_by(MonitoringPeriod.updated_at, MonitoringPeriod.id)
    ).all()
    asked = dict(
        session.execute(
            select(PeriodEvent.period_id, PeriodEvent.at).where(
                PeriodEvent.step == "issuance_request",
                PeriodEvent.period_id.in_([p.id for p, _ in rows]),
            )
        ).all()
    )
    return [
        Requested(p.id, ref, p.start, p.end, p.verified_er or 0, asked.get(p.id)) for p, ref in rows
    ]


def issuances_of_mrv_period(session: Session, mrv_period_id: int) -> list[Issuance]:
    """The issuances made for an MRV period, one per vintage, oldest vintage first."""
    return list(
        session.scalars(
            select(Issuance)
            .join(VerifiedPeriod, VerifiedPeriod.id == Issuance.verified_period_id)
            .join(MonitoringPeriod, SAME_PERIOD)
            .where(MonitoringPeriod.id == mrv_period_id)
            .order_by(Issuance.vintage, Issuance.id)
        )
    )


def awaiting_approval(session: Session) -> dict[int, int]:
    """Verified period id → the pending issuance operation that waits for approval."""
    ops = session.scalars(
        select(PendingOperation).where(
            PendingOperation.kind == Kind.ISSUE.value, PendingOperation.status == "pending"
        )
    )
    out: dict[int, int] = {}
    for op in ops:
        period = op.request.get("verified_period_id") if isinstance(op.request, dict) else None
        if isinstance(period, int):
            out.setdefault(period, op.id)
    return out


def propose_issuance(
    db: Database,
    ctx: Context,
    principal: Principal | None,
    mrv_period_id: int,
    decision_ref: str,
    decision_date: date,
    idempotency_key: str,
    amount: int | None = None,
    reductions_by_year: dict[str, int] | None = None,
) -> int:
    """Record the registry's verified period from the MRV period with the Joint Committee's
    decision (and, for a period spanning years, the verified reductions of each year) and
    hold its issuance for approval, in one transaction; returns the pending operation's id.
    ``amount`` defaults to the verified reductions."""
    if principal is None:
        raise NotAuthenticated()
    require(principal, Action.REGISTRY_ISSUE)
    with db.write() as s:
        period = record_verified_period_from_mrv(
            s, ctx, mrv_period_id, decision_ref, decision_date, reductions_by_year
        )
        body = IssueRequest(
            idempotency_key=idempotency_key,
            verified_period_id=period.id,
            amount=period.verified_tco2 if amount is None else amount,
        )
        check_issuable(s, body)
        op = approvals.hold(s, ctx, principal, Kind.ISSUE, body, Reason.ALWAYS)
        return op.id
