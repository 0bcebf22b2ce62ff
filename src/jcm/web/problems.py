"""Errors at the edge: RFC 9457 problem+json for the API, a page for people."""

from __future__ import annotations

from typing import Any

from fastapi import Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException

from jcm.errors import FieldProblem, JcmError, ValidationFailed, http_status

PROBLEM = "application/problem+json"


def problem(status: int, exc: JcmError) -> JSONResponse:
    body: dict[str, Any] = {
        "type": f"urn:jcm:problem:{exc.code}",
        "title": exc.code.replace("_", " "),
        "status": status,
        "detail": exc.message_en,
        "detail_ja": exc.message_ja,
    }
    body.update({k: v for k, v in exc.as_dict().items() if k in {"field", "errors", "code"}})
    return JSONResponse(body, status_code=status, media_type=PROBLEM)


def wants_html(request: Request) -> bool:
    return not request.url.path.startswith("/api/") and "text/html" in request.headers.get(
        "accept", ""
    )


async def on_domain_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, JcmError)
    status = http_status(exc)
    if wants_html(request):
        from jcm.web.views import error_page

        return error_page(request, status, exc)
    return problem(status, exc)


def _field(loc: tuple[Any, ...]) -> str:
    parts = [str(x) for x in loc if x not in ("body", "query", "path")]
    return ".".join(parts) or "body"


async def on_validation_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, RequestValidationError)
    problems = [
        FieldProblem(_field(tuple(e["loc"])), e["msg"], f"値が不正です（{e['msg']}）。")
        for e in exc.errors()
    ]
    return problem(422, ValidationFailed.of(problems))


async def on_http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, StarletteHTTPException)
    err = JcmError(str(exc.detail), str(exc.detail))
    err.code = "not_found" if exc.status_code == 404 else "http_error"
    if wants_html(request):
        from jcm.web.views import error_page

        return error_page(request, exc.status_code, err)
    return problem(exc.status_code, err)
