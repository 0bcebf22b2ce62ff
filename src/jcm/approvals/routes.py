"""Approvals JSON API under /api/v1/approvals."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query
from pydantic import BaseModel, Field

from jcm.approvals import service as approvals
from jcm.approvals.gate import PendingView, view
from jcm.errors import NotAuthenticated
from jcm.web.deps import Ctx, RowId
from jcm.web.problems import PROBLEM_RESPONSES

router = APIRouter(prefix="/api/v1/approvals", tags=["approvals"], responses=PROBLEM_RESPONSES)


class SignOff(BaseModel):
    totp_code: str = Field(min_length=6, max_length=10)


@router.get("", response_model=list[PendingView])
def list_pending(
    ctx: Ctx,
    status: Annotated[str, Query(pattern="^(pending|approved|rejected|failed|)$")] = "pending",
) -> list[PendingView]:
    if ctx.principal is None:
        raise NotAuthenticated()
    with ctx.db.read() as s:
        return [view(op) for op in approvals.visible(s, ctx.principal, status=status)]


@router.get("/{op_id}", response_model=PendingView)
def get_pending(ctx: Ctx, op_id: RowId) -> PendingView:
    if ctx.principal is None:
        raise NotAuthenticated()
    with ctx.db.read() as s:
        return view(approvals.get_visible(s, ctx.principal, op_id))


@router.post("/{op_id}/approve", response_model=PendingView)
def approve(ctx: Ctx, op_id: RowId, body: SignOff) -> PendingView:
    """A second, different authorised user signs off with a fresh authenticator code."""
    return view(approvals.approve(ctx.db, ctx.audit, ctx.principal, op_id, body.totp_code))


@router.post("/{op_id}/reject", response_model=PendingView)
def reject(ctx: Ctx, op_id: RowId) -> PendingView:
    return view(approvals.reject(ctx.db, ctx.audit, ctx.principal, op_id))
