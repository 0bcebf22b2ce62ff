"""Shared fixtures. ``database`` runs each test that uses it on SQLite and on PostgreSQL.

PostgreSQL tests use a fresh database created for the run and dropped afterwards; they are
skipped when no server is reachable, unless JCM_TEST_REQUIRE_POSTGRES=1 (as in CI).
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import create_engine, text

from jcm.db import Base, Database, make_engine
from jcm.migrate import upgrade
from jcm.reference.service import sync_reference_data

PG_ADMIN_URL = os.environ.get(
    "JCM_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
)
KEEP_TABLES = {"country", "technology", "alembic_version"}


def _pg_reachable() -> bool:
    try:
        eng = create_engine(PG_ADMIN_URL, connect_args={"connect_timeout": 3})
        with eng.connect():
            pass
        eng.dispose()
        return True
    except Exception:
        return False


def _migrated(db: Database) -> Database:
    upgrade(db.engine)
    with db.write() as s:
        sync_reference_data(s)
    return db


@pytest.fixture(scope="session")
def sqlite_database(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Database]:
    path: Path = tmp_path_factory.mktemp("db") / "test.db"
    db = _migrated(Database(make_engine(f"sqlite:///{path}")))
    yield db
    db.dispose()


@pytest.fixture(scope="session")
def postgresql_database() -> Iterator[Database]:
    if not _pg_reachable():
        if os.environ.get("JCM_TEST_REQUIRE_POSTGRES") == "1":
            pytest.fail("PostgreSQL is required (JCM_TEST_REQUIRE_POSTGRES=1) but not reachable")
        pytest.skip("PostgreSQL not reachable")
    name = f"jcm_test_{uuid.uuid4().hex[:10]}"
    admin = create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    url = PG_ADMIN_URL.rsplit("/", 1)[0] + f"/{name}"
    db = _migrated(Database(make_engine(url)))
    yield db
    db.dispose()
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


def clean(db: Database) -> None:
    """Empty every table but the shipped reference data."""
    tables = [t for t in reversed(Base.metadata.sorted_tables) if t.name not in KEEP_TABLES]
    with db.engine.begin() as conn:
        if db.is_sqlite:
            for t in tables:
                conn.execute(t.delete())
        else:
            conn.execute(text("SET LOCAL session_replication_role = replica"))
            names = ", ".join(f'"{t.name}"' for t in tables)
            conn.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))


@pytest.fixture(params=["sqlite", "postgresql"])
def database(request: pytest.FixtureRequest) -> Database:
    db: Database = request.getfixturevalue(f"{request.param}_database")
    clean(db)
    return db


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    """One headless Chromium (Debian's package, driven by Playwright) for every browser test."""
    from playwright.sync_api import sync_playwright

    from tests.web.browser import ARGS, CHROMIUM, require_chromium

    require_chromium()
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield b
        b.close()
