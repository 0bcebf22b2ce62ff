"""The approvals page: requests awaiting a second person, with approve and reject forms."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse
from sqlalchemy import select
from sqlalchemy.orm import Session

from jcm.approvals import service as approvals
from jcm.approvals.gate import PendingView, view
from jcm.approvals.rules import Kind
from jcm.auth import totp as second_factor
from jcm.errors import NotAuthenticated
from jcm.projects.models import Project
from jcm.registry.models import VerifiedPeriod
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
        periods = _periods(s, rows)
        enrolled = second_factor.enrolled(s, ctx.principal.user_id)
    return render(
        request,
        ctx,
        "approvals/index.html",
        rows=rows,
        periods=periods,
        status=status,
        done=done,
        enrolled=enrolled,
        me=ctx.principal.username,
    )


def _periods(session: Session, rows: list[PendingView]) -> dict[int, dict[str, Any]]:
    """The verified period each issuance request names: project, dates, tonnes, decision."""
    ids = [
        int(v)
        for r in rows
        if r.kind == Kind.ISSUE.value and isinstance(v := r.request.get("verified_period_id"), int)
    ]
    if not ids:
        return {}
    found = session.execute(
        select(VerifiedPeriod, Project.ref)
        .join(Project, Project.id == VerifiedPeriod.project_id)
        .where(VerifiedPeriod.id.in_(ids))
    ).all()
    return {
        p.id: {
            "project": ref,
            "start": p.period_start,
            "end": p.period_end,
            "verified": p.verified_tco2,
            "jc_ref": p.jc_decision_ref,
            "jc_date": p.jc_decision_date,
        }
        for p, ref in found
    }


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
