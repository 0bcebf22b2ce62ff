"""Subsidy JSON API under /api/v1/subsidy: thin routes over the services."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, File, Form, Query, UploadFile, status

from jcm.subsidy import service, service_review, service_selection
from jcm.subsidy.schemas import (
    AdHocScreenIn,
    ApplicationIn,
    AppStatus,
    CallSettingsIn,
    DecisionIn,
    ReasonIn,
    ScreenIn,
    SelectionIn,
)
from jcm.subsidy.service_selection import IMPORT_TYPES
from jcm.subsidy.settings_json import dump_call_settings
from jcm.uploads import UploadLimits, receive
from jcm.web.deps import Ctx, RowId
from jcm.web.problems import PROBLEM_RESPONSES

router = APIRouter(prefix="/api/v1/subsidy", tags=["subsidy"], responses=PROBLEM_RESPONSES)


@router.get("/calls")
def list_calls(ctx: Ctx) -> list[dict[str, Any]]:
    with ctx.db.read() as s:
        return [service_selection.overview(s, c) for c in service.known_calls(s)]


@router.get("/calls/{call}")
def get_call(ctx: Ctx, call: str) -> dict[str, Any]:
    """The newest settings of a call (version 0 is the built-in default)."""
    with ctx.db.read() as s:
        settings, version = service.call_settings(s, call)
    return {"call": call, "version": version, "settings": dump_call_settings(settings)}


@router.put("/calls/{call}")
def put_call(ctx: Ctx, call: str, body: CallSettingsIn) -> dict[str, Any]:
    with ctx.db.write() as s:
        version = service.save_call_settings(
            s, ctx.audit, ctx.principal, call, body.settings, body.note
        )
        settings, _ = service.call_settings(s, call)
    return {"call": call, "version": version, "settings": dump_call_settings(settings)}


@router.get("/applications")
def list_applications(
    ctx: Ctx,
    call: Annotated[str | None, Query(max_length=20)] = None,
    status_: Annotated[AppStatus | None, Query(alias="status")] = None,
) -> list[dict[str, Any]]:
    with ctx.db.read() as s:
        return service.list_applications(
            s, ctx.principal, call=call, status=status_.value if status_ else None
        )


@router.get("/applications/{ref}")
def get_application(ctx: Ctx, ref: str) -> dict[str, Any]:
    with ctx.db.read() as s:
        return service.application_detail(s, ctx.principal, ref)


@router.post("/applications", status_code=status.HTTP_201_CREATED)
def create_application(ctx: Ctx, body: ApplicationIn) -> dict[str, Any]:
    with ctx.db.write() as s:
        row = service.create_application(s, ctx.audit, ctx.principal, body)
        return service.application_detail(s, ctx.principal, row.ref)


@router.post("/applications/{ref}/submit")
def submit_application(ctx: Ctx, ref: str) -> dict[str, Any]:
    with ctx.db.write() as s:
        service.submit(s, ctx.audit, ctx.principal, ref)
        return service.application_detail(s, ctx.principal, ref)


@router.post("/applications/{ref}/withdraw")
def withdraw_application(ctx: Ctx, ref: str, body: ReasonIn) -> dict[str, Any]:
    with ctx.db.write() as s:
        service.withdraw(s, ctx.audit, ctx.principal, ref, body.reason)
        return service.application_detail(s, ctx.principal, ref)


@router.post("/applications/{ref}/screen")
def screen_application(ctx: Ctx, ref: str, body: ScreenIn) -> dict[str, Any]:
    with ctx.db.write() as s:
        service_review.screen_application(
            s,
            ctx.audit,
            ctx.principal,
            ref,
            similar_override=body.similar_override,
            reason=body.reason,
        )
        return service.application_detail(s, ctx.principal, ref)


@router.post("/applications/{ref}/decision")
def decide(ctx: Ctx, ref: str, body: DecisionIn) -> dict[str, Any]:
    with ctx.db.write() as s:
        service_review.decide(s, ctx.audit, ctx.principal, ref, body.decision, body.reason)
        return service.application_detail(s, ctx.principal, ref)


@router.post("/imports", status_code=status.HTTP_201_CREATED)
def import_applications(
    ctx: Ctx,
    file: Annotated[UploadFile, File()],
    representative: Annotated[str, Form(min_length=1, max_length=200)],
    representative_ja: Annotated[str, Form(max_length=200)] = "",
    call: Annotated[str, Form(max_length=20)] = "FY2022",
    encoding: Annotated[str, Form(max_length=20)] = "auto",
) -> dict[str, Any]:
    """Drafts from a JSON, CSV or XLSX file; a bad row rejects the whole file. A CSV is read
    as UTF-8 or else Shift_JIS (CP932) unless ``encoding`` names one; the result says which."""
    name = file.filename or "upload"
    limits = UploadLimits.of(ctx.settings)
    content = receive(name, file.file, IMPORT_TYPES, limits)
    with ctx.db.write() as s:
        done = service_selection.import_applications(
            s,
            ctx.audit,
            ctx.principal,
            call=call,
            filename=name,
            content=content,
            representative=representative,
            representative_ja=representative_ja,
            limits=limits,
            encoding=encoding,
        )
    return {"created": done.created, "encoding": done.encoding}


@router.post("/screen")
def screen_ad_hoc(ctx: Ctx, body: AdHocScreenIn) -> dict[str, Any]:
    """Screen an application JSON against a call without saving anything."""
    with ctx.db.read() as s:
        return service_selection.adhoc_screening(s, body.call, body.application)


@router.get("/selection-runs")
def list_runs(ctx: Ctx) -> list[dict[str, Any]]:
    with ctx.db.read() as s:
        return service_selection.list_runs(s, ctx.principal)


@router.post("/selection-runs", status_code=status.HTTP_201_CREATED)
def create_run(ctx: Ctx, body: SelectionIn) -> dict[str, Any]:
    with ctx.db.write() as s:
        run = service_selection.run_selection(s, ctx.audit, ctx.principal, body.call, body.policy)
        return service_selection.run_dict(run)


@router.get("/selection-runs/{run_id}")
def get_run(ctx: Ctx, run_id: RowId) -> dict[str, Any]:
    with ctx.db.read() as s:
        return service_selection.run_dict(service_selection.load_run(s, ctx.principal, run_id))
