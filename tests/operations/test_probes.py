"""/healthz answers while the process lives; /readyz answers 503 naming what is wrong (the
database unreachable, never set up or behind the migrations, Redis down); /metrics is the
Prometheus text format that prometheus-client's own parser reads."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from prometheus_client.parser import text_string_to_metric_families

from jcm import audit
from jcm.db import Database, make_engine
from jcm.demo import load_demo
from jcm.migrate import upgrade
from jcm.registry.demo_load import load_registry_demo
from jcm.settings import Settings
from jcm.web.app import create_app
from tests.web.helpers import csrf_of

REDIS = "redis://127.0.0.1:6379/0"
NO_REDIS = "redis://127.0.0.1:1/0"
NOWHERE = "postgresql+psycopg://postgres@127.0.0.1:1/nowhere"


def _client(db: Database, **settings: str) -> TestClient:
    return TestClient(create_app(Settings(environment="test", **settings), db=db))  # type: ignore[arg-type]


def test_ready_on_a_migrated_database_with_redis(database: Database) -> None:
    c = _client(database, redis_url=REDIS)
    assert c.get("/healthz").json() == {"status": "ok"}
    ready = c.get("/readyz")
    assert ready.status_code == 200
    assert ready.json() == {"status": "ready"}


def test_not_ready_when_redis_is_down(database: Database) -> None:
    ready = _client(database, redis_url=NO_REDIS).get("/readyz")
    assert ready.status_code == 503
    problems = ready.json()["problems"]
    assert list(problems) == ["redis"]
    assert "Redis cannot be reached" in problems["redis"]["en"]
    assert "JCM_REDIS_URL" in problems["redis"]["ja"]


def test_not_ready_when_the_database_cannot_be_reached() -> None:
    c = _client(Database(make_engine(NOWHERE, connect_args={"connect_timeout": 2})))
    assert c.get("/healthz").status_code == 200
    ready = c.get("/readyz")
    assert ready.status_code == 503
    assert list(ready.json()["problems"]) == ["database"]
    assert "cannot be reached" in ready.json()["problems"]["database"]["en"]


def test_not_ready_on_a_database_never_set_up_or_behind(tmp_path: Path) -> None:
    new = Database(make_engine(f"sqlite:///{tmp_path / 'new.db'}"))
    ready = _client(new).get("/readyz")
    assert ready.status_code == 503
    assert "jcm db upgrade" in ready.json()["problems"]["migrations"]["en"]
    old = Database(make_engine(f"sqlite:///{tmp_path / 'old.db'}"))
    upgrade(old.engine, "0011")
    ready = _client(old).get("/readyz")
    assert ready.status_code == 503
    behind = ready.json()["problems"]["migrations"]
    assert "behind the migrations (missing" in behind["en"]
    assert "0015" in behind["en"]
    assert "`jcm db upgrade` を実行してください" in behind["ja"]


def _families(text: str) -> dict[str, list[tuple[str, dict[str, str], float]]]:
    return {
        f.name: [(s.name, s.labels, s.value) for s in f.samples]
        for f in text_string_to_metric_families(text)
    }


def test_metrics_count_requests_by_route_sign_in_failures_and_registry_work(
    database: Database,
) -> None:
    with database.write() as s:
        load_demo(s, audit.Context(actor="test"))
    load_registry_demo(database, audit.Context(actor="test"))
    c = _client(database)
    for _ in range(3):
        assert c.get("/registry/units").status_code in {200, 422}
    token = csrf_of(c.get("/login").text)
    failed = c.post("/login", data={"username": "nobody", "password": "wrong", "csrf_token": token})
    assert failed.status_code == 401
    scraped = c.get("/metrics")
    assert scraped.status_code == 200
    assert scraped.headers["content-type"].startswith("text/plain")
    families = _families(scraped.text)

    requests = {
        (labels["route"], labels["method"]): value
        for name, labels, value in families["jcm_http_requests"]
        if name == "jcm_http_requests_total"
    }
    assert requests[("/registry/units", "GET")] >= 3
    assert requests[("/login", "POST")] >= 1
    assert all(
        "{" in route or route.startswith("/") or route == "unmatched" for route, _ in requests
    )
    latency = {
        labels["route"]: value
        for name, labels, value in families["jcm_http_request_duration_seconds"]
        if name == "jcm_http_request_duration_seconds_count"
    }
    assert latency["/registry/units"] >= 3

    failures = {
        labels["reason"]: value
        for name, labels, value in families["jcm_sign_in_failures"]
        if name == "jcm_sign_in_failures_total"
    }
    assert failures["sign_in_failed"] >= 1

    kinds = {labels["kind"]: value for _, labels, value in families["jcm_registry_transactions"]}
    assert sum(kinds.values()) == 8  # the demo's: four issuances and four movements
    assert kinds["issuance"] == 4
    assert kinds["retirement"] == 1
    assert families["jcm_audit_entries"][0][2] > 0


def test_metrics_can_ask_for_a_token(database: Database) -> None:
    c = _client(database, metrics_token="s3cret-token")
    assert c.get("/metrics").status_code == 401
    assert c.get("/metrics", headers={"authorization": "Bearer wrong"}).status_code == 401
    ok = c.get("/metrics", headers={"authorization": "Bearer s3cret-token"})
    assert ok.status_code == 200
    assert "jcm_http_requests_total" in ok.text


@pytest.mark.parametrize("path", ["/healthz", "/readyz", "/metrics"])
def test_the_probes_are_not_in_the_public_api_schema(database: Database, path: str) -> None:
    assert path not in _client(database).get("/openapi.json").json()["paths"]
