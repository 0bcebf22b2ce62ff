from __future__ import annotations

import re
import time

import pytest

from jcm.db import Database
from jcm.demo import DEMO_PASSWORD
from jcm.registry import service
from tests.registry_web.helpers import signed_in
from tests.security.helpers import enrol
from tests.web.helpers import client, csrf_of

UNIT = "JCM-JP-MN.JP.MN001.2021.000001.0000000001"


def _key(html: str, form: str) -> str:
    found = re.search(
        rf'id="{form}".*?name="idempotency_key" value="([^"]+)"', html, flags=re.DOTALL
    )
    assert found, f"no idempotency key in {form}"
    return found.group(1)


@pytest.mark.parametrize(("lang", "word"), [("en", "Credits issued"), ("ja", "発行済みクレジット")])
@pytest.mark.parametrize("path", ["/registry", f"/registry/units?serial={UNIT}"])
def test_public_pages_render_in_both_languages(
    world: Database, path: str, lang: str, word: str
) -> None:
    r = client(world).get(path, params={"lang": lang})
    assert r.status_code == 200
    assert f'<html lang="{lang}">' in r.text
    assert word in r.text
    assert "MN001" in r.text


def test_the_overview_has_a_chart_and_the_totals(world: Database) -> None:
    text = client(world).get("/registry").text
    assert 'class="chart" data-chart=' in text
    assert "<script>" not in text
    assert "26,000" in text  # 11,000 + 11,500 + 1,200 + 2,300


def test_serial_lookup_shows_state_and_account_type_but_not_the_holder(world: Database) -> None:
    text = client(world).get("/registry/units", params={"serial": UNIT, "lang": "en"}).text
    assert 'id="unit-found"' in text
    assert '<dd id="unit-state">Cancelled</dd>' in text  # the demo cancelled 1,000 of Japan's
    assert "Cancellation account" in text
    assert "Government of Japan" not in text
    missing = client(world).get(
        "/registry/units", params={"serial": "JCM-JP-MN.JP.MN001.2021.000001.0099999999"}
    )
    assert 'id="unit-missing"' in missing.text


def test_a_double_submitted_transfer_moves_credits_once(world: Database) -> None:
    c = signed_in(world, "aaic")
    page = c.get("/registry/accounts/JP-AAIC-01").text
    assert 'id="transfer-form"' in page
    trusted = {"csrf_token": csrf_of(page), "accounts": "JP-TTC-01"}
    assert c.post("/registry/accounts/JP-AAIC-01/trusted", data=trusted).status_code == 200
    page = c.get("/registry/accounts/JP-AAIC-01").text
    assert "JP-TTC-01</textarea>" in page
    with world.read() as s:
        before = service.balance(s, "JP-AAIC-01")
    form = {
        "csrf_token": csrf_of(page),
        "idempotency_key": _key(page, "transfer-form"),
        "to_account": "JP-TTC-01",
        "quantity": "25",
    }
    first = c.post("/registry/accounts/JP-AAIC-01/transfer", data=form)
    second = c.post("/registry/accounts/JP-AAIC-01/transfer", data=form)
    assert first.status_code == second.status_code == 200
    assert 'id="outcome"' in second.text
    with world.read() as s:
        assert service.balance(s, "JP-AAIC-01") == before - 25
    forged = c.post(
        "/registry/accounts/JP-AAIC-01/transfer",
        data={**form, "csrf_token": "forged", "idempotency_key": "web-forged-0001"},
    )
    assert forged.status_code == 403


def test_a_retirement_through_the_form(world: Database) -> None:
    c = signed_in(world, "aaic", lang="ja")
    page = c.get("/registry/accounts/JP-AAIC-01").text
    r = c.post(
        "/registry/accounts/JP-AAIC-01/retire",
        data={
            "csrf_token": csrf_of(page),
            "idempotency_key": _key(page, "retire-form"),
            "quantity": "10",
            "purpose": "社用車の排出オフセット",
            "beneficiary": "株式会社AAIC Japan",
        },
    )
    assert r.status_code == 200
    assert "社用車の排出オフセット" in r.text


def test_a_participant_cannot_see_or_move_another_organisations_account(
    world: Database,
) -> None:
    c = signed_in(world, "aaic")
    listing = c.get("/registry/accounts").text
    assert "JP-AAIC-01" in listing
    assert "JP-SHARP-01" not in listing
    assert c.get("/registry/accounts/JP-SHARP-01").status_code == 403
    page = c.get("/registry/accounts/JP-AAIC-01").text
    r = c.post(
        "/registry/accounts/JP-SHARP-01/transfer",
        data={
            "csrf_token": csrf_of(page),
            "idempotency_key": "web-steal-000001",
            "to_account": "JP-AAIC-01",
            "quantity": "1",
        },
    )
    assert r.status_code == 403
    assert c.get("/registry/issuance").status_code == 403


def test_anonymous_needs_to_sign_in_for_accounts(world: Database) -> None:
    assert client(world).get("/registry/accounts").status_code == 401
    assert client(world).get("/registry/issuance").status_code == 401


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_the_secretariat_issues_from_the_issuance_page(world: Database, lang: str) -> None:
    c = signed_in(world, "secretariat", lang=lang)
    page = c.get("/registry/issuance").text
    assert "BD001" in page
    assert 'id="aef-links"' in page
    match = re.search(
        r'name="idempotency_key" value="([^"]+)">\s*<input type="hidden" '
        r'name="verified_period_id" value="(\d+)">',
        page,
    )
    assert match
    form = {
        "csrf_token": csrf_of(page),
        "idempotency_key": match.group(1),
        "verified_period_id": match.group(2),
        "amount": "1000",
    }
    r = c.post("/registry/issuance/issue", data=form)
    assert r.status_code == 200
    assert 'id="approvals-table"' in r.text  # issuance waits for a second person
    assert "/approve" not in r.text  # ... who is not the requester
    totp = enrol(world, "admin")
    admin = client(world)
    admin.cookies.set("jcm_lang", lang)
    login = {"username": "admin", "password": DEMO_PASSWORD, "totp_code": totp.now()}
    admin.post("/login", data={**login, "csrf_token": csrf_of(admin.get("/login").text)})
    queue = admin.get("/approvals").text
    op = re.search(r'action="/approvals/(\d+)/approve"', queue)
    assert op
    sign_off = {"csrf_token": csrf_of(queue), "totp_code": totp.at(time.time() + 30)}
    assert admin.post(f"/approvals/{op.group(1)}/approve", data=sign_off).status_code == 200
    r = c.get("/registry/issuance", params={"done": match.group(1)})
    assert 'id="outcome"' in r.text
    assert "JP-GOV-01 600" in r.text
    assert "No verified period awaits issuance." in r.text or "発行待ち" in r.text
