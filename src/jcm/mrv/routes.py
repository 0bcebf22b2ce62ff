"""MRV JSON API under /api/v1/mrv: thin routes over the services."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, File, Form, UploadFile, status
from fastapi.responses import Response

from jcm.mrv import periods, service, workflow
from jcm.mrv.api import REGISTRY, example_input
from jcm.mrv.schemas import (
    AnswerIn,
    AssignIn,
    BindIn,
    DesignationIn,
    FindingIn,
    OpinionIn,
    PeriodIn,
)
from jcm.uploads import UploadLimits, receive
from jcm.web.deps import Ctx, RowId
from jcm.web.problems import PROBLEM_RESPONSES

router = APIRouter(prefix="/api/v1/mrv", tags=["mrv"], responses=PROBLEM_RESPONSES)
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@router.get("/methodologies")
def list_methodologies() -> list[dict[str, Any]]:
    return [m.summary() for m in REGISTRY.all()]


@router.get("/methodologies/{methodology}")
def get_methodology(methodology: str, version: str | None = None) -> dict[str, Any]:
    """One methodology (latest version unless named) with an example INPUT JSON."""
    m = REGISTRY.get(methodology, version)
    return m.as_dict() | {"example_input": example_input(m)}


@router.get("/projects/{ref}")
def get_project(ctx: Ctx, ref: str) -> dict[str, Any]:
    with ctx.db.read() as s:
        return service.project_periods(s, ref)


@router.put("/projects/{ref}/methodology")
def bind(ctx: Ctx, ref: str, body: BindIn) -> dict[str, Any]:
    with ctx.db.write() as s:
        periods.bind_methodology(s, ctx.audit, ctx.principal, ref, body.methodology)
        return service.project_periods(s, ref)


@router.post("/projects/{ref}/periods", status_code=status.HTTP_201_CREATED)
def create_period(ctx: Ctx, ref: str, body: PeriodIn) -> dict[str, Any]:
    with ctx.db.write() as s:
        period = periods.create_period(s, ctx.audit, ctx.principal, ref, body.start, body.end)
        return service.period_detail(s, period.id)


@router.get("/periods/{period_id}")
def get_period(ctx: Ctx, period_id: RowId) -> dict[str, Any]:
    with ctx.db.read() as s:
        return service.period_detail(s, period_id)


@router.post("/periods/{period_id}/calculations", status_code=status.HTTP_201_CREATED)
def upload(
    ctx: Ctx,
    period_id: RowId,
    file: Annotated[UploadFile, File()],
    input_json: Annotated[str, Form(alias="input", min_length=2, max_length=1_000_000)],
    encoding: Annotated[str, Form(max_length=20)] = "auto",
) -> dict[str, Any]:
    """Monitoring data (CSV, XLSX or Parquet) and the INPUT JSON; a bad file stores nothing.
    A CSV is read as UTF-8 or else Shift_JIS (CP932) unless ``encoding`` names one."""
    name = file.filename or "upload"
    limits = UploadLimits.of(ctx.settings)
    content = receive(name, file.file, periods.FILE_TYPES, limits)
    with ctx.db.write() as s:
        calc = periods.store_calculation(
            s,
            ctx.audit,
            ctx.principal,
            period_id,
            filename=name,
            content=content,
            input_json=input_json,
            limits=limits,
            encoding=encoding,
        )
        return service.calculation_dict(calc)


@router.get("/calculations/{calc_id}")
def get_calculation(ctx: Ctx, calc_id: RowId) -> dict[str, Any]:
    with ctx.db.read() as s:
        return service.calculation_dict(service.get_calculation(s, calc_id))


@router.get(
    "/calculations/{calc_id}/report.xlsx",
    response_class=Response,
    responses={200: {"description": "The monitoring report workbook.", "content": {XLSX: {}}}},
)
def report(ctx: Ctx, calc_id: RowId) -> Response:
    with ctx.db.read() as s:
        body = service.get_calculation(s, calc_id).report_xlsx
    name = f"monitoring-report-{calc_id}.xlsx"
    return Response(
        body, media_type=XLSX, headers={"Content-Disposition": f'attachment; filename="{name}"'}
    )


@router.post("/periods/{period_id}/submit")
def submit(ctx: Ctx, period_id: RowId) -> dict[str, Any]:
    with ctx.db.write() as s:
        workflow.submit(s, ctx.audit, ctx.principal, period_id)
        return service.period_detail(s, period_id)


@router.get("/designations")
def designations(ctx: Ctx) -> list[dict[str, Any]]:
    with ctx.db.read() as s:
        return service.tpe_organisations(s)


@router.post("/designations", status_code=status.HTTP_201_CREATED)
def designate(ctx: Ctx, body: DesignationIn) -> list[dict[str, Any]]:
    with ctx.db.write() as s:
        workflow.designate(s, ctx.audit, ctx.principal, body.tpe, body.sectoral_scope)
        return service.tpe_organisations(s)


@router.post("/periods/{period_id}/assign")
def assign(ctx: Ctx, period_id: RowId, body: AssignIn) -> dict[str, Any]:
    with ctx.db.write() as s:
        workflow.assign(s, ctx.audit, ctx.principal, period_id, body.tpe)
        return service.period_detail(s, period_id)


@router.post("/periods/{period_id}/findings", status_code=status.HTTP_201_CREATED)
def raise_finding(ctx: Ctx, period_id: RowId, body: FindingIn) -> dict[str, Any]:
    with ctx.db.write() as s:
        f = workflow.raise_finding(s, ctx.audit, ctx.principal, period_id, body.kind, body.text)
        return service.finding_dict(f)


@router.post("/findings/{finding_id}/answer")
def answer(ctx: Ctx, finding_id: RowId, body: AnswerIn) -> dict[str, Any]:
    with ctx.db.write() as s:
        f = workflow.answer_finding(s, ctx.audit, ctx.principal, finding_id, body.response)
        return service.finding_dict(f)


@router.post("/findings/{finding_id}/close")
def close(ctx: Ctx, finding_id: RowId) -> dict[str, Any]:
    with ctx.db.write() as s:
        return service.finding_dict(workflow.close_finding(s, ctx.audit, ctx.principal, finding_id))


@router.post("/periods/{period_id}/opinion")
def opinion(ctx: Ctx, period_id: RowId, body: OpinionIn) -> dict[str, Any]:
    with ctx.db.write() as s:
        workflow.give_opinion(
            s,
            ctx.audit,
            ctx.principal,
            period_id,
            positive=body.opinion == "positive",
            verified_er=body.verified_er,
            text=body.text,
        )
        return service.period_detail(s, period_id)


@router.post("/periods/{period_id}/issuance-request")
def issuance_request(ctx: Ctx, period_id: RowId) -> dict[str, Any]:
    with ctx.db.write() as s:
        workflow.request_issuance(s, ctx.audit, ctx.principal, period_id)
        return service.period_detail(s, period_id)


@router.get("/verified-periods")
def verified(ctx: Ctx, project: str | None = None) -> list[dict[str, Any]]:
    """Verified periods and their amounts, which the registry may issue against."""
    with ctx.db.read() as s:
        return [
            {
                "period_id": v.period_id,
                "project_ref": v.project_ref,
                "start": v.start.isoformat(),
                "end": v.end.isoformat(),
                "verified_er_tco2": v.verified_er,
                "status": v.status,
            }
            for v in service.verified_periods(s, project)
        ]
