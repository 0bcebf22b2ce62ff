"""The application factory: one FastAPI app for the pages and the API."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from importlib.resources import files

from fastapi import Depends, FastAPI, Request, Response
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, RedirectResponse
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException

from jcm.approvals import routes as approvals_api
from jcm.approvals import views as approvals_views
from jcm.auth import admin_views, audit_views
from jcm.auth import views as account_views
from jcm.db import Database
from jcm.errors import JcmError
from jcm.mrv import routes as mrv_api
from jcm.mrv import views as mrv_views
from jcm.operations import api as operations_api
from jcm.operations import logs, metrics
from jcm.platform import api as platform_api
from jcm.platform import views as platform_views
from jcm.registry import issuance_views
from jcm.registry import routes as registry_routes
from jcm.registry import views as registry_views
from jcm.reporting import api as reporting_api
from jcm.reporting import views as reporting_views
from jcm.runtime import open_database
from jcm.settings import Settings, get_settings
from jcm.subsidy import api as subsidy_api
from jcm.subsidy import views as subsidy_views
from jcm.web import api, problems, views
from jcm.web.body_limit import BodyLimit
from jcm.web.deps import guard
from jcm.web.proxies import parse_trusted

SECURITY_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
        "img-src 'self' data:; font-src 'self' data:; connect-src 'self'; "
        "frame-ancestors 'none'; base-uri 'self'; form-action 'self'"
    ),
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "X-Frame-Options": "DENY",
    "Permissions-Policy": "geolocation=(), camera=(), microphone=()",
}


# Swagger UI's files as the fastapi-offline package ships them (no CDN at run time).
SWAGGER_UI = files("fastapi_offline").joinpath("static")
API_DOCS = """<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>JCM Platform API</title>
<link rel="stylesheet" href="/static/swagger/swagger-ui.css">
<link rel="icon" href="/static/favicon.svg" type="image/svg+xml">
</head>
<body>
<main id="swagger-ui"></main>
<script src="/static/swagger/swagger-ui-bundle.js"></script>
<script src="/static/api-docs.js"></script>
</body>
</html>
"""


def from_environment() -> FastAPI:
    """The app for ``jcm serve``: each server worker builds its own from the environment,
    and sends its logs where the settings say (JSON lines by default)."""
    settings = get_settings()
    logs.configure(settings.log_format)
    return create_app(settings)


def create_app(settings: Settings, db: Database | None = None) -> FastAPI:
    app = FastAPI(
        title="JCM Platform API",
        version="1",
        description="Joint Crediting Mechanism projects, subsidy, MRV and registry / JCMプラットフォーム",
        docs_url=None,
        redoc_url=None,
        openapi_url="/openapi.json",
        dependencies=[Depends(guard)],
    )
    app.state.settings = settings
    app.state.trusted_proxies = parse_trusted(settings.trusted_proxies)
    app.state.db = db or open_database(settings)
    app.add_exception_handler(JcmError, problems.on_domain_error)
    app.add_exception_handler(RequestValidationError, problems.on_validation_error)
    app.add_exception_handler(StarletteHTTPException, problems.on_http_error)
    app.include_router(operations_api.router)
    app.include_router(api.router)
    app.include_router(views.router)
    app.include_router(subsidy_api.router)
    app.include_router(subsidy_views.router)
    app.include_router(mrv_api.router)
    app.include_router(mrv_views.router)
    app.include_router(registry_routes.router)
    app.include_router(registry_views.router)
    app.include_router(issuance_views.router)
    app.include_router(account_views.router)
    app.include_router(admin_views.router)
    app.include_router(audit_views.router)
    app.include_router(approvals_api.router)
    app.include_router(approvals_views.router)
    app.include_router(reporting_api.router)
    app.include_router(reporting_views.router)
    app.include_router(platform_api.router)
    app.include_router(platform_views.router)
    app.mount("/static/swagger", StaticFiles(directory=str(SWAGGER_UI)), name="swagger")
    app.mount(
        "/static", StaticFiles(directory=str(files("jcm.web").joinpath("static"))), name="static"
    )

    @app.get("/api/docs", include_in_schema=False)
    def api_docs() -> HTMLResponse:
        """Swagger UI 5 from the fastapi-offline package, under the same CSP as every page."""
        return HTMLResponse(API_DOCS)

    @app.get("/favicon.ico", include_in_schema=False)
    def favicon() -> RedirectResponse:
        return RedirectResponse("/static/favicon.svg", status_code=301)

    app.add_middleware(BodyLimit, max_upload_bytes=settings.max_upload_bytes)

    @app.middleware("http")
    async def security_headers(
        request: Request, call_next: Callable[[Request], Awaitable[Response]]
    ) -> Response:
        response = await call_next(request)
        for key, value in SECURITY_HEADERS.items():
            response.headers.setdefault(key, value)
        if request.url.path.startswith(("/api/", "/account", "/approvals", "/audit", "/admin")):
            response.headers.setdefault("Cache-Control", "no-store")
        if settings.cookie_secure:
            response.headers.setdefault("Strict-Transport-Security", "max-age=63072000")
        return response

    app.middleware("http")(metrics.measure)
    app.middleware("http")(logs.access_log)
    return app
