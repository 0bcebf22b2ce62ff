"""Errors at the edge: RFC 9457 problem+json for the API, a page for people."""

from __future__ import annotations

from typing import Any, TypeVar
from urllib.parse import urlencode

from fastapi import Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, RedirectResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.routing import Match

from jcm.errors import (
    FieldProblem,
    JcmError,
    NotAuthenticated,
    Throttled,
    ValidationFailed,
    http_status,
)

PROBLEM = "application/problem+json"
R = TypeVar("R", bound=Response)

PROBLEM_SCHEMA: dict[str, Any] = {
    "type": "object",
    "title": "Problem",
    "description": "RFC 9457 problem details, with the message in English and Japanese.",
    "required": ["type", "title", "status", "detail"],
    "properties": {
        "type": {"type": "string"},
        "title": {"type": "string"},
        "status": {"type": "integer"},
        "detail": {"type": "string"},
        "detail_ja": {"type": "string"},
        "code": {"type": "string"},
        "field": {"type": "string"},
        "errors": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["field", "message_en", "message_ja"],
                "properties": {
                    "field": {"type": "string"},
                    "message_en": {"type": "string"},
                    "message_ja": {"type": "string"},
                    "row": {"type": "integer"},
                },
            },
        },
    },
}

_ANSWERS = {
    400: "The request cannot be processed.",
    401: "Sign-in required.",
    403: "The role or organisation may not, or the CSRF header is missing.",
    404: "The record does not exist.",
    409: "The request clashes with the current state.",
    422: "A field, row or business rule is not satisfied.",
    429: "Too many failed attempts; wait the seconds given in Retry-After.",
}

# Declared on every JSON API router, so each refusal the edge can give is documented.
PROBLEM_RESPONSES: dict[int | str, dict[str, Any]] = {
    code: {"description": text, "content": {PROBLEM: {"schema": PROBLEM_SCHEMA}}}
    for code, text in _ANSWERS.items()
}


def with_retry_after(response: R, exc: JcmError | None) -> R:
    """A throttled refusal tells the client when to try again (RFC 9110 Retry-After)."""
    if isinstance(exc, Throttled):
        response.headers["Retry-After"] = str(exc.wait_seconds)
    return response


def problem(status: int, exc: JcmError) -> JSONResponse:
    body: dict[str, Any] = {
        "type": f"urn:jcm:problem:{exc.code}",
        "title": exc.code.replace("_", " "),
        "status": status,
        "detail": exc.message_en,
        "detail_ja": exc.message_ja,
    }
    body.update({k: v for k, v in exc.as_dict().items() if k in {"field", "errors", "code"}})
    return with_retry_after(JSONResponse(body, status_code=status, media_type=PROBLEM), exc)


def wants_html(request: Request) -> bool:
    return not request.url.path.startswith("/api/") and "text/html" in request.headers.get(
        "accept", ""
    )


async def on_domain_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, JcmError)
    status = http_status(exc)
    if wants_html(request) and isinstance(exc, NotAuthenticated) and request.method == "GET":
        return sign_in_first(request)
    if wants_html(request):
        from jcm.web.views import error_page

        return with_retry_after(error_page(request, status, exc), exc)
    return problem(status, exc)


def sign_in_first(request: Request) -> Response:
    """A person who opens a page that needs sign-in is sent to the sign-in page, which
    brings them back here afterwards (API clients and form posts get the 401)."""
    here = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    return RedirectResponse("/login?" + urlencode({"next": here}), status_code=303)


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
    carried = getattr(exc, "error", None)
    if isinstance(carried, JcmError):  # a domain refusal raised where only HTTP errors pass
        return await on_domain_error(request, carried)
    err = JcmError(str(exc.detail), str(exc.detail))
    err.code = "not_found" if exc.status_code == 404 else "http_error"
    page: Response
    if wants_html(request):
        from jcm.web.views import error_page

        page = error_page(request, exc.status_code, err)
    else:
        page = problem(exc.status_code, err)
    for key, value in (exc.headers or {}).items():
        page.headers[key] = value
    if exc.status_code == 405:
        page.headers["Allow"] = ", ".join(_allowed(request))
    return page


def _allowed(request: Request) -> list[str]:
    """Every method the path answers: the router stops at the first route of the path, which
    declares only its own method; ``Allow`` must list them all (RFC 9110)."""
    allowed = []
    for method in ("GET", "POST", "PUT", "PATCH", "DELETE"):
        scope = {**request.scope, "method": method}
        if any(route.matches(scope)[0] is Match.FULL for route in request.app.router.routes):
            allowed.append(method)
    return allowed
