"""Blank databases of each engine for the operations tests: a backup is restored into a
database nobody else uses, and dropped afterwards."""

from __future__ import annotations

import os
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from jcm.db import Database, make_engine
from tests.conftest import PG_ADMIN_URL, _pg_reachable

Blank = Callable[[], Database]


@pytest.fixture(params=["sqlite", "postgresql"])
def blank(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Blank]:
    """A factory of new, empty databases of one engine (each test runs on both)."""
    yield from _blanks(request.param, tmp_path)


@pytest.fixture
def blank_postgresql(tmp_path: Path) -> Iterator[Blank]:
    """A factory of new, empty PostgreSQL databases."""
    yield from _blanks("postgresql", tmp_path)


def _blanks(engine: str, tmp_path: Path) -> Iterator[Blank]:
    made: list[Database] = []
    names: list[str] = []
    if engine == "postgresql" and not _pg_reachable():
        if os.environ.get("JCM_TEST_REQUIRE_POSTGRES") == "1":
            pytest.fail("PostgreSQL is required (JCM_TEST_REQUIRE_POSTGRES=1) but not reachable")
        pytest.skip("PostgreSQL not reachable")
    admin = create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")

    def make() -> Database:
        if engine == "sqlite":
            db = Database(make_engine(f"sqlite:///{tmp_path / f'{len(made)}.db'}"))
        else:
            name = f"jcm_ops_{uuid.uuid4().hex[:10]}"
            with admin.connect() as conn:
                conn.execute(text(f'CREATE DATABASE "{name}"'))
            names.append(name)
            db = Database(make_engine(PG_ADMIN_URL.rsplit("/", 1)[0] + f"/{name}"))
        made.append(db)
        return db

    yield make
    for db in made:
        db.dispose()
    with admin.connect() as conn:
        for name in names:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()
