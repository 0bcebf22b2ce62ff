"""Probes and metrics for the people who run the service: ``/healthz`` (the process
answers), ``/readyz`` (it can serve: 503 with what is wrong otherwise) and ``/metrics``
(Prometheus text format). None of them needs a session; none touches the database except
``/readyz`` and the totals ``/metrics`` reads."""

from __future__ import annotations

import hmac
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse, Response

from jcm.db import Database
from jcm.operations import metrics
from jcm.operations.health import readiness
from jcm.settings import Settings

router = APIRouter(include_in_schema=False)


@router.get("/healthz")
def healthz() -> dict[str, str]:
    return {"status": "ok"}


@router.get("/readyz")
def readyz(request: Request) -> JSONResponse:
    settings: Settings = request.app.state.settings
    db: Database = request.app.state.db
    verdict = readiness(db, settings)
    body: dict[str, Any] = {"status": "ready" if verdict.ready else "not ready"}
    problems = verdict.problems()
    if problems:
        body["problems"] = {k: {"en": p.en, "ja": p.ja} for k, p in problems.items()}
    return JSONResponse(body, status_code=200 if verdict.ready else 503)


@router.get("/metrics")
def prometheus(request: Request) -> Response:
    settings: Settings = request.app.state.settings
    if settings.metrics_token:
        given = request.headers.get("authorization", "").removeprefix("Bearer ").strip()
        if not hmac.compare_digest(given.encode(), settings.metrics_token.encode()):
            return Response("metrics need the bearer token in JCM_METRICS_TOKEN\n", 401)
    return Response(metrics.exposition(request.app.state.db), media_type=metrics.CONTENT_TYPE)
