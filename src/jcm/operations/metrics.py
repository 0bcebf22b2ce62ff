"""Prometheus metrics: requests and their latency by route, failed sign-ins, and, read from
the database at each scrape, registry transactions by kind and the audit log's size.

With several server workers, set ``PROMETHEUS_MULTIPROC_DIR`` to an empty directory before
they start (``jcm serve --workers N`` does): each worker writes its counters there and a
scrape on any worker adds them up.
"""

from __future__ import annotations

import os
import time
from collections.abc import Awaitable, Callable, Iterator

from prometheus_client import (
    CONTENT_TYPE_LATEST,
    REGISTRY,
    CollectorRegistry,
    Counter,
    Histogram,
    generate_latest,
    multiprocess,
)
from prometheus_client.core import CounterMetricFamily, Metric
from prometheus_client.registry import Collector
from sqlalchemy import func, select
from sqlalchemy.exc import SQLAlchemyError
from starlette.requests import Request
from starlette.responses import Response

from jcm.audit import AuditEntry
from jcm.db import Database
from jcm.registry.models import RegistryTransaction

MULTIPROCESS_ENV = "PROMETHEUS_MULTIPROC_DIR"
CONTENT_TYPE = CONTENT_TYPE_LATEST

REQUESTS = Counter(
    "jcm_http_requests",
    "HTTP requests answered, by route template, method and status code",
    ["route", "method", "status"],
)
LATENCY = Histogram(
    "jcm_http_request_duration_seconds",
    "Time to answer an HTTP request, by route template and method",
    ["route", "method"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0),
)
SIGN_IN_FAILURES = Counter(
    "jcm_sign_in_failures",
    "Failed sign-ins: wrong password, wrong second-factor code, or throttled",
    ["reason"],
)


def sign_in_failed(reason: str) -> None:
    SIGN_IN_FAILURES.labels(reason=reason).inc()


def _route(request: Request) -> str:
    """The route's template (``/registry/accounts/{number}``), never the raw path, so the
    number of series stays bounded; requests no route matched share one label."""
    route = request.scope.get("route")
    path = getattr(route, "path", None)
    return path if isinstance(path, str) else "unmatched"


async def measure(
    request: Request, call_next: Callable[[Request], Awaitable[Response]]
) -> Response:
    start = time.perf_counter()
    status = 500
    try:
        response = await call_next(request)
        status = response.status_code
        return response
    finally:
        route, method = _route(request), request.method
        LATENCY.labels(route=route, method=method).observe(time.perf_counter() - start)
        REQUESTS.labels(route=route, method=method, status=str(status)).inc()


class _FromDatabase(Collector):
    """Totals the database holds, the same whichever worker is scraped."""

    def __init__(self, db: Database) -> None:
        self.db = db

    def collect(self) -> Iterator[Metric]:
        transactions = CounterMetricFamily(
            "jcm_registry_transactions",
            "Registry transactions committed, by kind",
            labels=["kind"],
        )
        entries = CounterMetricFamily("jcm_audit_entries", "Entries in the audit log")
        try:
            with self.db.read() as s:
                rows = s.execute(
                    select(RegistryTransaction.kind, func.count(RegistryTransaction.id)).group_by(
                        RegistryTransaction.kind
                    )
                ).all()
                audit_entries = s.scalar(select(func.count(AuditEntry.id))) or 0
        except SQLAlchemyError:
            return  # /readyz says why; a scrape still returns the process's own metrics
        for kind, n in sorted(rows):
            transactions.add_metric([kind], n)
        entries.add_metric([], audit_entries)
        yield transactions
        yield entries


class _ThisProcess(Collector):
    def collect(self) -> Iterator[Metric]:
        yield from REGISTRY.collect()


def exposition(db: Database) -> bytes:
    """The text a Prometheus scrape reads."""
    registry = CollectorRegistry(auto_describe=False)
    if os.environ.get(MULTIPROCESS_ENV):
        multiprocess.MultiProcessCollector(registry)  # type: ignore[no-untyped-call]
    else:
        registry.register(_ThisProcess())
    registry.register(_FromDatabase(db))
    return generate_latest(registry)
