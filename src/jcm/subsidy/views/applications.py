"""Subsidy pages for applicants and screeners: a call's overview with its call picker, the
applications of a call, the form with live screening, and an application's screening report,
decision and history."""

from __future__ import annotations

import json
import tempfile
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy.orm import Session

from jcm.auth.rules import Action, Principal, may
from jcm.errors import ValidationFailed
from jcm.labels import LABELS, label
from jcm.reference.models import Organisation
from jcm.subsidy import service, service_calls, service_review, service_selection
from jcm.subsidy.schemas import ApplicationIn, AppStatus
from jcm.subsidy.template import write_template
from jcm.subsidy.views.common import XLSX, is_staff, words
from jcm.web.deps import Ctx, RequestContext
from jcm.web.i18n import translate
from jcm.web.views import check_csrf, render

router = APIRouter(include_in_schema=False)
NUMBER_FIELDS = (
    "initial_investment_jpy",
    "requested_subsidy_jpy",
    "annual_reduction_tco2",
    "annual_net_savings_jpy",
    "implementation_months",
)
# The form's label of each field an error can name (English; the page translates it).
FIELD_LABELS = {
    "title_en": "Title (English)",
    "title_ja": "Title (Japanese)",
    "representative": "Representative participant",
    "members": "Co-participants (one per line)",
    "id": "Application reference (optional)",
    "call": "Call",
    "partner_country": "Partner country",
    "technology": "Technology",
    "representative_participant_country": "Representative participant's country",
    "initial_investment_jpy": "Initial investment (yen)",
    "requested_subsidy_jpy": "Requested subsidy (yen)",
    "annual_reduction_tco2": "Annual GHG reduction (tCO2)",
    "annual_net_savings_jpy": "Annual net savings (yen)",
    "implementation_months": "Implementation period (months)",
}


def _call(session: Session, call: str) -> str:
    """The call asked for, or the newest call when none is."""
    return call if call else service_calls.known_calls(session)[-1]


@router.get("/subsidy", response_class=HTMLResponse)
def overview(request: Request, ctx: Ctx, call: str = "") -> HTMLResponse:
    return overview_page(request, ctx, call)


def overview_page(
    request: Request, ctx: RequestContext, call: str, error: ValidationFailed | None = None
) -> HTMLResponse:
    """A call's budget, its applications by status and its selection runs; a call picker."""
    with ctx.db.read() as s:
        call = _call(s, call[:20])
        info = service_selection.overview(s, call)
        settings, _ = service_calls.call_settings(s, call)
        calls = service_calls.known_calls(s)
        runs = service_selection.list_runs(s, ctx.principal, call=call) if is_staff(ctx) else []
    return render(
        request,
        ctx,
        "subsidy/overview.html",
        status_code=422 if error else 200,
        error=error,
        info=info,
        calls=calls,
        runs=runs,
        statuses=[x.value for x in AppStatus],
        can_select=may(ctx.principal, Action.SUBSIDY_SELECT),
        can_edit=may(ctx.principal, Action.SUBSIDY_CALL_EDIT),
        **words(ctx, settings),
    )


@router.get("/subsidy/applications", response_class=HTMLResponse)
def application_list(request: Request, ctx: Ctx, status: str = "", call: str = "") -> HTMLResponse:
    with ctx.db.read() as s:
        call = _call(s, call[:20])
        settings, _ = service_calls.call_settings(s, call)
        items = service.list_applications(s, ctx.principal, call=call, status=status or None)
        calls = service_calls.known_calls(s)
    return render(
        request,
        ctx,
        "subsidy/applications.html",
        items=items,
        status=status,
        call=call,
        calls=calls,
        statuses=[x.value for x in AppStatus],
        **words(ctx, settings),
    )


def _own_organisation(session: Session, principal: Principal | None) -> Organisation | None:
    """A participant applies for its own organisation: the form names it, not the user."""
    if principal is None or principal.organisation_id is None:
        return None
    if may(principal, Action.SUBSIDY_READ_ALL):
        return None
    return session.get(Organisation, principal.organisation_id)


def _form_page(
    request: Request,
    ctx: RequestContext,
    call: str,
    form: dict[str, str],
    error: ValidationFailed | None = None,
) -> HTMLResponse:
    with ctx.db.read() as s:
        call = _call(s, call[:20])
        settings, _ = service_calls.call_settings(s, call)
        calls = service_calls.known_calls(s)
        own = _own_organisation(s, ctx.principal)
        own_names = (own.name_en, own.name_ja) if own is not None else None
    return render(
        request,
        ctx,
        "subsidy/form.html",
        status_code=422 if error else 200,
        call=call,
        calls=calls,
        techs=settings.technologies,
        countries=settings.eligible_countries,
        own=own_names,
        error=error,
        form=form,
        field_label=lambda f: FIELD_LABELS.get(f.split(".")[-1], f),
        screening_words=screening_words(ctx.lang),
        **words(ctx, settings),
    )


def screening_words(lang: str) -> str:
    """The names of the screening rules and results, for the live screening as you type."""
    names = {
        f"rule.{code}": label(lang, "screening_rule", code) for code in LABELS["screening_rule"]
    }
    for result in ("pass", "fail", "review"):
        names[f"status.{result}"] = translate(lang, result)
    return json.dumps(names, ensure_ascii=False)


@router.get("/subsidy/applications/new", response_class=HTMLResponse)
def application_form(request: Request, ctx: Ctx, call: str = "") -> HTMLResponse:
    return _form_page(request, ctx, call, {})


def application_body(form: dict[str, str], own: tuple[str, str] | None) -> ApplicationIn:
    """The new application from the form's fields; a participant's own organisation is the
    representative whatever the form says."""
    record: dict[str, Any] = {
        k: form[k].strip()
        for k in (
            "id",
            "partner_country",
            "technology",
            "representative_participant_country",
            *NUMBER_FIELDS,
        )
        if form.get(k, "").strip()
    }
    record["other_public_subsidy"] = form.get("other_public_subsidy") == "true"
    record["eco_lease"] = form.get("eco_lease") == "true"
    rep_en, rep_ja = own or (form.get("representative", "").strip(), "")
    return ApplicationIn(
        call=form.get("call", "").strip() or "FY2022",
        title_en=form.get("title_en", "").strip() or "(untitled)",
        title_ja=form.get("title_ja", "").strip(),
        representative=rep_en or "(unnamed)",
        representative_ja=rep_ja,
        members=[m.strip() for m in form.get("members", "").split("\n") if m.strip()],
        application=record,
    )


@router.post("/subsidy/applications", response_model=None)
async def application_create(request: Request, ctx: Ctx) -> Response:
    form = {k: str(v)[:2000] for k, v in (await request.form()).items()}
    check_csrf(ctx, form.get("csrf_token", ""))
    try:
        with ctx.db.write() as s:
            own = _own_organisation(s, ctx.principal)
            names = (own.name_en, own.name_ja) if own is not None else None
            row = service.create_application(
                s, ctx.audit, ctx.principal, application_body(form, names)
            )
            ref = row.ref
    except ValidationFailed as exc:
        return _form_page(request, ctx, form.get("call", ""), form, exc)
    return RedirectResponse(f"/subsidy/applications/{ref}", status_code=303)


@router.get("/subsidy/applications/{ref}", response_class=HTMLResponse)
def application_page(request: Request, ctx: Ctx, ref: str) -> HTMLResponse:
    with ctx.db.read() as s:
        detail = service.application_detail(s, ctx.principal, ref)
        settings, _ = service_calls.call_settings(s, detail["call"])
    return render(
        request,
        ctx,
        "subsidy/application.html",
        a=detail,
        can_screen=may(ctx.principal, Action.SUBSIDY_SCREEN),
        can_decide=may(ctx.principal, Action.SUBSIDY_DECIDE),
        can_apply=may(ctx.principal, Action.SUBSIDY_APPLY),
        **words(ctx, settings),
    )


@router.post("/subsidy/applications/{ref}/submit")
def application_submit(ctx: Ctx, ref: str, csrf_token: Annotated[str, Form()]) -> RedirectResponse:
    check_csrf(ctx, csrf_token)
    with ctx.db.write() as s:
        service.submit(s, ctx.audit, ctx.principal, ref)
    return RedirectResponse(f"/subsidy/applications/{ref}", status_code=303)


@router.post("/subsidy/applications/{ref}/screen")
def application_screen(
    ctx: Ctx,
    ref: str,
    csrf_token: Annotated[str, Form()],
    similar_override: Annotated[str, Form(max_length=4)] = "",
    reason: Annotated[str, Form(max_length=2000)] = "",
) -> RedirectResponse:
    check_csrf(ctx, csrf_token)
    override = int(similar_override) if similar_override.strip().isdigit() else None
    with ctx.db.write() as s:
        service_review.screen_application(
            s, ctx.audit, ctx.principal, ref, similar_override=override, reason=reason
        )
    return RedirectResponse(f"/subsidy/applications/{ref}", status_code=303)


@router.post("/subsidy/applications/{ref}/decision")
def application_decide(
    ctx: Ctx,
    ref: str,
    csrf_token: Annotated[str, Form()],
    decision: Annotated[str, Form(pattern="^(adopt|reject)$")],
    reason: Annotated[str, Form(max_length=2000)] = "",
) -> RedirectResponse:
    check_csrf(ctx, csrf_token)
    with ctx.db.write() as s:
        service_review.decide(s, ctx.audit, ctx.principal, ref, decision, reason)
    return RedirectResponse(f"/subsidy/applications/{ref}", status_code=303)


@router.post("/subsidy/applications/{ref}/withdraw")
def application_withdraw(
    ctx: Ctx,
    ref: str,
    csrf_token: Annotated[str, Form()],
    reason: Annotated[str, Form(max_length=2000)] = "",
) -> RedirectResponse:
    check_csrf(ctx, csrf_token)
    with ctx.db.write() as s:
        service.withdraw(s, ctx.audit, ctx.principal, ref, reason)
    return RedirectResponse(f"/subsidy/applications/{ref}", status_code=303)


@router.get("/subsidy/template.xlsx")
def template_download(ctx: Ctx, call: str = "") -> Response:
    with ctx.db.read() as s:
        settings, _ = service_calls.call_settings(s, _call(s, call[:20]))
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "template.xlsx"
        write_template(path, settings)
        content = path.read_bytes()
    return Response(
        content,
        media_type=XLSX,
        headers={
            "Content-Disposition": 'attachment; filename="jcm-subsidy-application-template.xlsx"'
        },
    )
