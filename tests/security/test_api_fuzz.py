"""Schemathesis generates requests for every operation of ``/openapi.json`` against the app
with the demo data loaded, on SQLite and on PostgreSQL, anonymously and as the demo
administrator (so the writes run too): no answer is a 5xx and every answer conforms to the
schema (declared status code, content type and body). Bounded: a few examples per operation."""

from __future__ import annotations

import os
import tempfile
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
import schemathesis
from fastapi import FastAPI
from hypothesis import HealthCheck, settings
from schemathesis.specs.openapi.checks import positive_data_acceptance
from sqlalchemy import create_engine, text

from jcm import audit
from jcm.auth.service import create_token
from jcm.db import Database, make_engine
from jcm.demo import load_demo
from jcm.migrate import upgrade
from jcm.reference.service import sync_reference_data
from jcm.registry.demo_load import load_registry_demo
from jcm.settings import Settings
from jcm.web.app import create_app
from tests.conftest import PG_ADMIN_URL, _pg_reachable

PG_NAME = f"jcm_fuzz_{uuid.uuid4().hex[:10]}"


def _demo_app(url: str) -> tuple[FastAPI, dict[str, str]]:
    db = Database(make_engine(url))
    upgrade(db.engine)
    with db.write() as s:
        sync_reference_data(s)
        load_demo(s)
    load_registry_demo(db)
    with db.write() as s:
        token = create_token(s, audit.SYSTEM, "admin", "fuzz")
    return create_app(Settings(environment="test"), db=db), {"Authorization": f"Bearer {token}"}


def _sqlite_url() -> str:
    return f"sqlite:///{Path(tempfile.mkdtemp(prefix='jcm-api-fuzz-')) / 'fuzz.db'}"


def _postgres_url() -> str | None:
    if not _pg_reachable():
        if os.environ.get("JCM_TEST_REQUIRE_POSTGRES") == "1":
            raise RuntimeError("PostgreSQL is required (JCM_TEST_REQUIRE_POSTGRES=1)")
        return None
    admin = create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{PG_NAME}"'))
    admin.dispose()
    return PG_ADMIN_URL.rsplit("/", 1)[0] + f"/{PG_NAME}"


SQLITE_APP, SQLITE_ADMIN = _demo_app(_sqlite_url())
_PG_URL = _postgres_url()
PG_APP, PG_ADMIN = _demo_app(_PG_URL) if _PG_URL else (None, {})
sqlite_schema = schemathesis.openapi.from_asgi("/openapi.json", SQLITE_APP)
pg_schema = schemathesis.openapi.from_asgi("/openapi.json", PG_APP or SQLITE_APP)


@pytest.fixture(scope="module", autouse=True)
def _close() -> Iterator[None]:
    yield
    for app in (SQLITE_APP, PG_APP):
        if app is not None:
            db = app.state.db
            assert isinstance(db, Database)
            db.dispose()
    if PG_APP is not None:
        admin = create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{PG_NAME}" WITH (FORCE)'))
        admin.dispose()


FUZZ = settings(
    max_examples=6, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True
)


def _check(case: schemathesis.Case, headers: dict[str, str]) -> None:
    for who in ({}, headers):
        response = case.call(headers=who)
        assert response.status_code < 500, f"{case.method} {case.path}: {response.text[:300]}"
        # Domain rules are richer than the schema (a valid JSON object may still be an
        # incomplete application), so a 422 for schema-valid data is an answer, not a failure.
        case.validate_response(response, excluded_checks=[positive_data_acceptance])


@sqlite_schema.parametrize()
@FUZZ
def test_the_api_conforms_to_its_schema_and_never_fails_on_sqlite(
    case: schemathesis.Case,
) -> None:
    _check(case, SQLITE_ADMIN)


@pg_schema.parametrize()
@FUZZ
def test_the_api_conforms_to_its_schema_and_never_fails_on_postgresql(
    case: schemathesis.Case,
) -> None:
    if PG_APP is None:
        pytest.skip("PostgreSQL not reachable")
    _check(case, PG_ADMIN)
