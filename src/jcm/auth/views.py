"""Account pages: password change and second-factor enrolment (the administrator's user pages
are in ``admin_views``).

Changing the password or the second factor asks for the password again (and a fresh code
when a factor is enrolled). Every form carries the session's CSRF token."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from jcm.auth import service as auth
from jcm.auth import totp as second_factor
from jcm.auth.models import User
from jcm.errors import JcmError, NotAuthenticated, Throttled
from jcm.web.deps import Ctx, RequestContext, check_csrf
from jcm.web.problems import with_retry_after
from jcm.web.views import render, safe_next, set_session_cookies

router = APIRouter(include_in_schema=False)
SECRET = Annotated[str, Form(max_length=200)]
CODE = Annotated[str, Form(max_length=10)]


def _me(ctx: RequestContext) -> int:
    if ctx.principal is None:
        raise NotAuthenticated()
    return ctx.principal.user_id


def _account(
    request: Request, ctx: RequestContext, status_code: int = 200, **data: object
) -> HTMLResponse:
    uid = _me(ctx)
    with ctx.db.read() as s:
        enrolled = second_factor.enrolled(s, uid)
    assert ctx.principal is not None
    data.setdefault("error", None)
    data.setdefault("done", "")
    return render(
        request,
        ctx,
        "auth/account.html",
        status_code=status_code,
        enrolled=enrolled,
        required=second_factor.required_for(ctx.principal.role),
        **data,
    )


@router.get("/account", response_class=HTMLResponse)
def account(request: Request, ctx: Ctx, done: str = "") -> HTMLResponse:
    return _account(request, ctx, done=done[:20])


@router.post("/account/password", response_model=None)
def change_password(
    request: Request,
    ctx: Ctx,
    csrf_token: Annotated[str, Form()],
    current_password: SECRET,
    new_password: SECRET,
    totp_code: CODE = "",
) -> Response:
    check_csrf(ctx, csrf_token)
    uid = _me(ctx)
    try:
        with ctx.db.write() as s:
            done = auth.change_password(
                s, ctx.audit, uid, current=current_password, new=new_password, code=totp_code
            )
            if not isinstance(done, JcmError):  # a refusal is committed: it was counted
                new = auth.start_session(s, ctx.audit, done)
    except JcmError as exc:
        return _account(request, ctx, status_code=422, error=exc)
    if isinstance(done, JcmError):
        return _refused(request, ctx, done)
    response = RedirectResponse("/account?done=password", status_code=303)
    set_session_cookies(response, ctx, new.token, new.csrf_token)
    return response


def _refused(request: Request, ctx: RequestContext, error: JcmError) -> HTMLResponse:
    code = 429 if isinstance(error, Throttled) else 422
    return with_retry_after(_account(request, ctx, status_code=code, error=error), error)


@router.get("/account/totp", response_class=HTMLResponse)
def totp_page(request: Request, ctx: Ctx, next: str = "/") -> HTMLResponse:
    uid = _me(ctx)
    with ctx.db.read() as s:
        user = s.get(User, uid)
        assert user is not None
        waiting = second_factor.pending(s, user)
        enrolled = second_factor.enrolled(s, uid)
    return _totp(request, ctx, waiting, enrolled, safe_next(next))


def _totp(
    request: Request,
    ctx: RequestContext,
    waiting: tuple[str, str] | None,
    enrolled: bool,
    next: str,
    error: JcmError | None = None,
    status_code: int = 200,
) -> HTMLResponse:
    return render(
        request,
        ctx,
        "auth/totp.html",
        status_code=status_code,
        secret=waiting[0] if waiting else None,
        qr=second_factor.qr_svg(waiting[1]) if waiting else None,
        enrolled=enrolled,
        next=next,
        error=error,
    )


@router.post("/account/totp", response_model=None)
def totp_start(
    request: Request,
    ctx: Ctx,
    csrf_token: Annotated[str, Form()],
    password: SECRET,
    totp_code: CODE = "",
    next: Annotated[str, Form(max_length=2000)] = "/",
) -> Response:
    """Re-authenticate, then show a new secret to scan; the old factor stays until confirmed."""
    check_csrf(ctx, csrf_token)
    uid = _me(ctx)
    error: JcmError | None = None
    with ctx.db.write() as s:
        enrolled = second_factor.enrolled(s, uid)
        user, error = auth.reauthenticate(s, ctx.audit, uid, password, totp_code, "totp_enrol")
        waiting = second_factor.begin_enrolment(s, user) if user is not None else None
    code = 200 if error is None else 429 if isinstance(error, Throttled) else 422
    page = _totp(request, ctx, waiting, enrolled, safe_next(next), error, code)
    return with_retry_after(page, error)


@router.post("/account/totp/confirm", response_model=None)
def totp_confirm(
    request: Request,
    ctx: Ctx,
    csrf_token: Annotated[str, Form()],
    totp_code: CODE,
    next: Annotated[str, Form(max_length=2000)] = "/",
) -> Response:
    check_csrf(ctx, csrf_token)
    uid = _me(ctx)
    error: JcmError | None = None
    with ctx.db.write() as s:
        user = s.get(User, uid)
        assert user is not None
        try:
            second_factor.confirm_enrolment(s, ctx.audit, user, totp_code)
        except JcmError as exc:
            error = exc
        waiting = second_factor.pending(s, user)
        enrolled = second_factor.enrolled(s, uid)
    if error is not None:
        return _totp(request, ctx, waiting, enrolled, safe_next(next), error, 422)
    return RedirectResponse(safe_next(next), status_code=303)
