"""Random sequences of registry operations; every invariant is checked after every step."""

from __future__ import annotations

import os
from collections.abc import Callable
from itertools import count
from typing import Any

import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule, run_state_machine_as_test

from jcm.db import Database
from jcm.registry import service
from jcm.registry.errors import AlreadyIssued, IdempotencyConflict, InsufficientHolding
from jcm.registry.schemas import (
    CancelRequest,
    IssueRequest,
    RetireRequest,
    TransactionOutcome,
    TransferRequest,
)
from tests.conftest import clean
from tests.registry.helpers import CTX, add_period, make_world

HOLDING = ["JP-GOV", "JP-PP", "ID-GOV", "ID-PP"]
SAME_REGISTRY = [("JP-GOV", "JP-PP"), ("JP-PP", "JP-GOV"), ("ID-GOV", "ID-PP"), ("ID-PP", "ID-GOV")]
PERIODS = [(2021, 120), (2022, 77), (2023, 301), (2024, 9)]


class RegistryMachine(RuleBasedStateMachine):
    db: Database

    def __init__(self) -> None:
        super().__init__()
        clean(self.db)
        world = make_world(self.db)
        self.periods = [add_period(self.db, world.project_ref, y, v) for y, v in PERIODS]
        self.issued: set[int] = set()
        self.held = dict.fromkeys(HOLDING, 0)
        self.done: list[tuple[Callable[..., TransactionOutcome], Any, TransactionOutcome]] = []
        self.keys = count()

    def _key(self) -> str:
        return f"k{next(self.keys)}"

    def _spend(self, fn: Callable[..., TransactionOutcome], req: Any, sender: str) -> None:
        if req.quantity > self.held[sender]:
            with pytest.raises(InsufficientHolding):
                fn(self.db, CTX, req)
            return
        out = fn(self.db, CTX, req)
        assert out.quantity == req.quantity
        assert not out.replayed
        self.held[sender] -= req.quantity
        for m in out.moved:
            if m.to_account in self.held:
                self.held[m.to_account] += m.quantity
        self.done.append((fn, req, out))

    @rule(index=st.integers(0, len(PERIODS) - 1), share=st.floats(0.01, 1.0))
    def issue(self, index: int, share: float) -> None:
        amount = max(1, int(PERIODS[index][1] * share))
        req = IssueRequest(
            idempotency_key=self._key(), verified_period_id=self.periods[index], amount=amount
        )
        if index in self.issued:
            with pytest.raises(AlreadyIssued):
                service.issue(self.db, CTX, req)
            return
        out = service.issue(self.db, CTX, req)
        assert out.quantity == amount
        self.issued.add(index)
        for m in out.moved:
            self.held[m.to_account] += m.quantity
        self.done.append((service.issue, req, out))

    @rule(pair=st.sampled_from(SAME_REGISTRY), quantity=st.integers(1, 150))
    def transfer(self, pair: tuple[str, str], quantity: int) -> None:
        req = TransferRequest(
            idempotency_key=self._key(), from_account=pair[0], to_account=pair[1], quantity=quantity
        )
        self._spend(service.transfer, req, pair[0])

    @rule(pair=st.sampled_from(SAME_REGISTRY), data=st.data())
    def transfer_serial_range(self, pair: tuple[str, str], data: st.DataObject) -> None:
        """A transfer by serial range inside one of the sender's blocks, its ends drawn mostly
        at the block's edges: from the first unit or the second, to the last unit or the one
        before it."""
        with self.db.read() as s:
            blocks = service.blocks_held_by(s, pair[0]).blocks
        if not blocks:
            return
        block = data.draw(st.sampled_from(blocks))
        lo, hi = block.serial_start, block.serial_end
        first = data.draw(st.sampled_from([lo, lo + 1, hi - 1, hi]) | st.integers(lo, hi))
        first = min(max(first, lo), hi)
        last = data.draw(st.sampled_from([hi, hi - 1, first]) | st.integers(first, hi))
        last = min(max(last, first), hi)
        req = TransferRequest(
            idempotency_key=self._key(),
            from_account=pair[0],
            to_account=pair[1],
            quantity=last - first + 1,
            issuance_id=block.issuance_id,
            serial_start=first,
        )
        self._spend(service.transfer, req, pair[0])
        out = self.done[-1][2]
        moved = sorted((m.serial_start, m.serial_end) for m in out.moved)
        assert moved[0][0] == first
        assert moved[-1][1] == last
        assert sum(e - s + 1 for s, e in moved) == last - first + 1
        assert {m.issuance_id for m in out.moved} == {block.issuance_id}

    @rule(
        pair=st.sampled_from([("JP-PP", "ID-PP"), ("ID-PP", "JP-PP"), ("ID-GOV", "JP-GOV")]),
        quantity=st.integers(1, 80),
    )
    def external_transfer(self, pair: tuple[str, str], quantity: int) -> None:
        req = TransferRequest(
            idempotency_key=self._key(), from_account=pair[0], to_account=pair[1], quantity=quantity
        )
        self._spend(service.external_transfer, req, pair[0])

    @rule(sender=st.sampled_from(HOLDING), quantity=st.integers(1, 60))
    def cancel(self, sender: str, quantity: int) -> None:
        req = CancelRequest(idempotency_key=self._key(), from_account=sender, quantity=quantity)
        self._spend(service.cancel, req, sender)

    @rule(sender=st.sampled_from(HOLDING), quantity=st.integers(1, 60))
    def retire(self, sender: str, quantity: int) -> None:
        req = RetireRequest(
            idempotency_key=self._key(),
            from_account=sender,
            quantity=quantity,
            purpose="voluntary offsetting",
            beneficiary="Example Co.",
        )
        self._spend(service.retire, req, sender)

    @rule(data=st.data())
    def replay(self, data: st.DataObject) -> None:
        if not self.done:
            return
        fn, req, first = data.draw(st.sampled_from(self.done))
        again = fn(self.db, CTX, req)
        assert again.replayed
        assert again.model_copy(update={"replayed": False}) == first

    @rule(data=st.data())
    def conflicting_replay(self, data: st.DataObject) -> None:
        if not self.done:
            return
        fn, req, _ = data.draw(st.sampled_from(self.done))
        field = "amount" if isinstance(req, IssueRequest) else "quantity"
        with pytest.raises(IdempotencyConflict):
            fn(self.db, CTX, req.model_copy(update={field: getattr(req, field) + 1}))

    @invariant()
    def balances_match_and_verify_is_clean(self) -> None:
        with self.db.read() as s:
            for number, units in self.held.items():
                assert service.balance(s, number) == units, number
            report = service.verify(s)
        assert report.ok, report.problems


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
def test_random_operations_keep_every_invariant(
    backend: str, request: pytest.FixtureRequest
) -> None:
    RegistryMachine.db = request.getfixturevalue(f"{backend}_database")
    run_state_machine_as_test(
        RegistryMachine,
        settings=settings(
            max_examples=25,
            stateful_step_count=15,
            deadline=None,
            suppress_health_check=list(HealthCheck),
        ),
    )


@pytest.mark.slow
@pytest.mark.skipif(os.environ.get("JCM_SLOW") != "1", reason="long run: set JCM_SLOW=1")
@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
def test_many_more_random_operations_keep_every_invariant(
    backend: str, request: pytest.FixtureRequest
) -> None:
    RegistryMachine.db = request.getfixturevalue(f"{backend}_database")
    run_state_machine_as_test(
        RegistryMachine,
        settings=settings(
            max_examples=300,
            stateful_step_count=40,
            deadline=None,
            suppress_health_check=list(HealthCheck),
        ),
    )
