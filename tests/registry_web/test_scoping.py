"""Organisation scoping of registry accounts, and four eyes on every government holding."""

from __future__ import annotations

from sqlalchemy import select

from jcm.auth.models import User
from jcm.auth.rules import Role
from jcm.db import Database
from jcm.reference.models import Organisation
from tests.registry_web.helpers import bearer
from tests.security.helpers import enrol
from tests.web.helpers import client

API = "/api/v1/registry"


def _retire(account: str, key: str, quantity: int = 5) -> dict[str, object]:
    return {
        "idempotency_key": key,
        "from_account": account,
        "quantity": quantity,
        "purpose": "test",
        "beneficiary": "test",
    }


def _balance(db: Database, number: str) -> int:
    c = client(db)
    r = c.get(f"{API}/accounts/{number}/balance", headers=bearer(db, "admin"))
    return int(r.json()["balance"])


def test_the_demo_partner_government_belongs_to_one_government(world: Database) -> None:
    with world.read() as s:
        user = s.scalar(select(User).where(User.username == "partner-gov"))
        assert user is not None
        assert user.organisation_id is not None
        org = s.get(Organisation, user.organisation_id)
        assert org is not None
        assert (org.kind, org.country_iso3) == ("government", "MNG")


def test_a_partner_government_acts_only_on_its_own_registrys_accounts(world: Database) -> None:
    c, gov = client(world), bearer(world, "partner-gov")
    numbers = {a["number"] for a in c.get(f"{API}/accounts", headers=gov).json()}
    assert numbers == {"MN-GOV-01", "MN-CAN-01", "MN-RET-01"}
    before = _balance(world, "BD-GOV-01")
    r = c.post(f"{API}/retirements", json=_retire("BD-GOV-01", "bd-steal"), headers=gov)
    assert r.status_code == 403, r.text
    assert r.json()["detail_ja"]
    for number in ("KE-GOV-01", "JP-GOV-01", "JP-SHARP-01"):
        assert c.get(f"{API}/accounts/{number}/holdings", headers=gov).status_code == 403
    body = {
        "idempotency_key": "bd-out",
        "from_account": "BD-GOV-01",
        "to_account": "JP-GOV-01",
        "quantity": 1,
    }
    assert c.post(f"{API}/external-transfers", json=body, headers=gov).status_code == 403
    assert _balance(world, "BD-GOV-01") == before


def test_a_user_without_an_organisation_acts_on_no_account(world: Database) -> None:
    with world.write() as s:  # as an old database may hold it: no organisation
        s.add(
            User(
                username="gov-without-org",
                display_name="x",
                password_hash="x",
                role=Role.PARTNER_GOVERNMENT.value,
                organisation_id=None,
            )
        )
    c, who = client(world), bearer(world, "gov-without-org")
    assert c.get(f"{API}/accounts", headers=who).json() == []
    for number in ("BD-GOV-01", "MN-GOV-01"):
        r = c.post(f"{API}/retirements", json=_retire(number, f"x-{number}"), headers=who)
        assert r.status_code == 403, r.text
        assert "no organisation" in r.json()["detail"]
        assert "組織に所属していない" in r.json()["detail_ja"]


def test_retiring_from_a_government_holding_needs_a_second_person(world: Database) -> None:
    c, gov = client(world), bearer(world, "partner-gov")
    before = _balance(world, "MN-GOV-01")
    held = c.post(f"{API}/retirements", json=_retire("MN-GOV-01", "mn-ret"), headers=gov)
    assert held.status_code == 202, held.text
    assert held.json()["reason"] == "government_holding"
    assert _balance(world, "MN-GOV-01") == before
    op = held.json()["pending_operation_id"]
    approver, code = bearer(world, "admin"), enrol(world, "admin").now()
    r = c.post(f"/api/v1/approvals/{op}/approve", json={"totp_code": code}, headers=approver)
    assert r.status_code == 200, r.text
    assert _balance(world, "MN-GOV-01") == before - 5
    assert _balance(world, "MN-RET-01") == 5


def test_every_spend_from_a_government_holding_is_held(world: Database) -> None:
    c, staff = client(world), bearer(world, "secretariat")
    r = c.put(
        f"{API}/accounts/JP-GOV-01/trusted", json={"accounts": ["JP-SHARP-01"]}, headers=staff
    )
    assert r.status_code == 200, r.text
    small = {
        "idempotency_key": "gov-small",
        "from_account": "JP-GOV-01",
        "to_account": "JP-SHARP-01",
        "quantity": 1,
    }
    r = c.post(f"{API}/transfers", json=small, headers=staff)  # trusted, below threshold
    assert r.status_code == 202, r.text
    assert r.json()["reason"] == "government_holding"
    r = c.post(f"{API}/retirements", json=_retire("JP-GOV-01", "gov-ret", 1), headers=staff)
    assert r.status_code == 202, r.text
    ext = {
        "idempotency_key": "mn-ext",
        "from_account": "MN-GOV-01",
        "to_account": "JP-GOV-01",
        "quantity": 1,
    }
    r = c.post(f"{API}/external-transfers", json=ext, headers=staff)
    assert r.status_code == 202, r.text
    assert r.json()["reason"] == "government_holding"
    # a participant's own holding still moves at once
    aaic = bearer(world, "aaic")
    r = c.post(f"{API}/retirements", json=_retire("JP-AAIC-01", "aaic-ret", 1), headers=aaic)
    assert r.status_code == 201, r.text
