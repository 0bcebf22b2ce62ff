"""What waits for whom in monitoring and verification: each role's next steps, read only.

- a third-party entity: the periods assigned to its organisation that are under verification
  (findings answered and waiting to be closed are counted);
- a participant: its organisation's periods with findings to answer, verified periods whose
  issuance it may request, and drafts to complete;
- the secretariat (and administrators): submitted periods that have no verifier yet.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from jcm.auth.rules import Principal, Role
from jcm.mrv.models import Finding, MonitoringPeriod
from jcm.mrv.workflow import PeriodStatus
from jcm.projects.models import Project

# the next step, as a code the label catalogue names ("mrv_work")
VERIFY = "verify"
ANSWER = "answer"
REQUEST = "request_issuance"
REPORT = "report"
ASSIGN = "assign"


@dataclass(frozen=True)
class Waiting:
    period_id: int
    project: str
    start: date
    end: date
    status: str
    step: str
    open_findings: int
    answered_findings: int


def _findings(session: Session, ids: list[int]) -> dict[int, dict[str, int]]:
    out: dict[int, dict[str, int]] = {}
    if not ids:
        return out
    rows = session.execute(
        select(Finding.period_id, Finding.status, func.count())
        .where(Finding.period_id.in_(ids))
        .group_by(Finding.period_id, Finding.status)
    ).all()
    for period_id, status, n in rows:
        out.setdefault(period_id, {})[status] = n
    return out


def waiting_for(session: Session, principal: Principal | None) -> list[Waiting]:
    """The periods that wait for ``principal``'s next step, oldest period first."""
    if principal is None:
        return []
    q = select(MonitoringPeriod, Project.ref).join(
        Project, Project.id == MonitoringPeriod.project_id
    )
    org = principal.organisation_id
    if principal.role is Role.THIRD_PARTY_ENTITY and org is not None:
        q = q.where(
            MonitoringPeriod.tpe_organisation_id == org,
            MonitoringPeriod.status == PeriodStatus.UNDER_VERIFICATION.value,
        )
    elif principal.role is Role.PARTICIPANT and org is not None:
        q = q.where(
            Project.representative_id == org,
            MonitoringPeriod.status.in_(
                [
                    PeriodStatus.DRAFT.value,
                    PeriodStatus.UNDER_VERIFICATION.value,
                    PeriodStatus.VERIFIED.value,
                ]
            ),
        )
    elif principal.role in {Role.SECRETARIAT, Role.ADMIN}:
        q = q.where(MonitoringPeriod.status == PeriodStatus.SUBMITTED.value)
    else:
        return []
    rows = session.execute(q.order_by(MonitoringPeriod.start, MonitoringPeriod.id)).all()
    counts = _findings(session, [p.id for p, _ in rows])
    out = []
    for p, ref in rows:
        found = counts.get(p.id, {})
        opened, answered = found.get("open", 0), found.get("answered", 0)
        step = _step(principal.role, p.status, opened)
        if step is not None:
            out.append(Waiting(p.id, ref, p.start, p.end, p.status, step, opened, answered))
    return out


def _step(role: Role, status: str, open_findings: int) -> str | None:
    if role is Role.THIRD_PARTY_ENTITY:
        return VERIFY
    if role is Role.PARTICIPANT:
        if status == PeriodStatus.UNDER_VERIFICATION.value:
            return ANSWER if open_findings else None
        return REQUEST if status == PeriodStatus.VERIFIED.value else REPORT
    return ASSIGN
