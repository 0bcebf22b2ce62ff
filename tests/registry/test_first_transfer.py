"""Article 6.2: an issuance into another Party's registry is the first international transfer,
and no authorised unit is used or cancelled abroad before its first transfer is recorded."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from datetime import date
from typing import Any

import pytest
from alembic.script import ScriptDirectory
from sqlalchemy import create_engine, func, select, text
from typer.testing import CliRunner

from jcm import audit
from jcm.cli import app as jcm_app
from jcm.db import Database, make_engine, utcnow
from jcm.demo import load_demo
from jcm.migrate import alembic_config, upgrade
from jcm.projects.models import Project
from jcm.reference.service import sync_reference_data
from jcm.registry import rules, service
from jcm.registry.demo_load import load_registry_demo
from jcm.registry.errors import FirstTransferMissing
from jcm.registry.models import (
    Account,
    AdjustmentEntry,
    Block,
    FirstTransfer,
    Issuance,
    Movement,
    Registry,
    RegistryTransaction,
)
from jcm.registry.schemas import AuthorisationIn, CancelRequest, RetireRequest
from tests.conftest import PG_ADMIN_URL, _pg_reachable
from tests.registry.helpers import CTX, add_period, issue, make_world

runner = CliRunner()
_new_rule = rules.first_transfer_due


def _old_rule(definition: str, trigger: str, **_: Any) -> bool:
    """``first_transfer_due`` before the fix: only an external transfer was international."""
    return _new_rule(definition, trigger, international=False)


def _as_old_code(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(rules, "first_transfer_due", _old_rule)
    monkeypatch.setattr(rules, "use_without_first_transfer", lambda *a, **k: False)


def _first_transferred(db: Database, issuance_id: int) -> list[tuple[int, int]]:
    with db.read() as s:
        return [
            (f.serial_start, f.serial_end)
            for f in s.scalars(
                select(FirstTransfer)
                .where(FirstTransfer.issuance_id == issuance_id)
                .order_by(FirstTransfer.serial_start)
            )
        ]


def _issued_into_other_registries(db: Database, party: str) -> list[tuple[int, int, int, int]]:
    """(issuance, first serial, last serial, issuance year) of every share of an issuance of
    units authorised by ``party`` that went into another Party's registry."""
    with db.read() as s:
        rows = s.execute(
            select(
                Movement.issuance_id,
                Movement.serial_start,
                Movement.serial_end,
                RegistryTransaction.created_at,
            )
            .join(Issuance, Issuance.id == Movement.issuance_id)
            .join(RegistryTransaction, RegistryTransaction.id == Issuance.transaction_id)
            .join(Account, Account.id == Movement.to_account_id)
            .join(Registry, Registry.id == Account.registry_id)
            .where(
                Movement.from_account_id.is_(None),
                Movement.transaction_id == Issuance.transaction_id,
                Issuance.authorisation_id.is_not(None),
                Registry.country_iso3 != party,
            )
            .order_by(Movement.issuance_id, Movement.serial_start)
        ).all()
    return [(i, a, b, at.year) for i, a, b, at in rows]


def _ledger(db: Database) -> dict[tuple[str, int, str], int]:
    with db.read() as s:
        rows = s.execute(
            select(
                AdjustmentEntry.party_iso3,
                AdjustmentEntry.year,
                AdjustmentEntry.reason,
                func.sum(AdjustmentEntry.quantity),
            ).group_by(AdjustmentEntry.party_iso3, AdjustmentEntry.year, AdjustmentEntry.reason)
        ).all()
    return {(p, y, r): int(q) for p, y, r, q in rows}


# --- MN001: Mongolia-authorised units issued straight into Japanese accounts ---------------


@pytest.fixture
def demo(database: Database) -> Database:
    with database.write() as s:
        load_demo(s)
    load_registry_demo(database)
    return database


def test_mongolias_ledger_shows_the_first_transfer_of_every_unit_issued_into_japan(
    demo: Database,
) -> None:
    shares = _issued_into_other_registries(demo, "MNG")
    assert sum(b - a + 1 for _, a, b, _ in shares) == 5_500 + 3_300 + 5_750 + 3_450
    for issuance_id, first, last, _ in shares:
        assert rules.uncovered((first, last), _first_transferred(demo, issuance_id)) == []
    with demo.read() as s:
        fts = s.scalars(select(FirstTransfer)).all()
        assert {(f.transferring_party, f.acquiring_party) for f in fts} == {("MNG", "JPN")}
        held_in_japan = s.execute(
            select(Block.first_transferred, Block.ca_status)
            .join(Account, Account.id == Block.account_id)
            .join(Registry, Registry.id == Account.registry_id)
            .join(Issuance, Issuance.id == Block.issuance_id)
            .join(Project, Project.id == Issuance.project_id)
            .where(Registry.country_iso3 == "JPN", Project.ref == "MN001")
        ).all()
        assert held_in_japan
        assert set(held_in_japan) == {(True, "applied")}
        report = service.verify(s)
    assert report.ok, report.problems
    year = shares[0][3]  # the year of issuance, not the vintages 2021 and 2022
    assert year == utcnow().year
    ledger = _ledger(demo)
    assert ledger[("MNG", year, "first_transfer")] == 18_000 + 300  # + the external transfer
    assert ledger[("JPN", year, "use_towards_ndc")] == -1_000
    assert not any(y in {2021, 2022} for _, y, _ in ledger)


# --- the refusal, on both spending paths (SQLite: spend.py, PostgreSQL: spend_pg.py) -------


@pytest.fixture
def legacy(database: Database, monkeypatch: pytest.MonkeyPatch) -> Database:
    """Indonesia-authorised units issued into Japanese accounts by the old rule: no first
    transfer recorded."""
    w = make_world(database)
    with database.write() as s:
        service.record_authorisation(
            s,
            CTX,
            AuthorisationIn(
                ref="IDN-AUTH-1",
                party_iso3="IDN",
                project_ref=w.project_ref,
                authorised_on=date(2023, 1, 10),
                authorised_use="ndc",
            ),
        )
    with monkeypatch.context() as m:
        _as_old_code(m)
        issue(database, add_period(database, w.project_ref, 2023, 100), 100)
    with database.read() as s:
        assert s.scalar(select(func.count(FirstTransfer.id))) == 0
    return database


def test_cancelling_or_retiring_abroad_without_a_first_transfer_is_refused(
    legacy: Database,
) -> None:
    with pytest.raises(FirstTransferMissing) as err:
        service.cancel(
            legacy,
            CTX,
            CancelRequest(idempotency_key="c", from_account="JP-GOV", quantity=5, purpose="NDC"),
        )
    assert err.value.code == "first_transfer_missing"
    assert "first transfer" in err.value.message_en
    assert "Article 6.2" in err.value.message_en
    assert "初回移転" in err.value.message_ja
    with pytest.raises(FirstTransferMissing):
        service.retire(
            legacy,
            CTX,
            RetireRequest(
                idempotency_key="r",
                from_account="JP-PP",
                quantity=1,
                purpose="offset",
                beneficiary="A",
            ),
        )
    with legacy.read() as s:
        assert service.balance(s, "JP-GOV") == 50
        assert service.balance(s, "JP-CAN") == 0
        assert s.scalar(select(func.count(RegistryTransaction.id))) == 1
    # Indonesia's own units in its own registry are not used abroad: allowed
    service.cancel(
        legacy,
        CTX,
        CancelRequest(idempotency_key="c-id", from_account="ID-GOV", quantity=3, purpose="x"),
    )
    with legacy.read() as s:
        assert service.balance(s, "ID-CAN") == 3
        assert service.verify(s).ok


def test_a_new_issuance_into_japan_can_be_cancelled_there(database: Database) -> None:
    w = make_world(database)
    with database.write() as s:
        service.record_authorisation(
            s,
            CTX,
            AuthorisationIn(
                ref="IDN-AUTH-2",
                party_iso3="IDN",
                project_ref=w.project_ref,
                authorised_on=date(2023, 1, 10),
                authorised_use="ndc",
            ),
        )
    issue(database, add_period(database, w.project_ref, 2023, 100), 100)
    service.cancel(
        database,
        CTX,
        CancelRequest(idempotency_key="c", from_account="JP-GOV", quantity=5, purpose="NDC"),
    )
    year = utcnow().year
    assert _ledger(database) == {
        ("IDN", year, "first_transfer"): 50 + 20,  # JP-GOV and JP-PP, not ID-GOV / ID-PP
        ("JPN", year, "use_towards_ndc"): -5,
    }


def test_verify_finds_a_unit_used_without_a_first_transfer(
    legacy: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    with monkeypatch.context() as m:
        _as_old_code(m)
        service.cancel(
            legacy,
            CTX,
            CancelRequest(idempotency_key="c", from_account="JP-GOV", quantity=5, purpose="NDC"),
        )
    with legacy.read() as s:
        report = service.verify(s)
    assert not report.ok
    assert any(
        "units 1-5: cancelled in JP-CAN without a first transfer by IDN" in p
        for p in report.problems
    )


# --- the data migration repairs an old database ---------------------------------------------


def _heads_before_0013() -> list[str]:
    script = ScriptDirectory.from_config(alembic_config("sqlite://"))
    heads = set(script.get_heads())
    assert "0015" in heads
    return sorted((heads - {"0015"}) | {"0012"})


# Columns later revisions add to tables today's models write; the old data is written with
# them present (empty), and they are dropped again before the upgrade adds them for real.
_LATER_COLUMNS = (
    ("registry_registry", "cooperative_approach_id", "VARCHAR(6)"),
    ("registry_registry", "itmo_registry_id", "VARCHAR(5)"),
    ("registry_issuance", "vintage_basis", "VARCHAR(20) DEFAULT 'period_end'"),
    ("registry_verified_period", "reductions_by_year", "JSON"),
)


def _later_columns(db: Database, *, add: bool) -> None:
    with db.engine.begin() as conn:
        for table, column, type_ in _LATER_COLUMNS:
            conn.execute(
                text(
                    f"ALTER TABLE {table} ADD COLUMN {column} {type_}"
                    if add
                    else f"ALTER TABLE {table} DROP COLUMN {column}"
                )
            )


@pytest.fixture(params=["sqlite", "postgresql"])
def old_database(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Database]:
    """A fresh database at revision 0012 (every other branch at its head)."""
    admin = None
    name = ""
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path_factory.mktemp('old') / 'old.db'}"
    else:
        if not _pg_reachable():
            if os.environ.get("JCM_TEST_REQUIRE_POSTGRES") == "1":
                pytest.fail("PostgreSQL is required but not reachable")
            pytest.skip("PostgreSQL not reachable")
        name = f"jcm_test_old_{uuid.uuid4().hex[:10]}"
        admin = create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
        url = PG_ADMIN_URL.rsplit("/", 1)[0] + f"/{name}"
    db = Database(make_engine(url))
    for head in _heads_before_0013():
        upgrade(db.engine, head)
    _later_columns(db, add=True)
    with db.write() as s:
        sync_reference_data(s)
    try:
        yield db
    finally:
        db.dispose()
        if admin is not None:
            with admin.connect() as conn:
                conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            admin.dispose()


def test_the_migration_records_the_missing_first_transfers_of_an_old_database(
    old_database: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    db = old_database
    with db.read() as s:
        assert s.execute(text("SELECT version_num FROM alembic_version")).scalars().all()
        assert "0013" not in s.execute(text("SELECT version_num FROM alembic_version")).scalars()
    with monkeypatch.context() as m:  # the old-style data, written by the old rule
        _as_old_code(m)
        with db.write() as s:
            load_demo(s)
        load_registry_demo(db)
    with db.read() as s:
        assert s.scalar(select(func.count(FirstTransfer.id))) == 1  # the external one only
        report = service.verify(s)
    assert not report.ok
    assert any("without a first transfer by MNG" in p for p in report.problems)
    before = _ledger(db)
    year = utcnow().year
    assert before[("MNG", year, "first_transfer")] == 300

    _later_columns(db, add=False)
    upgrade(db.engine)

    shares = _issued_into_other_registries(db, "MNG")
    for issuance_id, first, last, _ in shares:
        assert rules.uncovered((first, last), _first_transferred(db, issuance_id)) == []
    after = _ledger(db)
    assert after[("MNG", year, "first_transfer")] == 18_000 + 300
    assert after[("JPN", year, "use_towards_ndc")] == -1_000
    with db.read() as s:
        entries = s.scalars(
            select(audit.AuditEntry).where(
                audit.AuditEntry.action == "registry.first_transfer_recorded"
            )
        ).all()
        assert sum(e.after["serial_end"] - e.after["serial_start"] + 1 for e in entries) == 18_000
        assert {e.actor for e in entries} == {"migration-0013"}
        unrepaired = s.scalar(
            select(func.count(Block.id))
            .join(Account, Account.id == Block.account_id)
            .join(Registry, Registry.id == Account.registry_id)
            .where(
                Block.authorisation_id.is_not(None),
                Registry.country_iso3 != "MNG",
                Block.first_transferred.is_(False),
            )
        )
        assert unrepaired == 0
        report = service.verify(s)
    assert report.ok, report.problems
    monkeypatch.setenv("JCM_DATABASE_URL", db.engine.url.render_as_string(hide_password=False))
    res = runner.invoke(jcm_app, ["audit", "verify", "--json"])
    assert res.exit_code == 0, res.output
    assert '"ok": true' in res.output or '"ok":true' in res.output
    upgrade(db.engine)  # again: nothing more to record
    assert _ledger(db) == after
