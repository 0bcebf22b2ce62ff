"""Public dashboard pages under ``/insight`` and their table downloads."""

from __future__ import annotations

import json
from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, Response

from jcm.auth.rules import Action, may
from jcm.errors import NotFound, PermissionDenied
from jcm.reporting import annual, export, service, summary
from jcm.reporting.panels import Labels, Table
from jcm.reporting.rules import report_year
from jcm.reporting.settings import insight_settings
from jcm.web.deps import Ctx, RequestContext
from jcm.web.views import render

router = APIRouter(include_in_schema=False)

DIMENSIONS = ("country", "technology", "fiscal_year", "vintage")
PAGES = {
    "overview": ["funnel", "goal", "partners"],
    "map": ["map"],
    "cities": ["cities"],
    "subsidy": ["subsidy"],
}


def _may_see(ctx: RequestContext, name: str) -> bool:
    return name not in service.STAFF_ONLY or may(ctx.principal, Action.SUBSIDY_READ_ALL)


def _page(request: Request, ctx: Ctx, names: list[str], heading: str, **extra: Any) -> HTMLResponse:
    tables = service.build(ctx.db, names, ctx.lang, insight_settings())
    charts = {t.name: json.dumps(t.chart, ensure_ascii=False) for t in tables if t.chart}
    return render(
        request,
        ctx,
        "insight/page.html",
        tables=tables,
        charts=charts,
        heading=heading,
        staff=may(ctx.principal, Action.SUBSIDY_READ_ALL),
        **extra,
    )


@router.get("/insight", response_class=HTMLResponse)
def overview(request: Request, ctx: Ctx) -> HTMLResponse:
    return _page(request, ctx, PAGES["overview"], "Portfolio insight")


@router.get("/insight/reductions", response_class=HTMLResponse)
def reductions(
    request: Request, ctx: Ctx, by: Annotated[str, Query(max_length=20)] = "country"
) -> HTMLResponse:
    dim = by if by in DIMENSIONS else "country"
    return _page(request, ctx, [f"reductions-{dim}"], "Reductions", dimensions=DIMENSIONS, dim=dim)


@router.get("/insight/map", response_class=HTMLResponse)
def project_map(request: Request, ctx: Ctx) -> HTMLResponse:
    return _page(request, ctx, PAGES["map"], "Projects on the map")


@router.get("/insight/cities", response_class=HTMLResponse)
def cities(request: Request, ctx: Ctx) -> HTMLResponse:
    return _page(request, ctx, PAGES["cities"], "City-to-city network")


@router.get("/insight/subsidy", response_class=HTMLResponse)
def subsidy(request: Request, ctx: Ctx) -> HTMLResponse:
    if not _may_see(ctx, "subsidy"):
        raise InsightPermission()
    return _page(request, ctx, PAGES["subsidy"], "Subsidy yen per tCO2 by technology")


class InsightPermission(PermissionDenied):
    def __init__(self) -> None:
        super().__init__(
            "see subsidy figures",
            "Subsidy figures are for the secretariat; sign in.",
            "補助金の数値は事務局向けです。サインインしてください。",
        )


class UnknownTable(NotFound):
    def __init__(self, name: str) -> None:
        super().__init__("Dashboard table", name, "ダッシュボードの表")


def table_response(table: Table, fmt: str) -> Response:
    if fmt == "xlsx":
        body = export.to_xlsx([(table.name, table.columns, table.rows)])
        media = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    else:
        body = export.to_csv(table.columns, table.rows)
        media = "text/csv; charset=utf-8"
    return Response(
        body,
        media_type=media,
        headers={"Content-Disposition": f'attachment; filename="insight-{table.name}.{fmt}"'},
    )


@router.get("/insight/tables/{name}.{fmt}")
def download(ctx: Ctx, name: str, fmt: str) -> Response:
    if name not in service.BUILDERS or fmt not in {"csv", "xlsx"}:
        raise UnknownTable(name)
    if not _may_see(ctx, name):
        raise InsightPermission()
    (table,) = service.build(ctx.db, [name], ctx.lang, insight_settings())
    return table_response(table, fmt)


@router.get("/insight/annual", response_class=HTMLResponse)
def annual_page(
    request: Request, ctx: Ctx, year: Annotated[str, Query(max_length=4)] = ""
) -> HTMLResponse:
    fy = report_year(year, date.today())
    summary.ensure_fresh(ctx.db)
    with ctx.db.read() as s:
        tables = annual.pack(s, Labels(s, ctx.lang), fy)
    return render(
        request,
        ctx,
        "insight/annual.html",
        tables=tables,
        charts={},
        year=fy,
        years=list(range(date.today().year, 2012, -1)),
        staff=may(ctx.principal, Action.SUBSIDY_READ_ALL),
    )


@router.get("/insight/open-data", response_class=HTMLResponse)
def open_data_page(request: Request, ctx: Ctx) -> HTMLResponse:
    return render(
        request,
        ctx,
        "insight/open_data.html",
        staff=may(ctx.principal, Action.SUBSIDY_READ_ALL),
    )
