"""Registry pages: public totals and unit look-up, and account holders' holdings with
transfer, retirement and cancellation forms (the issuance and Article 6.2 pages are in
``issuance_views``).

Every form carries the CSRF token and an idempotency key made when the form is rendered,
so a double submit replays the first outcome instead of moving credits twice."""

from __future__ import annotations

import json
import secrets
from typing import Annotated

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse

from jcm.approvals import service as approvals
from jcm.approvals.gate import hold_if_needed
from jcm.approvals.rules import Kind
from jcm.auth.rules import Action
from jcm.errors import FieldProblem, NotAuthenticated, NotFound, ValidationFailed
from jcm.registry import public, service
from jcm.registry.ledger import account_by_number
from jcm.registry.rules_aef import CANCELLATION_PURPOSES
from jcm.registry.schemas import (
    MAX_TCO2,
    CancelRequest,
    RetireRequest,
    TransferRequest,
)
from jcm.web.deps import Ctx, RowId
from jcm.web.i18n import translate
from jcm.web.views import check_csrf, render

router = APIRouter(include_in_schema=False)
PAGE = 50
KEY = Annotated[str, Form(min_length=8, max_length=120)]


def new_key() -> str:
    return "web-" + secrets.token_urlsafe(18)


@router.get("/registry", response_class=HTMLResponse)
def overview(request: Request, ctx: Ctx) -> HTMLResponse:
    with ctx.db.read() as s:
        rows = public.summary(s)
    chart = json.dumps(
        {
            "title": translate(ctx.lang, "Credits issued by project and vintage"),
            "x": [f"{r['project']} {r['vintage']}" for r in rows],
            "y": [r["issued"] for r in rows],
            "ylabel": translate(ctx.lang, "Credits (tCO2)"),
        },
        ensure_ascii=False,
    )
    totals = {k: sum(r[k] for r in rows) for k in ("issued", "cancelled", "retired")}
    return render(request, ctx, "registry/index.html", rows=rows, chart=chart, totals=totals)


@router.get("/registry/units", response_class=HTMLResponse)
def unit_lookup(
    request: Request, ctx: Ctx, serial: Annotated[str, Query(max_length=120)] = ""
) -> HTMLResponse:
    found = None
    if serial.strip():
        with ctx.db.read() as s:
            found = public.lookup_unit(s, serial)
    return render(request, ctx, "registry/units.html", serial=serial, found=found)


@router.get("/registry/retirements/{transaction_id}", response_class=HTMLResponse)
def retirement_statement(request: Request, ctx: Ctx, transaction_id: RowId) -> HTMLResponse:
    """The public, printable statement of one retirement."""
    with ctx.db.read() as s:
        statement = service.retirement_statement(s, transaction_id)
    if statement is None:
        raise NotFound("Retirement", transaction_id, "償却")
    return render(request, ctx, "registry/retirement.html", r=statement)


@router.get("/registry/accounts", response_class=HTMLResponse)
def account_list(request: Request, ctx: Ctx) -> HTMLResponse:
    if ctx.principal is None:
        raise NotAuthenticated()
    with ctx.db.read() as s:
        rows = service.accounts(s)
        allowed = public.visible_numbers(s, ctx.principal)
    rows = [a for a in rows if allowed is None or a.number in allowed]
    return render(request, ctx, "registry/accounts.html", rows=rows)


@router.get("/registry/accounts/{number}", response_class=HTMLResponse)
def account_page(
    request: Request,
    ctx: Ctx,
    number: str,
    after: Annotated[int | None, Query(ge=0)] = None,
    done: Annotated[str, Query(max_length=120)] = "",
) -> HTMLResponse:
    with ctx.db.read() as s:
        account = public.account_for(s, ctx.principal, number, Action.REGISTRY_TRANSFER)
        info = public.account_info(s, account)
        page = service.blocks_held_by(s, number, after=after, limit=PAGE)
        held = service.balance(s, number)
        moves = public.history(s, account)
        outcome = service.transaction_outcome(s, done) if done else None
        trusted = approvals.trusted_list(s, number)
    holding = info["kind"] in {"government_holding", "participant_holding"}
    return render(
        request,
        ctx,
        "registry/account.html",
        a=info,
        page=page,
        held=held,
        moves=moves,
        outcome=outcome,
        can_move=holding and info["status"] == "open",
        transfer_key=new_key(),
        retire_key=new_key(),
        cancel_key=new_key(),
        cancellation_purposes=list(CANCELLATION_PURPOSES),
        trusted=trusted,
    )


@router.post("/registry/accounts/{number}/transfer")
def transfer_submit(
    ctx: Ctx,
    number: str,
    csrf_token: Annotated[str, Form()],
    idempotency_key: KEY,
    to_account: Annotated[str, Form(min_length=1, max_length=40)],
    quantity: Annotated[int, Form(gt=0, le=MAX_TCO2)],
) -> RedirectResponse:
    check_csrf(ctx, csrf_token)
    with ctx.db.read() as s:
        sender = public.account_for(s, ctx.principal, number, Action.REGISTRY_TRANSFER)
        receiver = account_by_number(s, to_account.strip())
        external = sender.registry_id != receiver.registry_id
    body = TransferRequest(
        idempotency_key=idempotency_key,
        from_account=number,
        to_account=to_account.strip(),
        quantity=quantity,
    )
    kind = Kind.EXTERNAL_TRANSFER if external else Kind.TRANSFER
    held = hold_if_needed(
        ctx.db,
        ctx.settings,
        ctx.audit,
        ctx.principal,
        kind,
        body,
        account=number,
        quantity=quantity,
        receiver=body.to_account,
    )
    if held is not None:
        return RedirectResponse(f"/approvals?done={held.pending_operation_id}", 303)
    move = service.external_transfer if external else service.transfer
    move(ctx.db, ctx.audit, body)
    return RedirectResponse(f"/registry/accounts/{number}?done={idempotency_key}", 303)


@router.post("/registry/accounts/{number}/trusted")
def trusted_submit(
    ctx: Ctx,
    number: str,
    csrf_token: Annotated[str, Form()],
    accounts: Annotated[str, Form(max_length=4000)] = "",
) -> RedirectResponse:
    """Replace the account's trusted list (one account number a line)."""
    check_csrf(ctx, csrf_token)
    with ctx.db.write() as s:
        public.account_for(s, ctx.principal, number, Action.REGISTRY_TRANSFER)
        numbers = [n.strip() for n in accounts.replace(",", "\n").splitlines() if n.strip()]
        for other in numbers:
            account_by_number(s, other)
        approvals.set_trusted(s, ctx.audit, number, numbers)
    return RedirectResponse(f"/registry/accounts/{number}", 303)


@router.post("/registry/accounts/{number}/retire")
def retire_submit(
    ctx: Ctx,
    number: str,
    csrf_token: Annotated[str, Form()],
    idempotency_key: KEY,
    quantity: Annotated[int, Form(gt=0, le=MAX_TCO2)],
    purpose: Annotated[str, Form(min_length=1, max_length=200)],
    beneficiary: Annotated[str, Form(min_length=1, max_length=200)],
) -> RedirectResponse:
    check_csrf(ctx, csrf_token)
    with ctx.db.read() as s:
        public.account_for(s, ctx.principal, number, Action.REGISTRY_RETIRE)
    body = RetireRequest(
        idempotency_key=idempotency_key,
        from_account=number,
        quantity=quantity,
        purpose=purpose,
        beneficiary=beneficiary,
    )
    held = hold_if_needed(
        ctx.db,
        ctx.settings,
        ctx.audit,
        ctx.principal,
        Kind.RETIRE,
        body,
        account=number,
        quantity=quantity,
    )
    if held is not None:
        return RedirectResponse(f"/approvals?done={held.pending_operation_id}", 303)
    service.retire(ctx.db, ctx.audit, body)
    return RedirectResponse(f"/registry/accounts/{number}?done={idempotency_key}", 303)


@router.post("/registry/accounts/{number}/cancel")
def cancel_submit(
    ctx: Ctx,
    number: str,
    csrf_token: Annotated[str, Form()],
    idempotency_key: KEY,
    quantity: Annotated[int, Form(gt=0, le=MAX_TCO2)],
    cancellation: Annotated[str, Form(max_length=20)],
    note: Annotated[str, Form(max_length=150)] = "",
) -> RedirectResponse:
    """Cancel units: always held for a second person's approval."""
    check_csrf(ctx, csrf_token)
    purpose = CANCELLATION_PURPOSES.get(cancellation)
    if purpose is None:
        raise ValidationFailed.of(
            [
                FieldProblem(
                    "cancellation",
                    "Choose the kind of cancellation.",
                    "取消の種類を選んでください。",
                )
            ]
        )
    with ctx.db.read() as s:
        public.account_for(s, ctx.principal, number, Action.REGISTRY_RETIRE)
    body = CancelRequest(
        idempotency_key=idempotency_key,
        from_account=number,
        quantity=quantity,
        purpose=f"{purpose}: {note.strip()}" if note.strip() else purpose,
    )
    held = hold_if_needed(
        ctx.db,
        ctx.settings,
        ctx.audit,
        ctx.principal,
        Kind.CANCEL,
        body,
        account=number,
        quantity=quantity,
    )
    if held is not None:
        return RedirectResponse(f"/approvals?done={held.pending_operation_id}", 303)
    service.cancel(ctx.db, ctx.audit, body)
    return RedirectResponse(f"/registry/accounts/{number}?done={idempotency_key}", 303)
