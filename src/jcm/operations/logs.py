"""Logs as JSON lines, one object per line, each carrying the id of the request it belongs
to, the id the audit log records for anything that request wrote. The access log is the
product's own (one line per request: method, route template, status, milliseconds, client),
so uvicorn's is turned off."""

from __future__ import annotations

import json
import logging
import time
import uuid
from collections.abc import Awaitable, Callable
from contextvars import ContextVar
from datetime import UTC, datetime
from typing import Any

from starlette.requests import Request
from starlette.responses import Response

REQUEST_ID: ContextVar[str | None] = ContextVar("jcm_request_id", default=None)
ACCESS = logging.getLogger("jcm.access")
_EXTRA = ("method", "route", "path", "status", "duration_ms", "client")


def request_id_of(request: Request) -> str:
    """The caller's ``X-Request-Id`` when it is a short plain token, else a new one; the same
    for the whole request (logs, audit entries, the response header)."""
    known = getattr(request.state, "request_id", None)
    if isinstance(known, str):
        return known
    given = request.headers.get("x-request-id", "")
    ok = 0 < len(given) <= 64 and given.replace("-", "").isalnum()
    request.state.request_id = given if ok else uuid.uuid4().hex
    return str(request.state.request_id)


class JsonLines(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        out: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname.lower(),
            "logger": record.name,
            "message": record.getMessage(),
        }
        request_id = getattr(record, "request_id", None) or REQUEST_ID.get()
        if request_id:
            out["request_id"] = request_id
        for key in _EXTRA:
            value = getattr(record, key, None)
            if value is not None:
                out[key] = value
        if record.exc_info:
            out["error"] = self.formatException(record.exc_info)
        return json.dumps(out, ensure_ascii=False)


def configure(fmt: str = "json", level: int = logging.INFO) -> None:
    """Send every logger (the product's and uvicorn's) to stderr, as JSON lines or text."""
    handler = logging.StreamHandler()
    handler.setFormatter(
        JsonLines()
        if fmt == "json"
        else logging.Formatter("%(asctime)s %(levelname)s %(name)s %(message)s")
    )
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
    for name in ("uvicorn", "uvicorn.error"):
        logging.getLogger(name).handlers[:] = []
        logging.getLogger(name).propagate = True


async def access_log(
    request: Request, call_next: Callable[[Request], Awaitable[Response]]
) -> Response:
    """One line per request, and the request id in the response's ``X-Request-Id``."""
    request_id = request_id_of(request)
    token = REQUEST_ID.set(request_id)
    start = time.perf_counter()
    status = 500
    try:
        response = await call_next(request)
        status = response.status_code
        response.headers["X-Request-Id"] = request_id
        return response
    finally:
        route = getattr(request.scope.get("route"), "path", None)
        ACCESS.info(
            "%s %s %s",
            request.method,
            route or "unmatched",
            status,
            extra={
                "request_id": request_id,
                "method": request.method,
                "route": route or "unmatched",
                "path": request.url.path,
                "status": status,
                "duration_ms": round((time.perf_counter() - start) * 1000, 1),
                "client": request.client.host if request.client else None,
            },
        )
        REQUEST_ID.reset(token)
