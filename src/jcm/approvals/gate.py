"""The entry the registry routes and pages go through: run a write now or hold it."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, Field
from sqlalchemy import select

from jcm import audit
from jcm.approvals import service as approvals
from jcm.approvals.models import PendingOperation
from jcm.approvals.rules import SPENDING, Kind, reason_for
from jcm.auth.rules import Principal
from jcm.db import Database
from jcm.errors import NotAuthenticated
from jcm.registry.models import Account
from jcm.settings import Settings


class PendingView(BaseModel):
    """A registry write waiting for a second person's approval."""

    pending_operation_id: int
    kind: str
    status: str
    reason: str
    requester: str
    approver: str | None = None
    account: str | None = None
    request: dict[str, object] = Field(default_factory=dict)
    outcome: dict[str, object] | None = None
    requested_at: datetime | None = None


def view(op: PendingOperation) -> PendingView:
    return PendingView(
        pending_operation_id=op.id,
        kind=op.kind,
        status=op.status,
        reason=op.reason,
        requester=op.requester,
        approver=op.approver,
        account=op.account,
        request=dict(op.request),
        outcome=dict(op.outcome) if isinstance(op.outcome, dict) else None,
        requested_at=op.created_at,
    )


def hold_if_needed(
    db: Database,
    settings: Settings,
    ctx: audit.Context,
    principal: Principal | None,
    kind: Kind,
    body: BaseModel,
    *,
    account: str | None = None,
    quantity: int = 0,
    receiver: str | None = None,
) -> PendingView | None:
    """Hold the write for approval when the rules say so (``None``: run it now)."""
    if principal is None:
        raise NotAuthenticated()
    with db.write() as s:
        trusted: bool | None = None
        if receiver is not None and account is not None and settings.trusted_accounts != "off":
            trusted = approvals.is_trusted(s, account, receiver)
            if not trusted and settings.trusted_accounts == "refuse":
                raise approvals.UntrustedReceiver(account, receiver)
        sender_kind = None
        if account is not None and kind in SPENDING:
            sender_kind = s.scalar(select(Account.kind).where(Account.number == account))
        reason = reason_for(
            kind,
            quantity,
            settings.four_eyes_transfer_threshold,
            trusted,
            sender_kind=sender_kind,
        )
        if reason is None:
            return None
        op = approvals.hold(s, ctx, principal, kind, body, reason, account)
        if op.status == "approved":
            return None  # already signed off: the registry replays the stored outcome
        return view(op)
