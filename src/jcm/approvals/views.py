"""The approvals page: requests awaiting a second person, with approve and reject forms."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse

from jcm.approvals import service as approvals
from jcm.approvals.gate import view
from jcm.auth import totp as second_factor
from jcm.errors import NotAuthenticated
from jcm.web.deps import MAX_ROW_ID, Ctx, RowId, check_csrf
from jcm.web.views import render

router = APIRouter(include_in_schema=False)


@router.get("/approvals", response_class=HTMLResponse)
def approvals_page(
    request: Request,
    ctx: Ctx,
    status: Annotated[str, Query(pattern="^(pending|approved|rejected|failed|)$")] = "pending",
    done: Annotated[int | None, Query(ge=0, le=MAX_ROW_ID)] = None,
) -> HTMLResponse:
    if ctx.principal is None:
        raise NotAuthenticated()
    with ctx.db.read() as s:
        rows = [view(op) for op in approvals.visible(s, ctx.principal, status=status)]
        enrolled = second_factor.enrolled(s, ctx.principal.user_id)
    return render(
        request,
        ctx,
        "approvals/index.html",
        rows=rows,
        status=status,
        done=done,
        enrolled=enrolled,
        me=ctx.principal.username,
    )


@router.post("/approvals/{op_id}/approve")
def approve_submit(
    ctx: Ctx,
    op_id: RowId,
    csrf_token: Annotated[str, Form()],
    totp_code: Annotated[str, Form(max_length=10)],
) -> RedirectResponse:
    check_csrf(ctx, csrf_token)
    approvals.approve(ctx.db, ctx.audit, ctx.principal, op_id, totp_code)
    return RedirectResponse(f"/approvals?status=approved&done={op_id}", 303)


@router.post("/approvals/{op_id}/reject")
def reject_submit(ctx: Ctx, op_id: RowId, csrf_token: Annotated[str, Form()]) -> RedirectResponse:
    check_csrf(ctx, csrf_token)
    approvals.reject(ctx.db, ctx.audit, ctx.principal, op_id)
    return RedirectResponse(f"/approvals?status=rejected&done={op_id}", 303)
