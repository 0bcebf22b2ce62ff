"""Every second-factor check is throttled per user and operation, in the database (so every
server worker sees it): wrong codes are counted and audited, then refused with 429 and
Retry-After — even a right code waits — while another approver is not slowed."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from jcm.audit import AuditEntry
from jcm.auth.throttle import FREE_CODE_FAILURES
from jcm.db import Database
from jcm.demo import DEMO_PASSWORD, load_demo
from jcm.registry.demo_load import load_registry_demo
from jcm.settings import Settings
from jcm.web.app import create_app
from tests.registry_web.helpers import bearer, signed_in
from tests.security.helpers import enrol
from tests.web.helpers import csrf_of


@pytest.fixture
def world(database: Database) -> Database:
    with database.write() as s:
        load_demo(s)
    load_registry_demo(database)
    return database


def _worker(db: Database) -> TestClient:
    """A separate application instance, as another server worker would be."""
    return TestClient(create_app(Settings(environment="test", default_language="en"), db=db))


def _held_issuance(c: TestClient, staff: dict[str, str]) -> int:
    period = c.post(
        "/api/v1/registry/verified-periods",
        json={
            "project_ref": "KE101",
            "period_start": "2024-01-01",
            "period_end": "2024-12-31",
            "verified_tco2": 1000,
            "jc_decision_ref": "JC-KE-2025-01",
            "jc_decision_date": "2025-03-01",
        },
        headers=staff,
    ).json()["id"]
    body = {"idempotency_key": "throttle-1", "verified_period_id": period, "amount": 1000}
    held = c.post("/api/v1/registry/issuances", json=body, headers=staff)
    assert held.status_code == 202
    return int(held.json()["pending_operation_id"])


def _actions(db: Database, action: str) -> list[AuditEntry]:
    with db.read() as s:
        return list(
            s.scalars(select(AuditEntry).where(AuditEntry.action == action).order_by(AuditEntry.id))
        )


def test_approval_codes_are_throttled_across_workers_and_audited(world: Database) -> None:
    first, second = _worker(world), _worker(world)
    op = _held_issuance(first, bearer(world, "secretariat"))
    admin = bearer(world, "admin")
    totp = enrol(world, "admin")
    url = f"/api/v1/approvals/{op}/approve"
    for attempt in range(FREE_CODE_FAILURES + 1):
        worker = (first, second)[attempt % 2]
        r = worker.post(url, json={"totp_code": "000000"}, headers=admin)
        assert r.status_code == 400, attempt
        assert r.json()["code"] == "totp_rejected"
    refused = second.post(url, json={"totp_code": totp.now()}, headers=admin)
    assert refused.status_code == 429
    assert int(refused.headers["Retry-After"]) >= 1
    assert refused.json()["code"] == "too_many_attempts"
    assert "秒後" in refused.json()["detail_ja"]
    rejected = _actions(world, "auth.code_rejected")
    assert len(rejected) == FREE_CODE_FAILURES + 1
    assert rejected[-1].after == {"operation": "approve", "failures": FREE_CODE_FAILURES + 1}
    assert len(_actions(world, "auth.throttled")) == 1
    # One counter, the approver's for this operation: nobody else is slowed.
    with world.read() as s:
        from jcm.auth.models import LoginThrottle

        keys = {row.key for row in s.scalars(select(LoginThrottle))}
    assert any(k.startswith("code:approve:user:") for k in keys)
    assert len([k for k in keys if k.startswith("code:")]) == 1


def test_a_right_code_before_the_free_failures_run_out_clears_the_counter(
    world: Database,
) -> None:
    c = _worker(world)
    op = _held_issuance(c, bearer(world, "secretariat"))
    admin = bearer(world, "admin")
    totp = enrol(world, "admin")
    url = f"/api/v1/approvals/{op}/approve"
    for _ in range(FREE_CODE_FAILURES - 1):
        assert c.post(url, json={"totp_code": "000000"}, headers=admin).status_code == 400
    r = c.post(url, json={"totp_code": totp.now()}, headers=admin)
    assert r.status_code == 200, r.json()
    with world.read() as s:
        from jcm.auth.models import LoginThrottle

        assert not [r for r in s.scalars(select(LoginThrottle)) if r.key.startswith("code:")]


def test_password_changes_are_throttled_and_a_wrong_one_changes_nothing(
    world: Database,
) -> None:
    c = signed_in(world, "aaic")
    for attempt in range(FREE_CODE_FAILURES + 1):
        token = csrf_of(c.get("/account").text)
        form = {
            "csrf_token": token,
            "current_password": "not-the-password",
            "new_password": "a-brand-new-long-password",
        }
        assert c.post("/account/password", data=form).status_code == 422, attempt
    token = csrf_of(c.get("/account").text)
    form = {
        "csrf_token": token,
        "current_password": DEMO_PASSWORD,
        "new_password": "a-brand-new-long-password",
    }
    refused = c.post("/account/password", data=form)
    assert refused.status_code == 429
    assert int(refused.headers["Retry-After"]) >= 1
    # The old password still signs in: nothing was changed.
    assert signed_in(world, "aaic") is not None
    assert _actions(world, "user.password_change") == []
    assert len(_actions(world, "auth.code_rejected")) == FREE_CODE_FAILURES + 1
