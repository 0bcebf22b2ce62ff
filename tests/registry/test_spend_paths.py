"""The two spending paths: statement by statement (SQLite) and two round trips with
prepared statements (PostgreSQL)."""

from __future__ import annotations

import threading

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pydantic import ValidationError
from sqlalchemy import select, text

from jcm.audit import verify_chain
from jcm.db import Database, make_engine
from jcm.reference.models import Organisation
from jcm.registry import service, spend_pg
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


def test_every_connection_of_the_pool_losing_its_statements_costs_no_request(
    pg: Database,
) -> None:
    w = make_world(pg)
    issue(pg, add_period(pg, w.project_ref, 2023, 1000), 1000)
    size = 8
    pool = Database(make_engine(_url(pg), pool_size=size, max_overflow=0))
    try:
        held = [pool.engine.connect() for _ in range(size)]  # open all eight
        for conn in held:
            conn.close()
        for i in range(size):  # prepares the statements on each connection in turn
            assert _transfer(pool, f"warm-{i}", 1) == 1
        held = [pool.engine.connect() for _ in range(size)]
        for conn in held:  # a rollback in psycopg, a pooler or an administrator
            conn.execute(text("DEALLOCATE ALL"))
            conn.commit()
        for conn in held:
            conn.close()
        for i in range(size):
            assert _transfer(pool, f"after-{i}", 2) == 2
    finally:
        pool.dispose()
    with pg.read() as s:
        assert service.balance(s, "JP-PP") == 200 + size * 3
        assert service.verify(s).ok


def test_a_refusal_or_a_replay_keeps_the_connections_statements(pg: Database) -> None:
    w = make_world(pg)
    issue(pg, add_period(pg, w.project_ref, 2023, 1000), 1000)
    one = Database(make_engine(_url(pg), pool_size=1, max_overflow=0))
    try:
        auto = one.engine.execution_options(isolation_level="AUTOCOMMIT")
        with auto.connect() as conn:  # psycopg prepares a query run five times ...
            for _ in range(6):
                conn.execute(text("SELECT count(*) FROM registry_block"))
        assert _transfer(one, "t1", 5) == 5
        with pytest.raises(InsufficientHolding):
            _transfer(one, "too-many", 10_000)
        assert _transfer(one, "t1", 5) == 5  # a replay
        with one.engine.connect() as conn:
            names = conn.execute(
                text("SELECT name FROM pg_prepared_statements WHERE name LIKE 'jcm_%'")
            ).scalars()
            # ... and would deallocate them all on the refusal's or the replay's rollback
            assert len(set(names)) >= 8
            conn.rollback()
    finally:
        one.dispose()


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


def test_a_spend_on_a_chain_without_a_head_starts_the_chain(pg: Database) -> None:
    w = make_world(pg)
    issue(pg, add_period(pg, w.project_ref, 2023, 1000), 1000)
    with pg.engine.begin() as conn:  # as on a database whose log was never written
        conn.execute(text("SET LOCAL session_replication_role = replica"))
        conn.execute(text("TRUNCATE audit_head, audit_log"))
    out = service.cancel(
        pg, CTX, CancelRequest(idempotency_key="c1", from_account="JP-GOV", quantity=4)
    )
    assert out.quantity == 4
    with pg.read() as s:
        chain = verify_chain(s)
        assert chain.entries == 1
        assert chain.ok, chain.problems


@settings(
    max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    text=st.text(alphabet=st.characters(exclude_characters="\x00", exclude_categories=["Cs"])),
    number=st.integers(min_value=-(2**63), max_value=2**63 - 1),
    flag=st.booleans(),
    document=st.dictionaries(st.text(max_size=5), st.text(max_size=5) | st.integers(), max_size=3),
)
def test_literals_read_back_as_the_values_they_quote(
    postgresql_database: Database, text: str, number: int, flag: bool, document: dict[str, object]
) -> None:
    sql = (
        f"SELECT {spend_pg.literal(text)}::text, {spend_pg.literal(number)}::bigint,"
        f" {spend_pg.literal(flag)}::boolean, {spend_pg.literal(document, as_json=True)}::json"
    )
    raw = postgresql_database.engine.raw_connection()
    try:
        cur = raw.driver_connection.cursor()  # type: ignore[union-attr]
        cur.execute(sql.encode())
        assert cur.fetchone() == (text, number, flag, document)
        raw.rollback()
    finally:
        raw.close()


def test_a_literal_refuses_nul_and_unknown_types() -> None:
    with pytest.raises(ValueError, match="NUL"):
        spend_pg.literal("a\x00b")
    with pytest.raises(TypeError):
        spend_pg.literal(1.5)
    assert spend_pg.literal("it's 100%") == "'it''s 100%'"


def test_purpose_and_beneficiary_with_quotes_and_percent_signs_are_stored_as_given(
    database: Database,
) -> None:
    w = make_world(database)
    issue(database, add_period(database, w.project_ref, 2023, 1000), 1000)
    for i in range(3):  # first use sends statements in full; later ones as EXECUTE
        purpose = f"NDC 100% o'clock %s %(x)s \\ {i}; DROP TABLE x; --"
        out = service.retire(
            database,
            CTX,
            RetireRequest(
                idempotency_key=f"q{i}",
                from_account="JP-GOV",
                quantity=1,
                purpose=purpose,
                beneficiary="株式会社 'テスト'",
            ),
        )
        with database.read() as s:
            row = s.execute(
                select(RegistryTransaction.purpose, RegistryTransaction.beneficiary).where(
                    RegistryTransaction.id == out.transaction_id
                )
            ).one()
        assert tuple(row) == (purpose, "株式会社 'テスト'")


def test_concurrent_spends_on_separate_accounts_keep_the_audit_chain_in_order(
    pg: Database,
) -> None:
    w = make_world(pg)
    issue(pg, add_period(pg, w.project_ref, 2023, 1000), 1000)
    pairs = [(f"JP-P{i}", f"JP-Q{i}") for i in range(8)]
    with pg.write() as s:
        org = s.scalar(select(Organisation.id).limit(1))
        assert org is not None
        for number in (n for pair in pairs for n in pair):
            service.open_account(
                s,
                CTX,
                registry_code="JP",
                number=number,
                kind="participant_holding",
                organisation_id=org,
            )
    for sender, _ in pairs:
        service.transfer(
            pg,
            CTX,
            TransferRequest(
                idempotency_key=f"seed-{sender}",
                from_account="JP-GOV",
                to_account=sender,
                quantity=60,
            ),
        )
    barrier = threading.Barrier(len(pairs))
    failures: list[BaseException] = []

    def spend(sender: str, receiver: str) -> None:
        barrier.wait()
        try:
            for n in range(30):  # every one commits: no account is shared between threads
                service.transfer(
                    pg,
                    CTX,
                    TransferRequest(
                        idempotency_key=f"{sender}-{n}",
                        from_account=sender,
                        to_account=receiver,
                        quantity=1 + n % 3,
                    ),
                )
        except BaseException as exc:  # collected and asserted on below
            failures.append(exc)

    threads = [threading.Thread(target=spend, args=pair) for pair in pairs]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert failures == []
    with pg.read() as s:
        chain = verify_chain(s)
        assert chain.ok, chain.problems[:3]
        assert service.verify(s).ok
        assert sum(service.balance(s, receiver) for _, receiver in pairs) == 8 * 60


def test_a_spend_on_a_connection_whose_server_process_died_is_rerun_on_another(
    pg: Database,
) -> None:
    w = make_world(pg)
    issue(pg, add_period(pg, w.project_ref, 2023, 1000), 1000)
    one = Database(make_engine(_url(pg), pool_size=1, max_overflow=0, ping_after_idle_s=3600.0))
    try:
        assert _transfer(one, "before", 1) == 1
        with one.engine.connect() as conn:
            pid = conn.execute(text("SELECT pg_backend_pid()")).scalar_one()
            conn.rollback()
        with pg.engine.connect() as conn:
            assert conn.execute(text("SELECT pg_terminate_backend(:p)"), {"p": pid}).scalar()
            conn.commit()
        assert _transfer(one, "after", 2) == 2  # no ping, no error: rerun on a new connection
    finally:
        one.dispose()
    with pg.read() as s:
        assert service.balance(s, "JP-PP") == 203
        assert service.verify(s).ok


def test_a_request_with_a_nul_character_is_refused_naming_the_field() -> None:
    with pytest.raises(ValidationError) as refused:
        RetireRequest(
            idempotency_key="k",
            from_account="JP-GOV",
            quantity=1,
            purpose="a\x00b",
            beneficiary="B",
        )
    assert refused.value.errors()[0]["loc"] == ("purpose",)
