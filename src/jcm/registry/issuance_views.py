"""Registry pages for the secretariat and the Parties: the issuance queue (requests from MRV
with the Joint Committee's decision, verified periods, allocations, the AEF downloads and the
registry check) and one Party's Article 6.2 page (its share of each issuance, its
corresponding adjustments, its AEF tables)."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse
from sqlalchemy import select

from jcm.approvals.gate import hold_if_needed
from jcm.approvals.rules import Kind
from jcm.auth.rules import Action, may, require
from jcm.registry import aef_checks, handoff, party, public, service
from jcm.registry.models import Issuance, Registry
from jcm.registry.schemas import (
    MAX_ID,
    MAX_TCO2,
    IssueRequest,
    VerifiedPeriodIn,
    parse_reductions_by_year,
    parse_shares,
)
from jcm.registry.views import KEY, new_key
from jcm.web.deps import Ctx, RowId
from jcm.web.views import check_csrf, render

router = APIRouter(include_in_schema=False)


@router.get("/registry/issuance", response_class=HTMLResponse)
def issuance_page(request: Request, ctx: Ctx, done: str = "") -> HTMLResponse:
    require(ctx.principal, Action.REGISTRY_ADMIN)
    with ctx.db.read() as s:
        periods = public.pending_periods(s)
        requested = handoff.requested_periods(s)
        waiting = handoff.awaiting_approval(s)
        shares = public.allocations(s)
        report = service.verify(s)
        years = sorted(set(s.scalars(select(Issuance.vintage))) | {date.today().year})
        regs = list(s.scalars(select(Registry.country_iso3).order_by(Registry.country_iso3)))
        outcome = service.transaction_outcome(s, done) if done else None
    return render(
        request,
        ctx,
        "registry/issuance.html",
        periods=[{**p, "key": new_key(), "op": waiting.get(p["id"])} for p in periods],
        requested=[(r, new_key()) for r in requested],
        shares=shares,
        report=report,
        years=years,
        parties=regs,
        outcome=outcome,
        can_issue=may(ctx.principal, Action.REGISTRY_ISSUE),
    )


@router.post("/registry/issuance/issue")
def issue_submit(
    ctx: Ctx,
    csrf_token: Annotated[str, Form()],
    idempotency_key: KEY,
    verified_period_id: Annotated[int, Form(ge=1, le=MAX_ID)],
    amount: Annotated[int, Form(gt=0, le=MAX_TCO2)],
) -> RedirectResponse:
    check_csrf(ctx, csrf_token)
    require(ctx.principal, Action.REGISTRY_ISSUE)
    body = IssueRequest(
        idempotency_key=idempotency_key, verified_period_id=verified_period_id, amount=amount
    )
    with ctx.db.read() as s:
        service.check_issuable(s, body)
    held = hold_if_needed(ctx.db, ctx.settings, ctx.audit, ctx.principal, Kind.ISSUE, body)
    if held is not None:
        return RedirectResponse(f"/approvals?done={held.pending_operation_id}", 303)
    service.issue(ctx.db, ctx.audit, body)
    return RedirectResponse(f"/registry/issuance?done={idempotency_key}", 303)


@router.post("/registry/issuance/requested/{mrv_period_id}")
def propose_submit(
    ctx: Ctx,
    mrv_period_id: RowId,
    csrf_token: Annotated[str, Form()],
    idempotency_key: KEY,
    jc_decision_ref: Annotated[str, Form(min_length=1, max_length=80)],
    jc_decision_date: Annotated[date, Form()],
    amount: Annotated[int, Form(gt=0, le=MAX_TCO2)],
    reductions_by_year: Annotated[str, Form(max_length=200)] = "",
) -> RedirectResponse:
    """Record the Joint Committee's decision on a requested MRV period and propose its
    issuance (held for a second person)."""
    check_csrf(ctx, csrf_token)
    by_year = parse_reductions_by_year(reductions_by_year)
    op = handoff.propose_issuance(
        ctx.db,
        ctx.audit,
        ctx.principal,
        mrv_period_id,
        jc_decision_ref.strip(),
        jc_decision_date,
        idempotency_key,
        amount,
        by_year,
    )
    return RedirectResponse(f"/approvals?done={op}", 303)


@router.post("/registry/issuance/periods")
def period_submit(
    ctx: Ctx,
    csrf_token: Annotated[str, Form()],
    project_ref: Annotated[str, Form(min_length=1, max_length=20)],
    period_start: Annotated[date, Form()],
    period_end: Annotated[date, Form()],
    verified_tco2: Annotated[int, Form(ge=0)],
    jc_decision_ref: Annotated[str, Form(max_length=80)] = "",
    jc_decision_date: Annotated[str, Form(max_length=10)] = "",
    reductions_by_year: Annotated[str, Form(max_length=200)] = "",
) -> RedirectResponse:
    check_csrf(ctx, csrf_token)
    require(ctx.principal, Action.REGISTRY_ADMIN)
    data = VerifiedPeriodIn(
        reductions_by_year=parse_reductions_by_year(reductions_by_year),
        project_ref=project_ref.strip().upper(),
        period_start=period_start,
        period_end=period_end,
        verified_tco2=verified_tco2,
        jc_decision_ref=jc_decision_ref.strip() or None,
        jc_decision_date=date.fromisoformat(jc_decision_date) if jc_decision_date else None,
    )
    with ctx.db.write() as s:
        service.record_verified_period(s, ctx.audit, data)
    return RedirectResponse("/registry/issuance", 303)


@router.post("/registry/issuance/allocation")
def allocation_submit(
    ctx: Ctx,
    csrf_token: Annotated[str, Form()],
    project_ref: Annotated[str, Form(min_length=1, max_length=20)],
    shares: Annotated[str, Form(max_length=4000)],
) -> RedirectResponse:
    check_csrf(ctx, csrf_token)
    require(ctx.principal, Action.REGISTRY_ADMIN)
    parsed = parse_shares(shares)
    with ctx.db.write() as s:
        service.set_allocation(s, ctx.audit, project_ref.strip().upper(), parsed)
    return RedirectResponse("/registry/issuance", 303)


@router.get("/registry/article6", response_class=HTMLResponse)
def article6_page(
    request: Request,
    ctx: Ctx,
    party_iso3: Annotated[str, Query(alias="party", max_length=3)] = "",
    check_year: Annotated[int | None, Query(alias="year", ge=2013, le=2100)] = None,
) -> HTMLResponse:
    """One Party's share of each issuance, its corresponding adjustments, its AEF tables and
    the consistency checks of one year's report (the latest unless ``year`` is given)."""
    with ctx.db.read() as s:
        chosen = party.allowed_party(s, ctx.principal, party_iso3.upper() or None)
        shares = party.issuance_shares(s, chosen)
        ledger = party.adjustments(s, chosen)
        options = party.parties(s) if may(ctx.principal, Action.REGISTRY_ADMIN) else [chosen]
        years = sorted({r["year"] for r in ledger} | {r["vintage"] for r in shares}) or [
            date.today().year
        ]
        if check_year is not None and check_year not in years:
            years = sorted({*years, check_year})
        checked = aef_checks.check(s, chosen, check_year or years[-1])
    return render(
        request,
        ctx,
        "registry/article6.html",
        party=chosen,
        parties=options,
        shares=shares,
        ledger=ledger,
        net=sum(r["quantity"] for r in ledger),
        years=years,
        checked=checked,
    )
