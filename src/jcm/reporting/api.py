"""Downloads without a page: the annual pack workbook, open-data files and the Atom feed."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response

from jcm.reporting import annual, export, feed, opendata, summary
from jcm.reporting.panels import Labels
from jcm.reporting.rules import report_year
from jcm.reporting.views import UnknownTable
from jcm.web.deps import Ctx
from jcm.web.problems import PROBLEM_RESPONSES

router = APIRouter(tags=["open data"], responses=PROBLEM_RESPONSES)
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _attachment(body: bytes, media: str, filename: str) -> Response:
    return Response(
        body,
        media_type=media,
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


def _answers(*media: str) -> dict[int | str, dict[str, object]]:
    return {200: {"description": "The file.", "content": {m: {} for m in media}}}


@router.get(
    "/insight/annual.xlsx",
    summary="Annual pack workbook",
    response_class=Response,
    responses=_answers(XLSX),
)
def annual_xlsx(ctx: Ctx, year: Annotated[str, Query(max_length=4)] = "") -> Response:
    fy = report_year(year, date.today())
    summary.ensure_fresh(ctx.db)
    with ctx.db.read() as s:
        tables = annual.pack(s, Labels(s, ctx.lang), fy)
    body = export.to_xlsx([(t.name, t.columns, t.rows) for t in tables])
    return _attachment(body, XLSX, f"jcm-annual-{fy}.xlsx")


@router.get(
    "/insight/open-data/{dataset}.{fmt}",
    summary="Open-data file (csv or json)",
    response_class=Response,
    responses=_answers("application/json", "text/csv"),
)
def open_data(
    ctx: Ctx,
    dataset: str,
    fmt: str,
    variant: Annotated[
        str,
        Query(
            alias="format",
            max_length=20,
            description="csv-excel: the CSV for Excel on a Japanese PC (Excel (日本語)).",
        ),
    ] = "",
) -> Response:
    if (
        dataset not in opendata.DATASETS
        or fmt not in {"csv", "json"}
        or variant not in {"", "csv-excel"}
    ):
        raise UnknownTable(f"{dataset}.{fmt}")
    columns, load = opendata.DATASETS[dataset]
    summary.ensure_fresh(ctx.db)
    with ctx.db.read() as s:
        rows = load(s)
    if fmt == "json":
        body = json.dumps(
            {"dataset": dataset, "columns": list(columns), "items": rows},
            ensure_ascii=False,
        ).encode()
        return _attachment(body, "application/json", f"jcm-{dataset}.json")
    cells = [[r[c] for c in columns] for r in rows]
    if variant == "csv-excel":
        body = export.to_excel_csv(columns, cells)
        return _attachment(body, "text/csv; charset=utf-8", f"jcm-{dataset}-excel.csv")
    body = export.to_csv(columns, cells)
    return _attachment(body, "text/csv; charset=utf-8", f"jcm-{dataset}.csv")


@router.get(
    "/feed.atom",
    summary="Atom feed of public changes",
    response_class=Response,
    responses=_answers("application/atom+xml"),
)
def atom_feed(request: Request, ctx: Ctx) -> Response:
    with ctx.db.read() as s:
        items = feed.events(s)
    base = str(request.base_url).rstrip("/")
    body = feed.atom(items, base, datetime.now(UTC))
    return Response(body, media_type="application/atom+xml; charset=utf-8")
