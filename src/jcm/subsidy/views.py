"""Subsidy pages: the call overview, applications, the form with live screening, the
screening report and selection runs with their Excel export."""

from __future__ import annotations

import io
import json
import tempfile
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from openpyxl import Workbook

from jcm.auth.rules import Action, may
from jcm.exports import neutralise_workbook
from jcm.reporting import export
from jcm.subsidy import service, service_review, service_selection
from jcm.subsidy.schemas import APP_STATUS_JA, ApplicationIn, AppStatus
from jcm.subsidy.settings import FY2022
from jcm.subsidy.template import write_template
from jcm.web.deps import Ctx, RowId
from jcm.web.i18n import translate
from jcm.web.views import check_csrf, render

router = APIRouter(include_in_schema=False)
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
NUMBER_FIELDS = (
    "initial_investment_jpy",
    "requested_subsidy_jpy",
    "annual_reduction_tco2",
    "annual_net_savings_jpy",
    "implementation_months",
)


def app_status(lang: str, s: str) -> str:
    return APP_STATUS_JA[AppStatus(s)] if lang == "ja" else s


@router.get("/subsidy", response_class=HTMLResponse)
def overview(request: Request, ctx: Ctx, call: str = FY2022.call) -> HTMLResponse:
    with ctx.db.read() as s:
        info = service_selection.overview(s, call)
        calls = service.known_calls(s)
        runs = service_selection.list_runs(s, ctx.principal) if _staff(ctx) else []
    return render(
        request,
        ctx,
        "subsidy/overview.html",
        info=info,
        calls=calls,
        runs=runs,
        app_status=lambda x: app_status(ctx.lang, x),
        statuses=[x.value for x in AppStatus],
        can_select=may(ctx.principal, Action.SUBSIDY_SELECT),
    )


def _staff(ctx: Any) -> bool:
    return may(ctx.principal, Action.SUBSIDY_READ_ALL)


@router.get("/subsidy/applications", response_class=HTMLResponse)
def application_list(request: Request, ctx: Ctx, status: str = "") -> HTMLResponse:
    with ctx.db.read() as s:
        items = service.list_applications(s, ctx.principal, status=status or None)
    return render(
        request,
        ctx,
        "subsidy/applications.html",
        items=items,
        status=status,
        statuses=[x.value for x in AppStatus],
        app_status=lambda x: app_status(ctx.lang, x),
    )


@router.get("/subsidy/applications/new", response_class=HTMLResponse)
def application_form(request: Request, ctx: Ctx) -> HTMLResponse:
    return render(
        request,
        ctx,
        "subsidy/form.html",
        techs=FY2022.technologies,
        countries=FY2022.eligible_countries,
        error=None,
        form={},
    )


@router.post("/subsidy/applications", response_model=None)
async def application_create(request: Request, ctx: Ctx) -> Response:
    form = {k: str(v) for k, v in (await request.form()).items()}
    check_csrf(ctx, form.get("csrf_token", ""))
    record: dict[str, Any] = {
        k: form[k]
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
    body = ApplicationIn(
        title_en=form.get("title_en", "") or "(untitled)",
        title_ja=form.get("title_ja", ""),
        representative=form.get("representative", "") or "(unnamed)",
        members=[m.strip() for m in form.get("members", "").split("\n") if m.strip()],
        application=record,
    )
    with ctx.db.write() as s:
        row = service.create_application(s, ctx.audit, ctx.principal, body)
        ref = row.ref
    return RedirectResponse(f"/subsidy/applications/{ref}", status_code=303)


@router.get("/subsidy/applications/{ref}", response_class=HTMLResponse)
def application_page(request: Request, ctx: Ctx, ref: str) -> HTMLResponse:
    with ctx.db.read() as s:
        detail = service.application_detail(s, ctx.principal, ref)
    return render(
        request,
        ctx,
        "subsidy/application.html",
        a=detail,
        app_status=lambda x: app_status(ctx.lang, x),
        can_screen=may(ctx.principal, Action.SUBSIDY_SCREEN),
        can_decide=may(ctx.principal, Action.SUBSIDY_DECIDE),
        can_apply=may(ctx.principal, Action.SUBSIDY_APPLY),
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


def run_policy(
    budget_jpy: str,
    max_per_country: str,
    max_per_technology: str,
    must_include: str,
    must_exclude: str,
    first_of_kind_bonus: str,
) -> dict[str, Any]:
    """The selection policy from the run form; blank fields keep the defaults."""
    policy: dict[str, Any] = {}
    if budget_jpy.strip():
        policy["budget_jpy"] = budget_jpy.strip()
    if max_per_country.strip():
        policy["country_caps"] = [{"key": "*", "max_projects": max_per_country.strip()}]
    if max_per_technology.strip():
        policy["technology_caps"] = [{"key": "*", "max_projects": max_per_technology.strip()}]
    for key, text in (("must_include", must_include), ("must_exclude", must_exclude)):
        ids = [x.strip() for x in text.replace(";", ",").split(",") if x.strip()]
        if ids:
            policy[key] = ids
    if first_of_kind_bonus.strip():
        policy["first_of_kind_bonus"] = first_of_kind_bonus.strip()
    return policy


@router.post("/subsidy/runs")
def run_create(
    ctx: Ctx,
    csrf_token: Annotated[str, Form()],
    budget_jpy: Annotated[str, Form(max_length=20)] = "",
    call: Annotated[str, Form(max_length=20)] = FY2022.call,
    max_per_country: Annotated[str, Form(max_length=6)] = "",
    max_per_technology: Annotated[str, Form(max_length=6)] = "",
    must_include: Annotated[str, Form(max_length=2000)] = "",
    must_exclude: Annotated[str, Form(max_length=2000)] = "",
    first_of_kind_bonus: Annotated[str, Form(max_length=10)] = "",
) -> RedirectResponse:
    check_csrf(ctx, csrf_token)
    policy = run_policy(
        budget_jpy,
        max_per_country,
        max_per_technology,
        must_include,
        must_exclude,
        first_of_kind_bonus,
    )
    with ctx.db.write() as s:
        run = service_selection.run_selection(s, ctx.audit, ctx.principal, call, policy)
        run_id = run.id
    return RedirectResponse(f"/subsidy/runs/{run_id}", status_code=303)


@router.get("/subsidy/runs/{run_id}", response_class=HTMLResponse)
def run_page(request: Request, ctx: Ctx, run_id: RowId) -> HTMLResponse:
    with ctx.db.read() as s:
        run = service_selection.run_dict(service_selection.load_run(s, ctx.principal, run_id))
    r = run["result"]
    inputs = {a["id"]: a for a in run["inputs"]}
    years = list(r["budget_jpy_by_fiscal_year"])
    chart = json.dumps(
        {
            "title": translate(ctx.lang, "Subsidy spend by fiscal year (yen)"),
            "x": [f"FY{y}" for y in years],
            "y": [r["spend_by_fiscal_year"].get(y, 0) for y in years],
            "ylabel": translate(ctx.lang, "Yen"),
        },
        ensure_ascii=False,
    )
    return render(
        request, ctx, "subsidy/run.html", run=run, r=r, inputs=inputs, years=years, chart=chart
    )


def _portfolio(run: dict[str, Any]) -> tuple[list[str], list[list[Any]]]:
    """The chosen applications with their schedule by fiscal year: columns and rows."""
    years = list(run["result"]["budget_jpy_by_fiscal_year"])
    columns = [
        "id",
        "partner_country",
        "technology",
        "requested_subsidy_jpy",
        "annual_reduction_tco2",
        "legal_durable_years",
        *[f"FY{y}" for y in years],
    ]
    inputs = {a["id"]: a for a in run["inputs"]}
    rows = []
    for app_id in run["result"]["selected"]:
        a = inputs[app_id]
        sched = a.get("schedule_jpy_by_fiscal_year", {})
        rows.append(
            [
                app_id,
                a["partner_country"],
                a["technology"],
                a["requested_subsidy_jpy"],
                a["annual_reduction_tco2"],
                a["legal_durable_years"],
                *[sched.get(y, 0) for y in years],
            ]
        )
    return columns, rows


@router.get("/subsidy/runs/{run_id}/portfolio.xlsx")
def run_export(ctx: Ctx, run_id: RowId) -> Response:
    """The chosen portfolio and the left-out applications as a workbook."""
    with ctx.db.read() as s:
        run = service_selection.run_dict(service_selection.load_run(s, ctx.principal, run_id))
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "portfolio"
    columns, rows = _portfolio(run)
    sheet.append(columns)
    for row in rows:
        sheet.append(row)
    out = book.create_sheet("left_out")
    out.append(["id", "reason_en", "reason_ja"])
    for item in run["result"]["left_out"]:
        for reason in item["reasons"]:
            out.append([item["id"], reason["message_en"], reason["message_ja"]])
    buffer = io.BytesIO()
    neutralise_workbook(book).save(buffer)
    return Response(
        buffer.getvalue(),
        media_type=XLSX,
        headers={"Content-Disposition": f'attachment; filename="selection-run-{run_id}.xlsx"'},
    )


@router.get("/subsidy/runs/{run_id}/portfolio.csv")
def run_export_csv(ctx: Ctx, run_id: RowId) -> Response:
    """The chosen portfolio as CSV for Excel (UTF-8 with BOM, formula-safe)."""
    with ctx.db.read() as s:
        run = service_selection.run_dict(service_selection.load_run(s, ctx.principal, run_id))
    columns, rows = _portfolio(run)
    return Response(
        export.to_excel_csv(columns, rows),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="selection-run-{run_id}.csv"'},
    )


@router.get("/subsidy/template.xlsx")
def template_download() -> Response:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "template.xlsx"
        write_template(path, FY2022)
        content = path.read_bytes()
    return Response(
        content,
        media_type=XLSX,
        headers={
            "Content-Disposition": 'attachment; filename="jcm-subsidy-application-template.xlsx"'
        },
    )


# The call-administration pages add their routes to this router.
from jcm.subsidy import views_admin  # noqa: E402, F401
