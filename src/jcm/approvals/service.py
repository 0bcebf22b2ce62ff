"""Four-eyes approval: hold a registry write or a role grant, let a different authorised
user sign it off with a fresh second-factor code, then run it through the registry service
(or, for a role grant, the user administration).

The registry's idempotency key makes the approval safe to repeat: a second run of an
approved request replays the stored outcome instead of moving credits twice.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel
from sqlalchemy import select
from sqlalchemy.orm import Session

from jcm import audit
from jcm.approvals.models import PendingOperation, TrustedAccount
from jcm.approvals.rules import APPROVER_ACTION, Kind, Reason
from jcm.auth import service as auth
from jcm.auth import totp as second_factor
from jcm.auth.rules import Action, Principal, may, require
from jcm.db import Database, utcnow
from jcm.errors import Conflict, JcmError, NotFound, PermissionDenied, RuleViolation
from jcm.registry import public, service
from jcm.registry.schemas import CancelRequest, IssueRequest, RetireRequest, TransferRequest


class SameApprover(PermissionDenied):
    code = "four_eyes"

    def __init__(self) -> None:
        super().__init__(
            "approve your own request",
            "A second, different person must approve it.",
            "別の担当者が承認する必要があります。",
        )


class UntrustedReceiver(RuleViolation):
    code = "untrusted_receiver"

    def __init__(self, sender: str, receiver: str) -> None:
        super().__init__(
            f"Account {receiver} is not on the trusted list of account {sender}.",
            f"口座 {receiver} は口座 {sender} の信頼口座リストにありません。",
        )


class AlreadyDecided(Conflict):
    def __init__(self, op_id: int, status: str) -> None:
        super().__init__(
            f"Operation {op_id} is already {status}.",
            f"操作 {op_id} は既に処理済みです（{status}）。",
        )


class KeyReused(Conflict):
    code = "idempotency_conflict"

    def __init__(self, key: str) -> None:
        super().__init__(
            f"Idempotency key '{key}' was used for another request.",
            f"冪等キー「{key}」は別の依頼に使用済みです。",
        )


def is_trusted(session: Session, sender: str, receiver: str) -> bool:
    found = session.scalar(
        select(TrustedAccount.id).where(
            TrustedAccount.account == sender, TrustedAccount.trusted == receiver
        )
    )
    return found is not None


def trusted_list(session: Session, account: str) -> list[str]:
    rows = session.scalars(
        select(TrustedAccount.trusted)
        .where(TrustedAccount.account == account)
        .order_by(TrustedAccount.trusted)
    )
    return list(rows)


def set_trusted(
    session: Session, ctx: audit.Context, account: str, numbers: list[str]
) -> list[str]:
    """Replace an account's trusted list (the caller has checked the account is the user's)."""
    before = trusted_list(session, account)
    wanted = sorted({n.strip() for n in numbers if n.strip()} - {account})
    for row in session.scalars(select(TrustedAccount).where(TrustedAccount.account == account)):
        if row.trusted not in wanted:
            session.delete(row)
    for number in set(wanted) - set(before):
        session.add(TrustedAccount(account=account, trusted=number, added_by=ctx.actor))
    session.flush()
    audit.record(
        session,
        ctx,
        "registry.trusted_accounts",
        "registry_account",
        account,
        before=before,
        after=wanted,
    )
    return wanted


def hold(
    session: Session,
    ctx: audit.Context,
    principal: Principal,
    kind: Kind,
    body: BaseModel,
    reason: Reason,
    account: str | None = None,
) -> PendingOperation:
    """Record the request; the same idempotency key returns the operation already held."""
    data = body.model_dump(mode="json")
    key = str(data.get("idempotency_key") or f"{kind}-{account}-{utcnow().isoformat()}")
    found = session.scalar(select(PendingOperation).where(PendingOperation.idempotency_key == key))
    if found is not None:
        if found.request != data or found.kind != kind.value:
            raise KeyReused(key)
        return found
    op = PendingOperation(
        kind=kind.value,
        request=data,
        account=account,
        reason=reason.value,
        idempotency_key=key,
        requester_id=principal.user_id,
        requester=principal.username,
    )
    session.add(op)
    session.flush()
    audit.record(
        session,
        ctx,
        "approval.request",
        "pending_operation",
        op.id,
        after={"kind": kind.value, "reason": reason.value, "request": data},
    )
    return op


def _check_approver(
    session: Session, principal: Principal | None, op: PendingOperation
) -> Principal:
    who = require(principal, APPROVER_ACTION[Kind(op.kind)])
    if op.account:
        public.account_for(session, who, op.account, APPROVER_ACTION[Kind(op.kind)])
    if who.user_id == op.requester_id:
        raise SameApprover()
    if op.kind == Kind.ROLE_GRANT.value and op.request.get("username") == who.username:
        raise SameApprover()  # nobody approves a role for themselves
    return who


def _pending(session: Session, op_id: int) -> PendingOperation:
    op = session.get(PendingOperation, op_id)
    if op is None:
        raise NotFound("Pending operation", op_id, "承認待ち操作")
    if op.status != "pending":
        raise AlreadyDecided(op_id, op.status)
    return op


def _run(db: Database, ctx: audit.Context, op: PendingOperation) -> dict[str, Any]:
    kind, data = Kind(op.kind), dict(op.request)
    if kind is Kind.ISSUE:
        return service.issue(db, ctx, IssueRequest(**data)).model_dump(mode="json")
    if kind is Kind.TRANSFER:
        return service.transfer(db, ctx, TransferRequest(**data)).model_dump(mode="json")
    if kind is Kind.EXTERNAL_TRANSFER:
        out = service.external_transfer(db, ctx, TransferRequest(**data))
        return out.model_dump(mode="json")
    if kind is Kind.CANCEL:
        return service.cancel(db, ctx, CancelRequest(**data)).model_dump(mode="json")
    if kind is Kind.RETIRE:
        return service.retire(db, ctx, RetireRequest(**data)).model_dump(mode="json")
    if kind is Kind.ROLE_GRANT:
        from jcm.auth import admin  # admin holds its grants here: import when run

        with db.write() as s:
            return admin.apply_grant(s, ctx, data, op.id)
    with db.write() as s:
        acct = service.set_account_status(s, ctx, data["number"], data["status"])
        return {"account": acct.number, "status": acct.status}


def approve(
    db: Database, ctx: audit.Context, principal: Principal | None, op_id: int, code: str
) -> PendingOperation:
    """A different authorised user signs off with a fresh code; the operation then runs.

    Codes are throttled per approver: a wrong code is counted and audited (committed) before
    it is refused, and after a few the next try waits (``TooManyAttempts``, HTTP 429)."""
    with db.write() as s:
        op = _pending(s, op_id)
        who = _check_approver(s, principal, op)
        refusal = auth.code_attempt(
            s, ctx, who.user_id, "approve", lambda: second_factor.verify(s, who.user_id, code)
        )
    if refusal is not None:
        raise refusal
    try:
        outcome = _run(db, ctx, op)
    except JcmError as exc:
        _decide(db, ctx, op_id, who, "failed", {"error": exc.message_en})
        raise
    return _decide(db, ctx, op_id, who, "approved", outcome)


def reject(
    db: Database, ctx: audit.Context, principal: Principal | None, op_id: int
) -> PendingOperation:
    """An authorised approver, or the requester withdrawing it, closes the request."""
    with db.read() as s:
        op = _pending(s, op_id)
        if principal is not None and principal.user_id == op.requester_id:
            who = principal
        else:
            who = _check_approver(s, principal, op)
    return _decide(db, ctx, op_id, who, "rejected", None)


def _decide(
    db: Database, ctx: audit.Context, op_id: int, who: Principal, status: str, outcome: Any
) -> PendingOperation:
    with db.write() as s:
        op = _pending(s, op_id)
        op.status, op.outcome = status, outcome
        op.approver_id, op.approver, op.decided_at = who.user_id, who.username, utcnow()
        s.flush()
        audit.record(
            s,
            ctx,
            f"approval.{status}",
            "pending_operation",
            op.id,
            before={"status": "pending"},
            after={"status": status, "outcome": outcome},
        )
        s.expunge(op)
        return op


def _may_see_kind(principal: Principal, op: PendingOperation) -> bool:
    """Role grants are for administrators (and whoever asked for one) only."""
    return (
        op.kind != Kind.ROLE_GRANT.value
        or may(principal, Action.USER_MANAGE)
        or op.requester_id == principal.user_id
    )


def visible(
    session: Session, principal: Principal, *, status: str = "pending"
) -> list[PendingOperation]:
    """Operations the user asked for or may decide: staff see all, others their accounts'."""
    q = select(PendingOperation).order_by(PendingOperation.id.desc()).limit(500)
    if status:
        q = q.where(PendingOperation.status == status)
    rows = [r for r in session.scalars(q) if _may_see_kind(principal, r)]
    allowed = public.visible_numbers(session, principal)
    if allowed is None:
        return rows
    return [
        r
        for r in rows
        if r.requester_id == principal.user_id or (r.account is not None and r.account in allowed)
    ]


def get_visible(session: Session, principal: Principal, op_id: int) -> PendingOperation:
    op = session.get(PendingOperation, op_id)
    allowed = public.visible_numbers(session, principal)
    if (
        op is None
        or not _may_see_kind(principal, op)
        or not (allowed is None or op.requester_id == principal.user_id or (op.account in allowed))
    ):
        raise NotFound("Pending operation", op_id, "承認待ち操作")
    return op
