"""The refusals the security work promises, on SQLite and PostgreSQL."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import text

from jcm.auth.edge import roles_for
from jcm.auth.rules import Role
from jcm.db import Database
from jcm.demo import DEMO_PASSWORD, load_demo
from jcm.registry.demo_load import load_registry_demo
from jcm.registry.service import transaction_outcome
from tests.registry_web.helpers import bearer
from tests.security.helpers import api_headers, enrol
from tests.web.helpers import client, csrf_of

DEMO_USERS = {
    Role.ADMIN: "admin",
    Role.SECRETARIAT: "secretariat",
    Role.JOINT_COMMITTEE: "jc-member",
    Role.PARTICIPANT: "aaic",
    Role.THIRD_PARTY_ENTITY: "verifier",
    Role.PARTNER_GOVERNMENT: "partner-gov",
}


@pytest.fixture
def world(database: Database) -> Database:
    with database.write() as s:
        load_demo(s)
    load_registry_demo(database)
    return database


def _sign_in(c: TestClient, username: str) -> None:
    token = csrf_of(c.get("/login").text)
    form = {"username": username, "password": DEMO_PASSWORD, "csrf_token": token}
    assert c.post("/login", data=form, follow_redirects=False).status_code == 303


def test_a_tampered_audit_row_breaks_the_chain_on_the_audit_page(world: Database) -> None:
    c = client(world)
    _sign_in(c, "secretariat")
    assert 'data-ok="true"' in c.get("/audit").text
    with world.engine.begin() as conn:
        if not world.is_sqlite:  # the append-only trigger must be bypassed to tamper
            conn.execute(text("SET LOCAL session_replication_role = replica"))
        conn.execute(text("UPDATE audit_log SET actor = 'mallory' WHERE id = 3"))
    page = c.get("/audit").text
    assert 'data-ok="false"' in page
    assert "entry 3: content does not match its hash" in page
    csv_text = c.get("/audit.csv", params={"actor": "mallory"}).text
    assert csv_text.splitlines()[0].startswith("id,at,actor")
    assert "mallory" in csv_text


def test_the_audit_page_is_for_staff_only(world: Database) -> None:
    c = client(world)
    _sign_in(c, "aaic")
    assert c.get("/audit").status_code == 403
    assert client(world).get("/audit.csv").status_code == 401


def test_a_replayed_csrf_token_is_refused(world: Database) -> None:
    c = client(world)
    anonymous_token = csrf_of(c.get("/login").text)
    _sign_in(c, "secretariat")
    form = {"to": "under_construction", "reason": "x", "csrf_token": anonymous_token}
    assert c.post("/projects/TH101/transition", data=form).status_code == 403
    session_token = csrf_of(c.get("/projects/TH101").text)
    assert session_token != anonymous_token
    c.post("/logout", data={"csrf_token": session_token})
    _sign_in(c, "secretariat")
    form["csrf_token"] = session_token  # the token of the ended session
    assert c.post("/projects/TH101/transition", data=form).status_code == 403


def test_cookie_authenticated_api_writes_need_the_csrf_header(world: Database) -> None:
    c = client(world)
    _sign_in(c, "secretariat")
    body = {"to": "under_construction", "reason": "api"}
    r = c.post("/api/v1/projects/TH101/transitions", json=body)
    assert r.status_code == 403
    assert r.json()["code"] == "csrf_rejected"
    ok = c.post("/api/v1/projects/TH101/transitions", json=body, headers=api_headers(c))
    assert ok.status_code == 200, ok.text


def test_a_cross_organisation_read_is_refused(world: Database) -> None:
    c = client(world)
    _sign_in(c, "aaic")
    assert c.get("/registry/accounts/JP-SHARP-01").status_code == 403
    api = bearer(world, "aaic")
    assert c.get("/api/v1/registry/accounts/JP-SHARP-01/balance", headers=api).status_code == 403


def test_an_unapproved_issuance_is_not_issued_and_the_requester_cannot_approve(
    world: Database,
) -> None:
    c, staff = client(world), bearer(world, "secretariat")
    period = c.post(
        "/api/v1/registry/verified-periods",
        json={
            "project_ref": "KE101",
            "period_start": "2024-01-01",
            "period_end": "2024-12-31",
            "verified_tco2": 1000,
            "jc_decision_ref": "JC-KE101-2024",
            "jc_decision_date": "2025-03-01",
        },
        headers=staff,
    ).json()["id"]
    body = {"idempotency_key": "four-eyes-1", "verified_period_id": period, "amount": 1000}
    held = c.post("/api/v1/registry/issuances", json=body, headers=staff)
    assert held.status_code == 202
    with world.read() as s:
        assert transaction_outcome(s, "four-eyes-1") is None
    op = held.json()["pending_operation_id"]
    own = enrol(world, "secretariat").now()
    r = c.post(f"/api/v1/approvals/{op}/approve", json={"totp_code": own}, headers=staff)
    assert r.status_code == 403
    assert r.json()["code"] == "four_eyes"
    aaic = bearer(world, "aaic")
    r = c.post(f"/api/v1/approvals/{op}/approve", json={"totp_code": "123456"}, headers=aaic)
    assert r.status_code == 403
    admin = bearer(world, "admin")
    r = c.post(f"/api/v1/approvals/{op}/approve", json={"totp_code": "000000"}, headers=admin)
    assert r.status_code == 400
    assert r.json()["code"] == "totp_rejected"
    with world.read() as s:
        assert transaction_outcome(s, "four-eyes-1") is None


def _unsafe_routes(app: object) -> list[tuple[str, str]]:
    out = []
    for r in app.routes:  # type: ignore[attr-defined]
        contexts = r.effective_route_contexts() if hasattr(r, "effective_route_contexts") else [r]
        for ctx in contexts:
            for method in sorted(set(getattr(ctx, "methods", None) or ()) - {"GET", "HEAD"}):
                out.append((method, ctx.path))
    return out


def test_every_unsafe_route_refuses_the_anonymous_and_the_roles_the_table_denies(
    database: Database,
) -> None:
    with database.write() as s:
        load_demo(s)
    c = client(database)
    tokens = {role: bearer(database, name) for role, name in DEMO_USERS.items()}
    routes = _unsafe_routes(c.app)
    assert len(routes) > 50
    for method, path in routes:
        url = path.replace("{", "").replace("}", "")
        allowed = roles_for(f"{method} {path}")
        if allowed is None:
            continue
        r = c.request(method, url)
        assert r.status_code == 401, (method, path, r.status_code)
        for role, headers in tokens.items():
            r = c.request(method, url, headers=headers)
            if role in allowed:
                assert r.status_code not in {401}, (method, path, role)
            else:
                assert r.status_code == 403, (method, path, role, r.status_code)


def test_a_new_user_needs_a_long_uncommon_password(database: Database) -> None:
    from jcm.errors import ValidationFailed

    for weak in ["short", "password1234", "qwertyuiop12", "aaaaaaaaaaaaaa", "Password123!"]:
        with pytest.raises(ValidationFailed):
            _make(database, weak)
    _make(database, "amber-kettle-on-the-ridge")


def _make(db: Database, password: str) -> None:
    from jcm import audit
    from jcm.auth.service import create_user

    with db.write() as s:
        create_user(s, audit.SYSTEM, username="newcomer", password=password, role=Role.ADMIN)
