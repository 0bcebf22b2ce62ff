"""Per-request context: database, language, signed-in principal, CSRF token."""

from __future__ import annotations

import secrets
import uuid
from dataclasses import dataclass
from datetime import timedelta
from typing import Annotated

from fastapi import Depends, Request

from jcm import audit
from jcm.auth import service as auth
from jcm.auth.rules import Principal
from jcm.db import Database
from jcm.settings import Settings
from jcm.web.i18n import negotiate

SESSION_COOKIE = "jcm_session"
LANG_COOKIE = "jcm_lang"
CSRF_COOKIE = "jcm_csrf"


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

    @property
    def audit(self) -> audit.Context:
        return audit.Context(
            actor=self.principal.username if self.principal else "anonymous",
            user_id=self.principal.user_id if self.principal else None,
            request_id=self.request_id,
            client=self.client,
        )


def _principal(
    request: Request, db: Database, settings: Settings
) -> tuple[Principal | None, str | None]:
    header = request.headers.get("authorization", "")
    if header.lower().startswith("bearer "):
        with db.read() as s:
            user = auth.token_user(s, header[7:].strip())
            return (auth.principal_of(user), user.display_name) if user else (None, None)
    token = request.cookies.get(SESSION_COOKIE)
    if not token:
        return None, None
    with db.write() as s:
        found = auth.session_user(
            s,
            token,
            idle=timedelta(minutes=settings.session_idle_minutes),
            absolute=timedelta(hours=settings.session_absolute_hours),
        )
        if found is None:
            return None, None
        return auth.principal_of(found[0]), found[0].display_name


def get_context(request: Request) -> RequestContext:
    settings: Settings = request.app.state.settings
    db: Database = request.app.state.db
    principal, name = _principal(request, db, settings)
    lang = negotiate(
        request.query_params.get("lang") or request.cookies.get(LANG_COOKIE),
        request.headers.get("accept-language"),
        settings.default_language,
    )
    csrf = request.cookies.get(CSRF_COOKIE)
    ctx = RequestContext(
        settings=settings,
        db=db,
        lang=lang,
        principal=principal,
        display_name=name,
        csrf_token=csrf or secrets.token_urlsafe(24),
        request_id=request.headers.get("x-request-id") or uuid.uuid4().hex,
        client=request.client.host if request.client else None,
        new_csrf_cookie=csrf is None,
    )
    request.state.ctx = ctx
    return ctx


Ctx = Annotated[RequestContext, Depends(get_context)]
