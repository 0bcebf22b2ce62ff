"""Registry JSON API under /api/v1/registry: thin routes over the registry service.

Writes carry an ``idempotency_key``: a first request answers 201, a replay of the same
request 200 with ``replayed: true``, other content under a used key 409. Issuance,
cancellation, account blocking, large transfers and transfers to an account off the
sender's trusted list answer 202 with a pending operation that a second, different
authorised user approves under ``/api/v1/approvals``.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Response, status
from pydantic import BaseModel, Field

from jcm.approvals import service as approvals
from jcm.approvals.gate import PendingView, hold_if_needed
from jcm.approvals.rules import Kind
from jcm.auth.rules import Action, require
from jcm.errors import NotAuthenticated, NotFound, PermissionDenied
from jcm.reference.models import Organisation
from jcm.registry import aef_workbook, public, service
from jcm.registry import party as parties
from jcm.registry.ledger import account_by_number
from jcm.registry.schemas import (
    AccountKind,
    AccountView,
    AuthorisationIn,
    CancelRequest,
    HoldingsPage,
    IssueRequest,
    RetireRequest,
    RowId,
    ShareIn,
    TransactionOutcome,
    TransferRequest,
    VerifiedPeriodIn,
    VerifyReport,
)
from jcm.web.deps import Ctx
from jcm.web.problems import PROBLEM_RESPONSES

router = APIRouter(prefix="/api/v1/registry", tags=["registry"], responses=PROBLEM_RESPONSES)
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class AccountIn(BaseModel):
    registry_code: str = Field(min_length=2, max_length=2)
    number: str = Field(min_length=1, max_length=40)
    kind: AccountKind
    organisation_id: RowId
    name: str = Field(default="", max_length=200)


class AccountStatusIn(BaseModel):
    idempotency_key: str = Field(min_length=8, max_length=120)
    status: str = Field(pattern="^(open|blocked|closed)$")


class AccountStatusRequest(AccountStatusIn):
    number: str


class TrustedIn(BaseModel):
    accounts: list[str] = Field(max_length=200)


Written = TransactionOutcome | PendingView
WRITE_RESPONSES: dict[int | str, dict[str, Any]] = {
    201: {"model": TransactionOutcome, "description": "Done"},
    202: {"model": PendingView, "description": "Held for a second person's approval"},
}


def _answer(response: Response, outcome: TransactionOutcome) -> TransactionOutcome:
    response.status_code = status.HTTP_200_OK if outcome.replayed else status.HTTP_201_CREATED
    return outcome


def _held(response: Response, pending: PendingView) -> PendingView:
    response.status_code = status.HTTP_202_ACCEPTED
    return pending


@router.get("/registries")
def list_registries(ctx: Ctx) -> list[dict[str, Any]]:
    with ctx.db.read() as s:
        return public.registries(s)


@router.get("/accounts", response_model=list[AccountView])
def list_accounts(
    ctx: Ctx, registry: Annotated[str | None, Query(max_length=2)] = None
) -> list[AccountView]:
    """Accounts the caller may see: staff see all, others their organisation's."""
    if ctx.principal is None:
        raise NotAuthenticated()
    with ctx.db.read() as s:
        rows = service.accounts(s, registry_code=registry)
        allowed = public.visible_numbers(s, ctx.principal)
    return [a for a in rows if allowed is None or a.number in allowed]


@router.post("/accounts", status_code=status.HTTP_201_CREATED, response_model=AccountView)
def open_account(ctx: Ctx, body: AccountIn) -> AccountView:
    require(ctx.principal, Action.REGISTRY_ADMIN)
    with ctx.db.write() as s:
        if s.get(Organisation, body.organisation_id) is None:
            raise NotFound("Organisation", body.organisation_id, "組織")
        service.open_account(
            s,
            ctx.audit,
            registry_code=body.registry_code,
            number=body.number,
            kind=body.kind,
            organisation_id=body.organisation_id,
            name=body.name,
        )
        return next(a for a in service.accounts(s) if a.number == body.number)


@router.get("/accounts/{number}/holdings", response_model=HoldingsPage)
def holdings(
    ctx: Ctx,
    number: str,
    after: Annotated[int | None, Query(ge=0)] = None,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
) -> HoldingsPage:
    """One page of the account's blocks; pass ``next_after`` as ``after`` for the next."""
    with ctx.db.read() as s:
        public.account_for(s, ctx.principal, number, Action.REGISTRY_TRANSFER)
        return service.blocks_held_by(s, number, after=after, limit=limit)


@router.get("/accounts/{number}/balance")
def balance(ctx: Ctx, number: str) -> dict[str, Any]:
    with ctx.db.read() as s:
        public.account_for(s, ctx.principal, number, Action.REGISTRY_TRANSFER)
        return {"account": number, "balance": service.balance(s, number)}


def _gate(ctx: Ctx, kind: Kind, body: BaseModel, **facts: Any) -> PendingView | None:
    return hold_if_needed(ctx.db, ctx.settings, ctx.audit, ctx.principal, kind, body, **facts)


@router.post("/issuances", response_model=Written, responses=WRITE_RESPONSES)
def issue(ctx: Ctx, body: IssueRequest, response: Response) -> Written:
    """Held for approval: issuance always needs a second person. A request that could never
    run (unknown, undecided or issued period; amount above the verified reductions) is
    refused at once instead of being queued."""
    require(ctx.principal, Action.REGISTRY_ISSUE)
    with ctx.db.read() as s:
        service.check_issuable(s, body)
    held = _gate(ctx, Kind.ISSUE, body)
    if held is not None:
        return _held(response, held)
    return _answer(response, service.issue(ctx.db, ctx.audit, body))


def _check_sender(ctx: Ctx, number: str, action: Action) -> None:
    with ctx.db.read() as s:
        public.account_for(s, ctx.principal, number, action)


def _move(ctx: Ctx, kind: Kind, body: TransferRequest) -> PendingView | None:
    _check_sender(ctx, body.from_account, Action.REGISTRY_TRANSFER)
    return _gate(
        ctx,
        kind,
        body,
        account=body.from_account,
        quantity=body.quantity,
        receiver=body.to_account,
    )


@router.post("/transfers", response_model=Written, responses=WRITE_RESPONSES)
def transfer(ctx: Ctx, body: TransferRequest, response: Response) -> Written:
    held = _move(ctx, Kind.TRANSFER, body)
    if held is not None:
        return _held(response, held)
    return _answer(response, service.transfer(ctx.db, ctx.audit, body))


@router.post("/external-transfers", response_model=Written, responses=WRITE_RESPONSES)
def external_transfer(ctx: Ctx, body: TransferRequest, response: Response) -> Written:
    held = _move(ctx, Kind.EXTERNAL_TRANSFER, body)
    if held is not None:
        return _held(response, held)
    return _answer(response, service.external_transfer(ctx.db, ctx.audit, body))


@router.post("/cancellations", response_model=Written, responses=WRITE_RESPONSES)
def cancel(ctx: Ctx, body: CancelRequest, response: Response) -> Written:
    """Held for approval: cancellation always needs a second person."""
    _check_sender(ctx, body.from_account, Action.REGISTRY_RETIRE)
    held = _gate(ctx, Kind.CANCEL, body, account=body.from_account, quantity=body.quantity)
    if held is not None:
        return _held(response, held)
    return _answer(response, service.cancel(ctx.db, ctx.audit, body))


@router.post(
    "/accounts/{number}/status",
    status_code=status.HTTP_202_ACCEPTED,
    response_model=PendingView,
)
def account_status(ctx: Ctx, number: str, body: AccountStatusIn) -> PendingView:
    """Block, reopen or close an account: held until a second person approves."""
    require(ctx.principal, Action.REGISTRY_ADMIN)
    request = AccountStatusRequest(number=number, **body.model_dump())
    with ctx.db.read() as s:
        public.account_for(s, ctx.principal, number, Action.REGISTRY_ADMIN)
    held = _gate(ctx, Kind.ACCOUNT_STATUS, request, account=number)
    assert held is not None
    return held


@router.get("/accounts/{number}/trusted")
def trusted_accounts(ctx: Ctx, number: str) -> dict[str, Any]:
    with ctx.db.read() as s:
        public.account_for(s, ctx.principal, number, Action.REGISTRY_TRANSFER)
        return {"account": number, "trusted": approvals.trusted_list(s, number)}


@router.put("/accounts/{number}/trusted")
def set_trusted_accounts(ctx: Ctx, number: str, body: TrustedIn) -> dict[str, Any]:
    """Replace the accounts this account may send to without a second approval."""
    with ctx.db.write() as s:
        public.account_for(s, ctx.principal, number, Action.REGISTRY_TRANSFER)
        for other in body.accounts:
            account_by_number(s, other.strip())
        return {
            "account": number,
            "trusted": approvals.set_trusted(s, ctx.audit, number, body.accounts),
        }


@router.post("/retirements", response_model=Written, responses=WRITE_RESPONSES)
def retire(ctx: Ctx, body: RetireRequest, response: Response) -> Written:
    """Held for approval when the units leave a government holding account."""
    _check_sender(ctx, body.from_account, Action.REGISTRY_RETIRE)
    held = _gate(ctx, Kind.RETIRE, body, account=body.from_account, quantity=body.quantity)
    if held is not None:
        return _held(response, held)
    return _answer(response, service.retire(ctx.db, ctx.audit, body))


@router.get("/transactions/{key}", response_model=TransactionOutcome)
def transaction(ctx: Ctx, key: str) -> TransactionOutcome:
    """The stored outcome of a request; non-staff see only their own accounts' requests."""
    if ctx.principal is None:
        raise NotAuthenticated()
    with ctx.db.read() as s:
        outcome = service.transaction_outcome(s, key)
        allowed = public.visible_numbers(s, ctx.principal)
    if outcome is None:
        raise NotFound("Transaction", key, "取引")
    touched = {m.from_account for m in outcome.moved} | {m.to_account for m in outcome.moved}
    if allowed is not None and not touched & allowed:
        raise PermissionDenied(Action.REGISTRY_TRANSFER.value)
    return outcome


@router.get("/verify", response_model=VerifyReport)
def verify(ctx: Ctx) -> VerifyReport:
    require(ctx.principal, Action.REGISTRY_ADMIN)
    with ctx.db.read() as s:
        return service.verify(s)


@router.put("/projects/{ref}/allocation")
def set_allocation(ctx: Ctx, ref: str, body: list[ShareIn]) -> dict[str, Any]:
    require(ctx.principal, Action.REGISTRY_ADMIN)
    with ctx.db.write() as s:
        service.set_allocation(s, ctx.audit, ref, body)
        return {"project": ref, "shares": public.allocations(s).get(ref, [])}


@router.post("/verified-periods", status_code=status.HTTP_201_CREATED)
def record_period(ctx: Ctx, body: VerifiedPeriodIn) -> dict[str, Any]:
    require(ctx.principal, Action.REGISTRY_ADMIN)
    with ctx.db.write() as s:
        period = service.record_verified_period(s, ctx.audit, body)
        return {"id": period.id, **body.model_dump(mode="json")}


@router.post("/authorisations", status_code=status.HTTP_201_CREATED)
def record_authorisation(ctx: Ctx, body: AuthorisationIn) -> dict[str, Any]:
    require(ctx.principal, Action.REGISTRY_ADMIN)
    with ctx.db.write() as s:
        auth = service.record_authorisation(s, ctx.audit, body)
        return {"id": auth.id, **body.model_dump(mode="json")}


@router.get(
    "/aef",
    response_class=Response,
    responses={
        200: {
            "description": "One Party's AEF report for a year: the reporting tool's workbook"
            " (seven sheets) or one of its tables as CSV.",
            "content": {XLSX: {}, "text/csv": {}},
        }
    },
)
def aef_export(
    ctx: Ctx,
    year: Annotated[int, Query(ge=2013, le=2100)],
    party: Annotated[
        str, Query(pattern="^[A-Za-z]{3}$", description="ISO 3166 alpha-3 of the Party.")
    ] = "JPN",
    format: Annotated[str, Query(pattern="^(csv|xlsx)$")] = "csv",
    table: Annotated[
        str, Query(pattern="^(actions|holdings|authorizations|entities|submission)$")
    ] = "actions",
) -> Response:
    """The Article 6.2 AEF report of one Party: xlsx (the seven sheets) or csv (one table).
    Staff and the Joint Committee may export any Party's; a partner government its own."""
    if ctx.principal is None:
        raise NotAuthenticated()
    with ctx.db.read() as s:
        if parties.allowed_party(s, ctx.principal, party.upper()) != party.upper():
            raise parties.NotYourParty(party.upper())
        report = aef_workbook.build(s, party, year)
    stem = aef_workbook.stem(party, year)
    if format == "xlsx":
        return Response(
            aef_workbook.workbook_bytes(report),
            media_type=XLSX,
            headers={"Content-Disposition": f'attachment; filename="{stem}.xlsx"'},
        )
    return Response(
        aef_workbook.table_csv(report, table),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{stem}-{table}.csv"'},
    )


@router.get("/public/summary")
def public_summary(ctx: Ctx) -> list[dict[str, Any]]:
    """Issued, cancelled and retired credits by project and vintage (no sign-in)."""
    with ctx.db.read() as s:
        return public.summary(s)


@router.get("/public/units")
def unit_lookup(ctx: Ctx, serial: Annotated[str, Query(min_length=5, max_length=120)]) -> Any:
    """Which block a unit is in: project, vintage, state and the holder account's kind."""
    with ctx.db.read() as s:
        found = public.lookup_unit(s, serial)
    if found is None:
        raise NotFound("Unit", serial, "単位")
    return found
