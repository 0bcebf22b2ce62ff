"""The two spending paths: statement by statement (SQLite, or PostgreSQL without the audit
trigger) and two round trips with prepared statements (PostgreSQL)."""

from __future__ import annotations

import importlib

import pytest
from sqlalchemy import select, text

from jcm.db import Database, make_engine
from jcm.registry import service
from jcm.registry.errors import AccountNotOpen, InsufficientHolding
from jcm.registry.models import RegistryTransaction
from jcm.registry.schemas import CancelRequest, RetireRequest, TransferRequest
from tests.conftest import clean
from tests.registry.helpers import CTX, add_period, issue, make_world


@pytest.fixture
def pg(postgresql_database: Database) -> Database:
    clean(postgresql_database)
    return postgresql_database


def _url(db: Database) -> str:
    return db.engine.url.render_as_string(hide_password=False)


def _transfer(db: Database, key: str, quantity: int) -> int:
    out = service.transfer(
        db,
        CTX,
        TransferRequest(
            idempotency_key=key, from_account="JP-GOV", to_account="JP-PP", quantity=quantity
        ),
    )
    return out.quantity


def test_the_stored_outcome_is_the_outcome_returned(database: Database) -> None:
    w = make_world(database)
    issue(database, add_period(database, w.project_ref, 2023, 1000), 1000)
    out = service.retire(
        database,
        CTX,
        RetireRequest(
            idempotency_key="r1", from_account="JP-GOV", quantity=7, purpose="NDC", beneficiary="X"
        ),
    )
    with database.read() as s:
        stored = s.scalar(
            select(RegistryTransaction.outcome).where(RegistryTransaction.idempotency_key == "r1")
        )
    assert stored == out.model_dump(mode="json")


def test_statements_are_prepared_once_per_connection_and_survive_their_loss(
    pg: Database,
) -> None:
    w = make_world(pg)
    issue(pg, add_period(pg, w.project_ref, 2023, 1000), 1000)
    one = Database(make_engine(_url(pg), pool_size=1, max_overflow=0))
    try:
        assert _transfer(one, "t1", 5) == 5
        with one.engine.connect() as conn:  # the pool's only connection
            prepared = set(
                conn.execute(
                    text("SELECT name FROM pg_prepared_statements WHERE name LIKE 'jcm_%'")
                ).scalars()
            )
            conn.execute(text("DEALLOCATE ALL"))  # as a pooler or an administrator might
            conn.commit()
        # the idempotency look-up, account and block locks, block update, transaction,
        # piece, movement and audit rows: prepared on the connection after first use
        assert len(prepared) >= 8
        for i in range(3):
            assert _transfer(one, f"t{i + 2}", 2) == 2
    finally:
        one.dispose()
    with pg.read() as s:
        assert service.balance(s, "JP-PP") == 200 + 5 + 3 * 2
        assert service.verify(s).ok


def test_refusals_on_the_fast_path_leave_nothing_behind_and_the_connection_usable(
    pg: Database,
) -> None:
    w = make_world(pg)
    issue(pg, add_period(pg, w.project_ref, 2023, 1000), 1000)
    with pytest.raises(InsufficientHolding) as too_many:
        _transfer(pg, "big", 10_000)
    assert too_many.value.held == 500
    with pg.write() as s:
        service.set_account_status(s, CTX, "JP-PP", "blocked")
    with pytest.raises(AccountNotOpen):
        _transfer(pg, "blocked", 1)
    with pg.write() as s:
        service.set_account_status(s, CTX, "JP-PP", "open")
    assert _transfer(pg, "after", 3) == 3
    with pg.read() as s:
        keys = set(s.scalars(select(RegistryTransaction.idempotency_key)))
        assert "big" not in keys
        assert "blocked" not in keys
        assert service.verify(s).ok


def test_without_the_audit_trigger_the_statement_by_statement_path_is_used(
    pg: Database,
) -> None:
    w = make_world(pg)
    issue(pg, add_period(pg, w.project_ref, 2023, 1000), 1000)
    migration = importlib.import_module("jcm.migrations.versions.0009_registry_perf")
    fresh = Database(make_engine(_url(pg)))
    with fresh.engine.begin() as conn:
        conn.execute(text("DROP TRIGGER jcm_audit_pending_append ON audit_pending"))
    try:
        out = service.cancel(
            fresh, CTX, CancelRequest(idempotency_key="c1", from_account="JP-GOV", quantity=4)
        )
        assert out.quantity == 4
        assert not out.replayed
    finally:
        with fresh.engine.begin() as conn:
            conn.execute(text(migration.TRIGGER))
        fresh.dispose()
    with pg.read() as s:
        report = service.verify(s)
        assert report.ok, report.problems
