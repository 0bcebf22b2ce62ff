from __future__ import annotations

import pytest
from sqlalchemy import select, update

from jcm.db import Database
from jcm.registry import service
from jcm.registry.errors import (
    AllocationInvalid,
    AlreadyIssued,
    IdempotencyConflict,
    InsufficientHolding,
    IssuanceExceedsVerified,
    NotReadyForIssuance,
    RegistryMismatch,
)
from jcm.registry.models import Block
from jcm.registry.schemas import CancelRequest, RetireRequest, ShareIn, TransferRequest
from tests.registry.helpers import CTX, add_period, issue, make_world


def _verify_clean(db: Database) -> None:
    with db.read() as s:
        report = service.verify(s)
    assert report.ok, report.problems


def test_issuance_splits_by_shares_into_each_governments_registry(database: Database) -> None:
    w = make_world(database)
    outcome = issue(database, add_period(database, w.project_ref, 2023, 1000), 999)
    got = {m.to_account: m.quantity for m in outcome.moved}
    assert got == {"JP-GOV": 500, "ID-GOV": 200, "JP-PP": 199, "ID-PP": 100}
    assert outcome.moved[0].first_unit == "JCM-JP-ID.JP.ID001.2023.000001.0000000001"
    assert outcome.moved[1].first_unit.startswith("JCM-JP-ID.ID.ID001.2023.")
    _verify_clean(database)


def test_a_period_is_issued_once_and_never_above_verified(database: Database) -> None:
    w = make_world(database)
    period = add_period(database, w.project_ref, 2023, 100)
    with pytest.raises(IssuanceExceedsVerified):
        issue(database, period, 101)
    issue(database, period, 100)
    with pytest.raises(AlreadyIssued):
        issue(database, period, 1, key="another-key")
    with pytest.raises(NotReadyForIssuance):
        issue(database, add_period(database, w.project_ref, 2024, 10, decided=False), 10)
    _verify_clean(database)


def test_an_allocation_below_half_for_japan_is_refused(database: Database) -> None:
    w = make_world(database)
    with pytest.raises(AllocationInvalid) as err, database.write() as s:
        service.set_allocation(
            s,
            CTX,
            w.project_ref,
            [ShareIn(account="JP-GOV", percent=49), ShareIn(account="ID-PP", percent=51)],
        )  # type: ignore[arg-type]
    assert "50" in err.value.message_ja


def test_a_partial_transfer_splits_a_block_and_a_replay_returns_the_first_outcome(
    database: Database,
) -> None:
    w = make_world(database)
    issue(database, add_period(database, w.project_ref, 2023, 100), 100)
    req = TransferRequest(
        idempotency_key="t1", from_account="JP-PP", to_account="JP-GOV", quantity=7
    )
    first = service.transfer(database, CTX, req)
    again = service.transfer(database, CTX, req)
    assert again.replayed
    assert again.transaction_id == first.transaction_id
    assert again.moved == first.moved
    with database.read() as s:
        assert service.balance(s, "JP-PP") == 13
        assert service.balance(s, "JP-GOV") == 57
    with pytest.raises(IdempotencyConflict):
        service.transfer(database, CTX, req.model_copy(update={"quantity": 8}))
    _verify_clean(database)


def test_a_transfer_of_more_than_is_held_names_account_and_amounts(database: Database) -> None:
    w = make_world(database)
    issue(database, add_period(database, w.project_ref, 2023, 100), 100)
    with pytest.raises(InsufficientHolding) as err:
        service.transfer(
            database,
            CTX,
            TransferRequest(
                idempotency_key="t", from_account="ID-PP", to_account="ID-GOV", quantity=11
            ),
        )
    assert (err.value.account, err.value.requested, err.value.held) == ("ID-PP", 11, 10)
    assert "ID-PP" in err.value.message_ja


def test_transfers_stay_in_one_registry_unless_external(database: Database) -> None:
    w = make_world(database)
    issue(database, add_period(database, w.project_ref, 2023, 100), 100)
    req = TransferRequest(idempotency_key="x", from_account="ID-PP", to_account="JP-PP", quantity=5)
    with pytest.raises(RegistryMismatch):
        service.transfer(database, CTX, req)
    out = service.external_transfer(database, CTX, req)
    assert out.moved[0].first_unit.startswith("JCM-JP-ID.ID.")  # origin registry kept
    _verify_clean(database)


def test_cancelled_and_retired_units_never_move_again(database: Database) -> None:
    w = make_world(database)
    iss = issue(database, add_period(database, w.project_ref, 2023, 100), 100)
    issuance_id = iss.moved[0].issuance_id
    service.cancel(
        database, CTX, CancelRequest(idempotency_key="c", from_account="JP-GOV", quantity=10)
    )
    ret = service.retire(
        database,
        CTX,
        RetireRequest(
            idempotency_key="r",
            from_account="JP-PP",
            quantity=5,
            purpose="voluntary",
            beneficiary="ACME",
        ),
    )
    assert ret.moved[0].to_account == "JP-RET"
    with pytest.raises(InsufficientHolding):
        service.transfer(
            database,
            CTX,
            TransferRequest(
                idempotency_key="t",
                from_account="JP-GOV",
                to_account="JP-PP",
                quantity=1,
                issuance_id=issuance_id,
                serial_start=1,
            ),
        )
    _verify_clean(database)


def test_verify_reports_a_tampered_block(database: Database) -> None:
    w = make_world(database)
    issue(database, add_period(database, w.project_ref, 2023, 100), 100)
    with database.write() as s:
        block_id = s.scalar(select(Block.id).order_by(Block.id).limit(1))
        s.execute(update(Block).where(Block.id == block_id).values(serial_end=Block.serial_end + 1))
    with database.read() as s:
        report = service.verify(s)
    assert not report.ok
    assert any("two live blocks" in p for p in report.problems)
