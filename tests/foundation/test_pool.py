"""Pooled PostgreSQL connections: checked only after sitting idle, replaced when dead."""

from __future__ import annotations

from sqlalchemy import create_engine, text

from jcm.db import Database, make_engine
from tests.conftest import PG_ADMIN_URL


def _pid(db: Database) -> int:
    with db.read() as s:
        return int(s.execute(text("SELECT pg_backend_pid()")).scalar_one())


def _terminate(pid: int) -> None:
    admin = create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            assert conn.execute(text("SELECT pg_terminate_backend(:p)"), {"p": pid}).scalar()
    finally:
        admin.dispose()


def test_an_idle_connection_whose_server_process_died_is_replaced_unseen(
    postgresql_database: Database,
) -> None:
    url = postgresql_database.engine.url.render_as_string(hide_password=False)
    db = Database(make_engine(url, pool_size=1, max_overflow=0, ping_after_idle_s=0.0))
    try:
        first = _pid(db)
        _terminate(first)
        assert _pid(db) != first  # no error: the check found it dead and the pool reconnected
    finally:
        db.dispose()


def test_a_connection_in_steady_use_is_not_checked(postgresql_database: Database) -> None:
    url = postgresql_database.engine.url.render_as_string(hide_password=False)
    db = Database(make_engine(url, pool_size=1, max_overflow=0, ping_after_idle_s=3600.0))
    try:
        with db.engine.connect() as conn:
            conn.exec_driver_sql("SET application_name = 'steady'")
            conn.commit()
        with db.engine.connect() as conn:  # the same session, not replaced or reset
            name = conn.exec_driver_sql("SHOW application_name").scalar()
        assert name == "steady"
    finally:
        db.dispose()
