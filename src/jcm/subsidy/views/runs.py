"""Selection-run pages: run a selection for a call, read the portfolio against the budget,
adopt it in one step, and export it as a workbook or as CSV for Excel."""

from __future__ import annotations

import io
import json
from typing import Annotated, Any

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from openpyxl import Workbook

from jcm.auth.rules import Action, may
from jcm.errors import ValidationFailed
from jcm.exports import for_people
from jcm.reporting import export
from jcm.subsidy import service_calls, service_selection
from jcm.subsidy.schemas import AppStatus
from jcm.subsidy.views.common import XLSX, words
from jcm.web.deps import Ctx, RequestContext, RowId
from jcm.web.i18n import translate
from jcm.web.views import check_csrf, render

router = APIRouter(include_in_schema=False)


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
    call: Annotated[str, Form(min_length=1, max_length=20)] = "FY2022",
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
def run_page(request: Request, ctx: Ctx, run_id: RowId, adopted: str = "") -> HTMLResponse:
    return _run_page(request, ctx, run_id, adopted=adopted[:6] == "1")


def _run_page(
    request: Request,
    ctx: RequestContext,
    run_id: int,
    adopted: bool = False,
    error: ValidationFailed | None = None,
) -> HTMLResponse:
    with ctx.db.read() as s:
        row = service_selection.load_run(s, ctx.principal, run_id)
        run = service_selection.run_dict(row)
        statuses = service_selection.run_statuses(s, row)
        settings = service_calls.call_settings_version(s, row.call, row.call_version)
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
        request,
        ctx,
        "subsidy/run.html",
        status_code=422 if error else 200,
        run=run,
        r=r,
        inputs=inputs,
        years=years,
        chart=chart,
        statuses=statuses,
        can_adopt=may(ctx.principal, Action.SUBSIDY_DECIDE)
        and not run["illustrative"]
        and any(statuses.get(i) != AppStatus.ADOPTED.value for i in r["selected"]),
        adopted=adopted,
        error=error,
        **words(ctx, settings),
    )


@router.post("/subsidy/runs/{run_id}/adopt", response_model=None)
def run_adopt(
    request: Request, ctx: Ctx, run_id: RowId, csrf_token: Annotated[str, Form()]
) -> Response:
    """Adopt the run's portfolio: every chosen application at once, or none."""
    check_csrf(ctx, csrf_token)
    try:
        with ctx.db.write() as s:
            service_selection.adopt_run(s, ctx.audit, ctx.principal, run_id)
    except ValidationFailed as exc:
        return _run_page(request, ctx, run_id, error=exc)
    return RedirectResponse(f"/subsidy/runs/{run_id}?adopted=1", status_code=303)


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
    for_people(book).save(buffer)
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
