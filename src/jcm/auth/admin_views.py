"""The administrator's user pages: the list with a create-a-user form, and one page per user
with forms for role and organisation, second-factor reset, deactivation and sessions.

Each form posts to one service call in one transaction; a refusal re-renders the page with
status 422, every problem named by its field in the page's language, and nothing written.
Granting a privileged role is held for a second administrator on /approvals."""

from __future__ import annotations

from typing import Annotated, Any
from urllib.parse import quote, urlencode

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from jcm.auth import admin
from jcm.auth.rules import Action, Role, require
from jcm.errors import ValidationFailed
from jcm.reference.service import organisations
from jcm.web.deps import MAX_ROW_ID, Ctx, RequestContext, check_csrf
from jcm.web.views import render

router = APIRouter(include_in_schema=False)
CSRF = Annotated[str, Form()]
SHORT = Annotated[str, Form(max_length=200)]
DONE = Annotated[str, Query(max_length=20)]
OP = Annotated[int | None, Query(ge=1, le=MAX_ROW_ID)]

# What each form field is called on the page (English msgids, translated in the template).
FIELDS = {
    "username": "Username",
    "display_name": "Display name",
    "email": "Email (optional)",
    "role": "Role",
    "organisation": "Organisation",
    "password": "Temporary password",
    "language": "Language",
    "active": "Sign-in",
}


def _page(
    request: Request,
    ctx: RequestContext,
    name: str,
    status_code: int = 200,
    error: ValidationFailed | None = None,
    **data: Any,
) -> HTMLResponse:
    require(ctx.principal, Action.USER_MANAGE)
    with ctx.db.read() as s:
        data["orgs"] = organisations(s)
        if "username" in data:
            data["row"] = admin.row(s, str(data.pop("username")))
        else:
            data["rows"] = admin.rows(s)
    return render(
        request,
        ctx,
        name,
        status_code=status_code,
        error=error,
        invalid={p.field for p in error.problems} if error else set(),
        fields=FIELDS,
        roles=list(Role),
        **data,
    )


def _back(username: str, outcome: admin.Outcome, applied: str) -> RedirectResponse:
    done = applied if outcome.done is admin.Done.APPLIED else outcome.done.value
    query = {"done": done} | (
        {"op": str(outcome.pending_operation_id)} if outcome.pending_operation_id else {}
    )
    return RedirectResponse(f"/admin/users/{quote(username)}?{urlencode(query)}", 303)


@router.get("/admin/users", response_class=HTMLResponse)
def users_page(request: Request, ctx: Ctx) -> HTMLResponse:
    return _page(request, ctx, "auth/users.html", form={})


@router.post("/admin/users", response_model=None)
def create_user(
    request: Request,
    ctx: Ctx,
    csrf_token: CSRF,
    username: SHORT = "",
    display_name: SHORT = "",
    email: SHORT = "",
    role: SHORT = "",
    organisation: SHORT = "",
    password: SHORT = "",
    language: SHORT = "ja",
) -> Response:
    check_csrf(ctx, csrf_token)
    form = admin.NewUser(
        username.strip(), password, role, display_name, email, organisation, language
    )
    try:
        with ctx.db.write() as s:
            user, outcome = admin.create(s, ctx.audit, ctx.principal, form)
            name = user.username
    except ValidationFailed as exc:
        shown = {k: v for k, v in vars(form).items() if k != "password"}
        return _page(request, ctx, "auth/users.html", 422, exc, form=shown)
    return _back(name, outcome, "created")


@router.get("/admin/users/{username}", response_class=HTMLResponse)
def user_page(
    request: Request, ctx: Ctx, username: str, done: DONE = "", op: OP = None
) -> HTMLResponse:
    return _page(request, ctx, "auth/user.html", username=username, done=done, op=op)


def _refused(
    request: Request, ctx: RequestContext, username: str, exc: ValidationFailed
) -> HTMLResponse:
    return _page(request, ctx, "auth/user.html", 422, exc, username=username, done="", op=None)


@router.post("/admin/users/{username}/role", response_model=None)
def change_role(
    request: Request,
    ctx: Ctx,
    username: str,
    csrf_token: CSRF,
    role: SHORT = "",
    organisation: SHORT = "",
) -> Response:
    check_csrf(ctx, csrf_token)
    try:
        with ctx.db.write() as s:
            outcome = admin.change_role(
                s, ctx.audit, ctx.principal, username, role=role, organisation=organisation
            )
    except ValidationFailed as exc:
        return _refused(request, ctx, username, exc)
    return _back(username, outcome, "role")


@router.post("/admin/users/{username}/mfa-reset", response_model=None)
def reset_mfa(ctx: Ctx, username: str, csrf_token: CSRF) -> Response:
    check_csrf(ctx, csrf_token)
    with ctx.db.write() as s:
        outcome = admin.reset_mfa(s, ctx.audit, ctx.principal, username)
    return _back(username, outcome, "mfa")


@router.post("/admin/users/{username}/active", response_model=None)
def set_active(
    request: Request,
    ctx: Ctx,
    username: str,
    csrf_token: CSRF,
    active: Annotated[str, Form(max_length=5)] = "",
) -> Response:
    check_csrf(ctx, csrf_token)
    on = active == "yes"
    try:
        with ctx.db.write() as s:
            outcome = admin.set_active(s, ctx.audit, ctx.principal, username, on)
    except ValidationFailed as exc:
        return _refused(request, ctx, username, exc)
    return _back(username, outcome, "reactivated" if on else "deactivated")


@router.post("/admin/users/{username}/end-sessions")
def end_sessions(ctx: Ctx, username: str, csrf_token: CSRF) -> RedirectResponse:
    check_csrf(ctx, csrf_token)
    with ctx.db.write() as s:
        admin.end_sessions(s, ctx.audit, ctx.principal, username)
    return RedirectResponse(f"/admin/users/{quote(username)}?done=sessions", status_code=303)
