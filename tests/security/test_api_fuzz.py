"""Schemathesis generates requests for every operation of ``/openapi.json`` against the app
with the demo data loaded (SQLite): no answer is a 5xx and every answer conforms to the
schema (declared status code, content type and body). Bounded: a few examples per operation."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
import schemathesis
from fastapi import FastAPI
from hypothesis import HealthCheck, settings
from schemathesis.specs.openapi.checks import positive_data_acceptance

from jcm.db import Database, make_engine
from jcm.demo import load_demo
from jcm.migrate import upgrade
from jcm.reference.service import sync_reference_data
from jcm.registry.demo_load import load_registry_demo
from jcm.settings import Settings
from jcm.web.app import create_app


def _demo_app() -> FastAPI:
    import tempfile

    path = Path(tempfile.mkdtemp(prefix="jcm-api-fuzz-")) / "fuzz.db"
    db = Database(make_engine(f"sqlite:///{path}"))
    upgrade(db.engine)
    with db.write() as s:
        sync_reference_data(s)
        load_demo(s)
    load_registry_demo(db)
    return create_app(Settings(environment="test"), db=db)


APP = _demo_app()
schema = schemathesis.openapi.from_asgi("/openapi.json", APP)


@pytest.fixture(scope="module", autouse=True)
def _close() -> Iterator[None]:
    yield
    db = APP.state.db
    assert isinstance(db, Database)
    db.dispose()


@schema.parametrize()
@settings(
    max_examples=6,
    deadline=None,
    suppress_health_check=list(HealthCheck),
    derandomize=True,
)
def test_the_api_conforms_to_its_schema_and_never_fails(case: schemathesis.Case) -> None:
    response = case.call()
    assert response.status_code < 500, f"{case.method} {case.path}: {response.text[:300]}"
    # Domain rules are richer than the schema (a valid JSON object may still be an incomplete
    # application), so a 422 for schema-valid data is an answer, not a failure.
    case.validate_response(response, excluded_checks=[positive_data_acceptance])
