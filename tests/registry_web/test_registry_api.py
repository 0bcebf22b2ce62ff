from __future__ import annotations

import csv
import io

from jcm.db import Database
from tests.registry_web.helpers import bearer
from tests.security.helpers import enrol
from tests.web.helpers import client

API = "/api/v1/registry"


def _pending_period(c: object, headers: dict[str, str]) -> int:
    from fastapi.testclient import TestClient

    assert isinstance(c, TestClient)
    r = c.post(
        f"{API}/verified-periods",
        json={
            "project_ref": "KE101",
            "period_start": "2024-01-01",
            "period_end": "2024-12-31",
            "verified_tco2": 1000,
            "jc_decision_ref": "JC-KE101-2024",
            "jc_decision_date": "2025-03-01",
        },
        headers=headers,
    )
    assert r.status_code == 201, r.text
    return int(r.json()["id"])


def test_anonymous_cannot_issue(world: Database) -> None:
    r = client(world).post(
        f"{API}/issuances", json={"idempotency_key": "x", "verified_period_id": 1, "amount": 1}
    )
    assert r.status_code == 401
    assert r.headers["content-type"].startswith("application/problem+json")


def test_issue_replay_and_conflict(world: Database) -> None:
    c, staff = client(world), bearer(world, "secretariat")
    period = _pending_period(c, staff)
    body = {"idempotency_key": "ke-2024", "verified_period_id": period, "amount": 1000}
    held = c.post(f"{API}/issuances", json=body, headers=staff)
    assert held.status_code == 202, held.text
    op = held.json()["pending_operation_id"]
    approver, code = bearer(world, "admin"), enrol(world, "admin").now()
    r = c.post(f"/api/v1/approvals/{op}/approve", json={"totp_code": code}, headers=approver)
    assert r.status_code == 200, r.text
    first_outcome = r.json()["outcome"]
    first = c.get(f"{API}/transactions/ke-2024", headers=staff)
    assert first_outcome["transaction_id"] == first.json()["transaction_id"]
    assert {m["to_account"]: m["quantity"] for m in first.json()["moved"]} == {
        "JP-GOV-01": 500,
        "KE-GOV-01": 100,
        "JP-AAIC-01": 400,
    }
    again = c.post(f"{API}/issuances", json=body, headers=staff)
    assert again.status_code == 200
    assert again.json()["replayed"] is True
    assert again.json()["transaction_id"] == first.json()["transaction_id"]
    clash = c.post(f"{API}/issuances", json={**body, "amount": 999}, headers=staff)
    assert clash.status_code == 409
    assert clash.json()["code"] == "idempotency_conflict"
    assert c.get(f"{API}/transactions/ke-2024", headers=staff).json()["quantity"] == 1000
    assert c.get(f"{API}/verify", headers=staff).json()["ok"] is True


def test_participant_transfers_only_from_its_own_accounts(world: Database) -> None:
    c, aaic = client(world), bearer(world, "aaic")
    before = c.get(f"{API}/accounts/JP-AAIC-01/balance", headers=aaic).json()["balance"]
    body = {
        "idempotency_key": "aaic-to-ttc",
        "from_account": "JP-AAIC-01",
        "to_account": "JP-TTC-01",
        "quantity": 20,
    }
    held = c.post(f"{API}/transfers", json=body, headers=aaic)
    assert held.status_code == 202, held.text
    assert held.json()["reason"] == "untrusted_receiver"
    trusted = {"accounts": ["JP-TTC-01"]}
    r = c.put(f"{API}/accounts/JP-AAIC-01/trusted", json=trusted, headers=aaic)
    assert r.json()["trusted"] == ["JP-TTC-01"]
    body["idempotency_key"] = "aaic-to-ttc-trusted"
    r = c.post(f"{API}/transfers", json=body, headers=aaic)
    assert r.status_code == 201, r.text
    assert c.post(f"{API}/transfers", json=body, headers=aaic).json()["replayed"] is True
    after = c.get(f"{API}/accounts/JP-AAIC-01/balance", headers=aaic).json()["balance"]
    assert after == before - 20
    stolen = {**body, "idempotency_key": "steal", "from_account": "JP-SHARP-01"}
    assert c.post(f"{API}/transfers", json=stolen, headers=aaic).status_code == 403
    assert c.get(f"{API}/accounts/JP-SHARP-01/holdings", headers=aaic).status_code == 403
    numbers = [a["number"] for a in c.get(f"{API}/accounts", headers=aaic).json()]
    assert numbers == ["JP-AAIC-01"]


def test_holdings_are_paged_by_keyset(world: Database) -> None:
    c, staff = client(world), bearer(world, "secretariat")
    first = c.get(f"{API}/accounts/JP-GOV-01/holdings", params={"limit": 1}, headers=staff).json()
    assert len(first["blocks"]) == 1
    assert first["next_after"] is not None
    second = c.get(
        f"{API}/accounts/JP-GOV-01/holdings",
        params={"limit": 1, "after": first["next_after"]},
        headers=staff,
    ).json()
    assert second["blocks"][0]["block_id"] > first["blocks"][0]["block_id"]


def test_aef_download_has_the_header_row(world: Database) -> None:
    c, staff = client(world), bearer(world, "secretariat")
    year = 2022
    r = c.get(f"{API}/aef", params={"year": year, "format": "csv"}, headers=staff)
    assert r.status_code == 200
    header = next(csv.reader(io.StringIO(r.text)))
    from jcm.registry.rules_aef import ACTION_COLUMNS

    assert header == ACTION_COLUMNS
    x = c.get(f"{API}/aef", params={"year": year, "format": "xlsx"}, headers=staff)
    assert x.content[:2] == b"PK"
    from openpyxl import load_workbook

    from jcm.registry.rules_aef import AUTHORIZATION_COLUMNS, SHEETS

    assert load_workbook(io.BytesIO(x.content)).sheetnames == list(SHEETS)
    a = c.get(
        f"{API}/aef",
        params={"year": year, "party": "MNG", "table": "authorizations"},
        headers=staff,
    )
    assert a.headers["content-type"].startswith("text/csv")
    assert next(csv.reader(io.StringIO(a.text))) == AUTHORIZATION_COLUMNS
    assert c.get(f"{API}/aef", params={"year": year}).status_code == 401


def test_public_summary_and_unit_lookup(world: Database) -> None:
    c = client(world)
    rows = c.get(f"{API}/public/summary").json()
    mn = next(r for r in rows if r["project"] == "MN001" and r["vintage"] == 2021)
    assert mn["issued"] == 11_000
    unit = "JCM-JP-MN.JP.MN001.2021.000001.0000000001"
    found = c.get(f"{API}/public/units", params={"serial": unit}).json()
    assert found["project"] == "MN001"
    assert "organisation" not in found


def _pending_count(db: Database) -> int:
    from sqlalchemy import func, select

    from jcm.approvals.models import PendingOperation

    with db.read() as s:
        return int(s.scalar(select(func.count(PendingOperation.id))) or 0)


def test_an_issuance_request_that_could_never_run_is_refused_not_queued(world: Database) -> None:
    c, staff = client(world), bearer(world, "secretariat")
    period = _pending_period(c, staff)  # 1,000 tCO2 verified, decided
    with world.read() as s:
        from sqlalchemy import select

        from jcm.registry.models import Issuance

        issued = s.scalar(select(Issuance.verified_period_id).limit(1))
    r = c.post(
        f"{API}/verified-periods",
        json={
            "project_ref": "KE101",
            "period_start": "2025-01-01",
            "period_end": "2025-12-31",
            "verified_tco2": 500,
        },
        headers=staff,
    )
    assert r.status_code == 201, r.text
    undecided = int(r.json()["id"])
    before = _pending_count(world)

    def post(key: str, **body: object) -> object:
        return c.post(f"{API}/issuances", json={"idempotency_key": key, **body}, headers=staff)

    cases: list[tuple[dict[str, object], int, str]] = [
        ({"verified_period_id": False, "amount": 10}, 422, "verified_period_id"),
        ({"verified_period_id": True, "amount": 10}, 422, "verified_period_id"),
        ({"verified_period_id": str(period), "amount": 10}, 422, "verified_period_id"),
        ({"verified_period_id": -3, "amount": 10}, 422, "verified_period_id"),
        ({"verified_period_id": 0, "amount": 10}, 422, "verified_period_id"),
        ({"verified_period_id": 2**31, "amount": 10}, 422, "verified_period_id"),
        ({"verified_period_id": 2**63, "amount": 10}, 422, "verified_period_id"),
        ({"verified_period_id": period, "amount": 1_150_000_000_000_000_000}, 422, "amount"),
        ({"verified_period_id": period, "amount": False}, 422, "amount"),
        ({"verified_period_id": period, "amount": 0}, 422, "amount"),
        ({"verified_period_id": 2**31 - 1, "amount": 10}, 404, "verified_period_id"),
        ({"verified_period_id": period, "amount": 1001}, 422, "amount"),
        ({"verified_period_id": issued, "amount": 1}, 409, "verified_period"),
        ({"verified_period_id": undecided, "amount": 1}, 422, "jc_decision_ref"),
    ]
    for i, (body, status, field) in enumerate(cases):
        r = post(f"bad-{i}", **body)
        assert r.status_code == status, (body, r.text)  # type: ignore[attr-defined]
        problem = r.json()  # type: ignore[attr-defined]
        assert field in problem["detail"], (body, problem)
        assert problem["detail_ja"], problem
    assert _pending_count(world) == before
    ok = post("good", verified_period_id=period, amount=1000)
    assert ok.status_code == 202, ok.text  # type: ignore[attr-defined]
    assert _pending_count(world) == before + 1
