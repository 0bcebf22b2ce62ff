"""Subsidy pages for running a call: open the next call from an earlier one, edit a call's
settings, upload a file of applications."""

from __future__ import annotations

import json
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, File, Form, Request, UploadFile
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from jcm.auth.rules import Action, may
from jcm.errors import FieldProblem, JcmError, ValidationFailed
from jcm.subsidy import service_calls, service_selection
from jcm.subsidy.service_selection import IMPORT_TYPES
from jcm.subsidy.settings_json import dump_call_settings
from jcm.subsidy.views.applications import overview_page
from jcm.subsidy.views.common import rule_words, words
from jcm.uploads import UploadLimits, receive
from jcm.web.deps import Ctx, RequestContext
from jcm.web.views import check_csrf, render

router = APIRouter(include_in_schema=False)


def _settings_page(
    request: Request,
    ctx: RequestContext,
    call: str,
    text: str | None,
    error: JcmError | None,
    opened: bool = False,
) -> HTMLResponse:
    with ctx.db.read() as s:
        settings, version = service_calls.call_settings(s, call)
    data = dump_call_settings(settings)
    return render(
        request,
        ctx,
        "subsidy/settings.html",
        status_code=422 if error else 200,
        call=call,
        version=version,
        settings=data,
        rules=settings,
        text=text if text is not None else json.dumps(data, ensure_ascii=False, indent=2),
        **words(ctx, settings),
        **rule_words(ctx.lang, settings),
        can_edit=may(ctx.principal, Action.SUBSIDY_CALL_EDIT),
        error=error,
        opened=opened,
    )


@router.get("/subsidy/calls/{call}/settings", response_class=HTMLResponse)
def call_settings_page(request: Request, ctx: Ctx, call: str, opened: str = "") -> HTMLResponse:
    return _settings_page(request, ctx, call, None, None, opened=opened[:2] == "1")


@router.post("/subsidy/calls/{call}/settings", response_model=None)
def call_settings_save(
    request: Request,
    ctx: Ctx,
    call: str,
    settings_json: Annotated[str, Form(max_length=200_000)],
    csrf_token: Annotated[str, Form()],
    note: Annotated[str, Form(max_length=500)] = "",
) -> Response:
    check_csrf(ctx, csrf_token)
    try:
        data: Any = json.loads(settings_json)
        if not isinstance(data, dict):
            raise ValueError("not an object")
    except ValueError:
        error = ValidationFailed.of(
            [
                FieldProblem(
                    "settings_json",
                    "This is not a JSON object.",
                    "JSONオブジェクトではありません。",
                )
            ]
        )
        return _settings_page(request, ctx, call, settings_json, error)
    try:
        with ctx.db.write() as s:
            service_calls.save_call_settings(s, ctx.audit, ctx.principal, call, data, note)
    except ValidationFailed as exc:
        return _settings_page(request, ctx, call, settings_json, exc)
    return RedirectResponse(f"/subsidy/calls/{call}/settings", status_code=303)


def _import_page(
    request: Request, ctx: RequestContext, status_code: int = 200, **data: Any
) -> HTMLResponse:
    with ctx.db.read() as s:
        calls = service_calls.known_calls(s)
    data.setdefault("error", None)
    data.setdefault("imported", [])
    return render(request, ctx, "subsidy/import.html", status_code=status_code, calls=calls, **data)


@router.get("/subsidy/import", response_class=HTMLResponse)
def import_form(request: Request, ctx: Ctx) -> HTMLResponse:
    return _import_page(request, ctx)


@router.post("/subsidy/import", response_model=None)
def import_upload(
    request: Request,
    ctx: Ctx,
    file: Annotated[UploadFile, File()],
    representative: Annotated[str, Form(min_length=1, max_length=200)],
    csrf_token: Annotated[str, Form()],
    representative_ja: Annotated[str, Form(max_length=200)] = "",
    call: Annotated[str, Form(max_length=20)] = "FY2022",
    encoding: Annotated[str, Form(max_length=20)] = "auto",
) -> Response:
    check_csrf(ctx, csrf_token)
    name = file.filename or "upload"
    limits = UploadLimits.of(ctx.settings)
    try:
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
    except ValidationFailed as exc:
        return _import_page(request, ctx, 422, error=exc)
    return _import_page(request, ctx, imported=done.created, encoding=done.encoding)


@router.post("/subsidy/calls", response_model=None)
def call_open(
    request: Request,
    ctx: Ctx,
    csrf_token: Annotated[str, Form()],
    call: Annotated[str, Form(max_length=20)] = "",
    based_on: Annotated[str, Form(min_length=1, max_length=20)] = "FY2022",
) -> Response:
    """Open the next call with an earlier call's rules; its settings page follows."""
    check_csrf(ctx, csrf_token)
    try:
        with ctx.db.write() as s:
            service_calls.open_call(s, ctx.audit, ctx.principal, call, based_on)
    except ValidationFailed as exc:
        return overview_page(request, ctx, based_on, error=exc)
    name = call.strip().upper()
    return RedirectResponse(
        f"/subsidy/calls/{name}/settings?" + urlencode({"opened": "1"}), status_code=303
    )
