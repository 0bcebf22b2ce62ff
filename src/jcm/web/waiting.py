"""What waits for the signed-in person, across features, for the home page: each item a
count and the page where the work is done. Read only; each feature answers for its own part.

- secretariat and administrators: applications to screen, periods without a verifier,
  issuance requests from MRV, approvals they may give; administrators also role grants to
  approve;
- a third-party entity: periods under its verification;
- a participant: findings to answer, verified periods whose issuance it may request, its
  own requests waiting for a second person;
- the Joint Committee: projects validated and waiting for registration, issuance requests
  waiting for its decision.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from jcm.approvals import service as approvals
from jcm.approvals.rules import Kind
from jcm.auth.rules import Principal, Role
from jcm.mrv import worklist
from jcm.projects.models import Project
from jcm.projects.rules import Status
from jcm.registry.handoff import requested_periods
from jcm.subsidy.models import SubsidyApplication
from jcm.subsidy.schemas import AppStatus


@dataclass(frozen=True)
class Item:
    key: str  # the label catalogue's "waiting" group
    count: int
    href: str


def _approvals(session: Session, principal: Principal) -> tuple[int, int]:
    """(registry requests this person may decide, their own requests still waiting)."""
    pending = approvals.visible(session, principal, status="pending")
    pending = [op for op in pending if op.kind != Kind.ROLE_GRANT.value]
    mine = sum(1 for op in pending if op.requester_id == principal.user_id)
    return len(pending) - mine, mine


def _role_grants(session: Session, principal: Principal) -> int:
    """Role grants another administrator asked for, not about this one."""
    return sum(
        1
        for op in approvals.visible(session, principal, status="pending")
        if op.kind == Kind.ROLE_GRANT.value
        and op.requester_id != principal.user_id
        and op.request.get("username") != principal.username
    )


def for_principal(session: Session, principal: Principal | None) -> list[Item]:
    if principal is None:
        return []
    role = principal.role
    steps = Counter(w.step for w in worklist.waiting_for(session, principal))
    items: list[Item] = []
    if role in {Role.SECRETARIAT, Role.ADMIN}:
        to_screen = session.scalar(
            select(func.count())
            .select_from(SubsidyApplication)
            .where(SubsidyApplication.status == AppStatus.SUBMITTED.value)
        )
        to_decide, _ = _approvals(session, principal)
        items += [
            Item(
                "applications_to_screen", to_screen or 0, "/subsidy/applications?status=submitted"
            ),
            Item("periods_without_verifier", steps[worklist.ASSIGN], "/mrv"),
            Item("issuance_requests", len(requested_periods(session)), "/registry/issuance"),
            Item("approvals_to_decide", to_decide, "/approvals"),
        ]
        if role is Role.ADMIN:
            items.append(
                Item("role_grants_to_approve", _role_grants(session, principal), "/approvals")
            )
    elif role is Role.THIRD_PARTY_ENTITY:
        items.append(Item("periods_to_verify", steps[worklist.VERIFY], "/mrv"))
    elif role is Role.PARTICIPANT:
        _, mine = _approvals(session, principal)
        items += [
            Item("findings_to_answer", steps[worklist.ANSWER], "/mrv"),
            Item("periods_to_request", steps[worklist.REQUEST], "/mrv"),
            Item("own_requests_waiting", mine, "/approvals"),
        ]
    elif role is Role.JOINT_COMMITTEE:
        validated = session.scalar(
            select(func.count())
            .select_from(Project)
            .where(Project.status == Status.VALIDATED.value)
        )
        items += [
            Item("projects_to_register", validated or 0, "/projects?status=validated"),
            Item("issuance_decisions", len(requested_periods(session)), "/mrv"),
        ]
    elif role is Role.PARTNER_GOVERNMENT:
        to_decide, mine = _approvals(session, principal)
        items += [
            Item("approvals_to_decide", to_decide, "/approvals"),
            Item("own_requests_waiting", mine, "/approvals"),
        ]
    return items
