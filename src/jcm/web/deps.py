"""Per-request context: database, language, signed-in principal, CSRF token.

The CSRF token is bound to the signed-in session (a replayed token from another or an
ended session is refused) and double-submitted: forms post it as ``csrf_token``, JSON calls
authenticated by the session cookie send it in ``X-CSRF-Token``.
"""

from __future__ import annotations

import hmac
import secrets
from dataclasses import dataclass
from datetime import timedelta
from typing import Annotated

from fastapi import Depends, Path, Request

from jcm import audit
from jcm.auth import edge
from jcm.auth import service as auth
from jcm.auth.rules import Principal
from jcm.db import Database
from jcm.errors import PermissionDenied
from jcm.operations.logs import request_id_of
from jcm.settings import Settings
from jcm.web.i18n import negotiate
from jcm.web.proxies import client_address

SESSION_COOKIE = "jcm_session"
LANG_COOKIE = "jcm_lang"
CSRF_COOKIE = "jcm_csrf"
CSRF_HEADER = "x-csrf-token"


class CsrfRejected(PermissionDenied):
    code = "csrf_rejected"

    def __init__(self) -> None:
        super().__init__(
            "submit this form",
            "The form expired or did not come from this site; reload the page and try again.",
            "フォームの有効期限が切れたか、このサイトからの送信ではありません。再読み込みしてやり直してください。",
        )


@dataclass
class RequestContext:
    settings: Settings
    db: Database
    lang: str
    principal: Principal | None
    display_name: str | None
    csrf_token: str
    request_id: str
    client: str | None
    new_csrf_cookie: bool = False
    via_cookie: bool = False
    session_token: str | None = None

    @property
    def audit(self) -> audit.Context:
        return audit.Context(
            actor=self.principal.username if self.principal else "anonymous",
            user_id=self.principal.user_id if self.principal else None,
            request_id=self.request_id,
            client=self.client,
        )


@dataclass(frozen=True)
class _Caller:
    principal: Principal | None = None
    name: str | None = None
    session_csrf: str | None = None


def _caller(request: Request, db: Database, settings: Settings) -> _Caller:
    header = request.headers.get("authorization", "")
    if header.lower().startswith("bearer "):
        with db.read() as s:
            user = auth.token_user(s, header[7:].strip())
            return _Caller(auth.principal_of(user), user.display_name) if user else _Caller()
    token = request.cookies.get(SESSION_COOKIE)
    if not token:
        return _Caller()
    with db.write() as s:
        found = auth.session_user(
            s,
            token,
            idle=timedelta(minutes=settings.session_idle_minutes),
            absolute=timedelta(hours=settings.session_absolute_hours),
        )
        if found is None:
            return _Caller()
        user, ws = found
        return _Caller(auth.principal_of(user), user.display_name, ws.csrf_token)


def get_context(request: Request) -> RequestContext:
    cached = getattr(request.state, "ctx", None)
    if isinstance(cached, RequestContext):
        return cached
    settings: Settings = request.app.state.settings
    db: Database = request.app.state.db
    caller = _caller(request, db, settings)
    lang = negotiate(
        request.query_params.get("lang") or request.cookies.get(LANG_COOKIE),
        request.headers.get("accept-language"),
        settings.default_language,
    )
    cookie = request.cookies.get(CSRF_COOKIE)
    # Signed in: the session's own token; otherwise the browser's anonymous token.
    csrf = caller.session_csrf or cookie or secrets.token_urlsafe(24)
    ctx = RequestContext(
        settings=settings,
        db=db,
        lang=lang,
        principal=caller.principal,
        display_name=caller.name,
        csrf_token=csrf,
        request_id=request_id_of(request),
        client=client_address(
            request.client.host if request.client else None,
            request.headers.get("x-forwarded-for"),
            request.app.state.trusted_proxies,
        ),
        new_csrf_cookie=cookie is None or not hmac.compare_digest(cookie, csrf),
        via_cookie=caller.session_csrf is not None,
        session_token=request.cookies.get(SESSION_COOKIE) if caller.session_csrf else None,
    )
    request.state.ctx = ctx
    return ctx


def check_csrf(ctx: RequestContext, token: str) -> None:
    """Refuse a form whose token is not this browser's (and, signed in, this session's)."""
    if ctx.new_csrf_cookie or not hmac.compare_digest(token.encode(), ctx.csrf_token.encode()):
        raise CsrfRejected()


def guard(request: Request) -> None:
    """Every request: the CSRF header on cookie-authenticated API writes, the route table."""
    ctx = get_context(request)
    method = request.method.upper()
    if method in edge.SAFE_METHODS:
        return
    if ctx.via_cookie and request.url.path.startswith("/api/"):
        check_csrf(ctx, request.headers.get(CSRF_HEADER, ""))
    route = request.scope.get("route")
    path = getattr(route, "path", None)
    if path is not None:
        edge.check_route(ctx.principal, method, path)


Ctx = Annotated[RequestContext, Depends(get_context)]

# The largest id a row can have (PostgreSQL's integer column); a larger one in a path or
# query is refused as invalid (422) before it reaches the database, never a 500.
MAX_ROW_ID = 2_147_483_647
RowId = Annotated[int, Path(ge=1, le=MAX_ROW_ID)]
