"""From a verified monitoring report to credits in the accounts, and cancellation, through the
pages: the issuance request appears in the secretariat's queue without retyping, the proposal
waits on /approvals described in words, and the credits link back to the MRV period."""

from __future__ import annotations

import re
import time

import pyotp
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from jcm.approvals.models import PendingOperation
from jcm.db import Database
from jcm.demo import DEMO_PASSWORD, load_demo
from jcm.mrv.demo_load import load_mrv_demo
from jcm.registry import service
from jcm.registry.demo_load import load_registry_demo
from jcm.registry.models import Issuance, RegistryTransaction, VerifiedPeriod
from tests.registry_web.helpers import signed_in
from tests.security.helpers import enrol
from tests.web.helpers import client, csrf_of


@pytest.fixture
def everything(database: Database) -> Database:
    with database.write() as s:
        load_demo(s)
        load_mrv_demo(s)
    load_registry_demo(database)
    return database


def _requested_form(page: str) -> tuple[str, str]:
    found = re.search(
        r'action="/registry/issuance/requested/(\d+)".*?name="idempotency_key" value="([^"]+)"',
        page,
        flags=re.DOTALL,
    )
    assert found, "no issuance request in the queue"
    return found.group(1), found.group(2)


def _admin(db: Database, lang: str) -> tuple[TestClient, pyotp.TOTP]:
    totp = enrol(db, "admin")
    admin = client(db)
    admin.cookies.set("jcm_lang", lang)
    login = {"username": "admin", "password": DEMO_PASSWORD, "totp_code": totp.now()}
    admin.post("/login", data={**login, "csrf_token": csrf_of(admin.get("/login").text)})
    return admin, totp


def _counts(db: Database) -> tuple[int, int, int]:
    with db.read() as s:
        return (
            s.scalar(select(func.count()).select_from(VerifiedPeriod)) or 0,
            s.scalar(select(func.count()).select_from(PendingOperation)) or 0,
            s.scalar(select(func.count()).select_from(Issuance)) or 0,
        )


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_a_requested_period_goes_from_the_queue_to_the_accounts(
    everything: Database, lang: str
) -> None:
    staff = signed_in(everything, "secretariat", lang=lang)
    page = staff.get("/registry/issuance").text
    mrv_id, key = _requested_form(page)
    row = page[page.index(f'id="requested-{mrv_id}"') :]
    row = row[: row.index("</tr>")]
    assert "KE101" in row
    assert f'href="/mrv/periods/{mrv_id}/report"' in row
    assert "2024-01-01 – 2024-01-30" in row
    form = {
        "csrf_token": csrf_of(page),
        "idempotency_key": key,
        "jc_decision_ref": "JC-KE-2024-07",
        "jc_decision_date": "2024-07-15",
        "amount": "178",
    }
    queued = staff.post(f"/registry/issuance/requested/{mrv_id}", data=form)
    assert queued.status_code == 200
    op = re.search(r'id="op-(\d+)"', queued.text)
    assert op
    described = queued.text[queued.text.index(f'id="op-{op.group(1)}"') :]
    described = described[: described.index("</tr>")]
    assert "JC-KE-2024-07" in described
    assert "178 tCO2" in described
    assert "{" not in described  # no raw request
    words = {"en": "always needs a second person", "ja": "常に第二の担当者"}
    assert words[lang] in described
    # the period has left the queue and waits for approval, linked to its report
    page = staff.get("/registry/issuance").text
    assert f'id="requested-{mrv_id}"' not in page
    assert f'href="/approvals#op-{op.group(1)}"' in page
    assert f'href="/mrv/periods/{mrv_id}/report"' in page
    # the same form sent again (a double submit) holds nothing more
    before = _counts(everything)
    again = staff.post(f"/registry/issuance/requested/{mrv_id}", data=form)
    assert again.status_code == 200
    assert _counts(everything) == before
    admin, totp = _admin(everything, lang)
    queue = admin.get("/approvals").text
    sign_off = {"csrf_token": csrf_of(queue), "totp_code": totp.at(time.time() + 30)}
    done = admin.post(f"/approvals/{op.group(1)}/approve", data=sign_off)
    assert done.status_code == 200
    period = staff.get(f"/mrv/periods/{mrv_id}").text
    issued = period[period.index('id="period-issuance"') :]
    issued = issued[: issued.index("</dd>")]
    assert "178 tCO2" in issued
    assert "JP-AAIC-01" in issued
    assert "/registry/units?serial=" in issued
    with everything.read() as s:
        assert service.verify(s).ok


def test_a_proposal_without_the_decision_writes_nothing(everything: Database) -> None:
    staff = signed_in(everything, "secretariat")
    page = staff.get("/registry/issuance").text
    mrv_id, key = _requested_form(page)
    before = _counts(everything)
    form = {
        "csrf_token": csrf_of(page),
        "idempotency_key": key,
        "jc_decision_ref": "",
        "jc_decision_date": "2024-07-15",
        "amount": "178",
    }
    refused = staff.post(f"/registry/issuance/requested/{mrv_id}", data=form)
    assert refused.status_code == 422
    assert "jc_decision_ref" in refused.text
    too_many = staff.post(
        f"/registry/issuance/requested/{mrv_id}",
        data={**form, "jc_decision_ref": "JC-KE-2024-07", "amount": "179"},
    )
    assert too_many.status_code in {409, 422}
    assert _counts(everything) == before
    participant = signed_in(everything, "aaic")
    denied = participant.post(
        f"/registry/issuance/requested/{mrv_id}",
        data={**form, "jc_decision_ref": "JC-KE-2024-07", "csrf_token": csrf_of(page)},
    )
    assert denied.status_code in {401, 403}
    assert _counts(everything) == before


@pytest.mark.parametrize(
    ("cancellation", "purpose"),
    [("ndc", "Use towards NDC"), ("omge", "Cancellation for OMGE")],
)
def test_a_participant_cancels_credits_after_a_second_persons_approval(
    everything: Database, cancellation: str, purpose: str
) -> None:
    holder = signed_in(everything, "aaic", lang="ja")
    page = holder.get("/registry/accounts/JP-AAIC-01").text
    assert 'id="cancel-form"' in page
    assert "世界全体の排出の全体的緩和（OMGE）のための取消" in page
    key = re.search(
        r'id="cancel-form".*?name="idempotency_key" value="([^"]+)"', page, flags=re.DOTALL
    )
    assert key
    with everything.read() as s:
        held = service.balance(s, "JP-AAIC-01")
    form = {
        "csrf_token": csrf_of(page),
        "idempotency_key": key.group(1),
        "quantity": "20",
        "cancellation": cancellation,
        "note": "FY2024",
    }
    bad = holder.post("/registry/accounts/JP-AAIC-01/cancel", data={**form, "cancellation": "x"})
    assert bad.status_code == 422
    assert "取消の種類" in bad.text
    queued = holder.post("/registry/accounts/JP-AAIC-01/cancel", data=form)
    assert queued.status_code == 200
    op = re.search(r'id="op-(\d+)"', queued.text)
    assert op
    assert "登録簿の取消口座" in queued.text
    with everything.read() as s:
        assert service.balance(s, "JP-AAIC-01") == held  # nothing moves before approval
    admin, totp = _admin(everything, "en")
    queue = admin.get("/approvals").text
    sign_off = {"csrf_token": csrf_of(queue), "totp_code": totp.at(time.time() + 30)}
    assert admin.post(f"/approvals/{op.group(1)}/approve", data=sign_off).status_code == 200
    with everything.read() as s:
        assert service.balance(s, "JP-AAIC-01") == held - 20
        assert service.verify(s).ok
    history = holder.get("/registry/accounts/JP-AAIC-01", params={"lang": "en"}).text
    table = history[history.index('id="history-table"') :]
    assert "Cancellation" in table
    assert f"{purpose}: FY2024" in table


def test_a_retirement_statement_is_public_and_only_for_retirements(
    everything: Database,
) -> None:
    with everything.read() as s:
        kinds = dict(s.execute(select(RegistryTransaction.kind, RegistryTransaction.id)).all())
    anonymous = client(everything)
    assert anonymous.get(f"/registry/retirements/{kinds['issuance']}").status_code == 404
    assert anonymous.get("/registry/retirements/999999").status_code == 404
    page = anonymous.get(f"/registry/retirements/{kinds['retirement']}", params={"lang": "ja"})
    assert page.status_code == 200
    assert "償却証明書" in page.text
    assert 'id="statement-units"' in page.text
    assert "JP-AAIC-01" not in page.text  # the holder's account is not on the statement
