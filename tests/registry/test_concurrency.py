"""Sixteen clients race for the same units on PostgreSQL: one wins, the rest are refused."""

from __future__ import annotations

import threading
from collections.abc import Callable

import pytest
from sqlalchemy import func, select

from jcm.db import Database
from jcm.registry import service
from jcm.registry.errors import InsufficientHolding
from jcm.registry.models import RegistryTransaction
from jcm.registry.schemas import TransactionOutcome, TransferRequest
from tests.conftest import clean
from tests.registry.helpers import CTX, add_period, issue, make_world

WORKERS = 16


@pytest.fixture
def pg(postgresql_database: Database) -> Database:
    clean(postgresql_database)
    return postgresql_database


def _race(
    work: Callable[[int], TransactionOutcome],
) -> tuple[list[TransactionOutcome], list[Exception]]:
    barrier = threading.Barrier(WORKERS)
    wins: list[TransactionOutcome] = []
    losses: list[Exception] = []
    lock = threading.Lock()

    def run(i: int) -> None:
        barrier.wait()
        try:
            out = work(i)
            with lock:
                wins.append(out)
        except Exception as exc:  # collected and asserted on below
            with lock:
                losses.append(exc)

    threads = [threading.Thread(target=run, args=(i,)) for i in range(WORKERS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return wins, losses


def test_sixteen_clients_spending_one_block_leave_exactly_one_winner(pg: Database) -> None:
    w = make_world(pg)
    issued = issue(pg, add_period(pg, w.project_ref, 2023, 1000), 1000)
    block = next(m for m in issued.moved if m.to_account == "JP-PP")

    def spend(i: int) -> TransactionOutcome:
        return service.transfer(
            pg,
            CTX,
            TransferRequest(
                idempotency_key=f"race-{i}",
                from_account="JP-PP",
                to_account="JP-GOV",
                quantity=block.quantity,
                issuance_id=block.issuance_id,
                serial_start=block.serial_start,
            ),
        )

    wins, losses = _race(spend)
    assert len(wins) == 1
    assert len(losses) == WORKERS - 1
    assert all(isinstance(e, InsufficientHolding) for e in losses), losses
    assert all(e.held == 0 and e.requested == block.quantity for e in losses)  # type: ignore[attr-defined]
    with pg.read() as s:
        assert service.balance(s, "JP-PP") == 0
        report = service.verify(s)
    assert report.ok, report.problems


def test_sixteen_copies_of_one_request_are_carried_out_once(pg: Database) -> None:
    w = make_world(pg)
    issue(pg, add_period(pg, w.project_ref, 2023, 1000), 1000)
    req = TransferRequest(
        idempotency_key="same", from_account="JP-GOV", to_account="JP-PP", quantity=3
    )
    wins, losses = _race(lambda _i: service.transfer(pg, CTX, req))
    assert losses == []
    assert len({o.transaction_id for o in wins}) == 1
    assert sum(not o.replayed for o in wins) == 1
    with pg.read() as s:
        assert s.scalar(select(func.count(RegistryTransaction.id))) == 2
        assert service.balance(s, "JP-PP") == 203
        assert service.verify(s).ok
