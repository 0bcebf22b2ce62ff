from __future__ import annotations

import json

from fastapi.testclient import TestClient

from jcm.db import Database
from jcm.demo import DEMO_PASSWORD, load_demo
from jcm.subsidy.settings import FY2022
from jcm.subsidy.settings_json import dump_call_settings
from tests.web.helpers import client, csrf_of


def _signed_in(db: Database, username: str) -> TestClient:
    with db.write() as s:
        load_demo(s)
    c = client(db)
    c.cookies.set("jcm_lang", "en")
    token = csrf_of(c.get("/login").text)
    c.post("/login", data={"username": username, "password": DEMO_PASSWORD, "csrf_token": token})
    return c


def test_the_secretariat_saves_a_new_version_of_the_call_settings(database: Database) -> None:
    c = _signed_in(database, "secretariat")
    page = c.get("/subsidy/calls/FY2022/settings").text
    data = dump_call_settings(FY2022)
    data["ceiling_jpy"] = 1_500_000_000
    r = c.post(
        "/subsidy/calls/FY2022/settings",
        data={
            "settings_json": json.dumps(data),
            "note": "lower ceiling",
            "csrf_token": csrf_of(page),
        },
    )
    assert r.status_code == 200
    assert "1500000000" in r.text
    assert "(version 2)" in r.text


def test_settings_that_break_a_rule_are_refused_naming_the_field(database: Database) -> None:
    c = _signed_in(database, "secretariat")
    page = c.get("/subsidy/calls/FY2022/settings").text
    data = dump_call_settings(FY2022)
    data["ceiling_jpy"] = "lots"
    r = c.post(
        "/subsidy/calls/FY2022/settings",
        data={"settings_json": json.dumps(data), "csrf_token": csrf_of(page)},
    )
    assert r.status_code == 422
    assert "ceiling_jpy" in r.text


def test_a_participant_cannot_save_call_settings(database: Database) -> None:
    c = _signed_in(database, "aaic")
    page = c.get("/subsidy/calls/FY2022/settings").text
    assert "settings-json" not in page
    r = c.post(
        "/subsidy/calls/FY2022/settings",
        data={"settings_json": "{}", "csrf_token": csrf_of(c.get("/login").text)},
    )
    assert r.status_code in (403, 422)


def test_an_uploaded_file_with_a_bad_row_names_it_and_saves_nothing(database: Database) -> None:
    c = _signed_in(database, "aaic")
    page = c.get("/subsidy/import").text
    bad = json.dumps([{"id": "UP-1", "partner_country": "THA"}]).encode()
    r = c.post(
        "/subsidy/import",
        data={"representative": "AAIC Japan Co. Ltd.", "csrf_token": csrf_of(page)},
        files={"file": ("apps.json", bad, "application/json")},
    )
    assert r.status_code == 422
    assert "import-error" in r.text
    assert "UP-1" not in c.get("/subsidy/applications").text


def test_a_participant_withdraws_its_draft_with_a_reason(database: Database) -> None:
    from jcm import audit
    from jcm.auth.rules import SYSTEM_PRINCIPAL
    from jcm.subsidy.demo import demo_applications
    from jcm.subsidy.schemas import ApplicationIn
    from jcm.subsidy.service import create_application

    c = _signed_in(database, "aaic")
    body = ApplicationIn(
        title_en="Rooftop PV",
        representative="AAIC Japan Co. Ltd.",
        application=demo_applications()[0].as_dict(),
    )
    with database.write() as s:
        ref = create_application(s, audit.SYSTEM, SYSTEM_PRINCIPAL, body).ref
    page = c.get(f"/subsidy/applications/{ref}").text
    assert "withdraw-form" in page
    r = c.post(
        f"/subsidy/applications/{ref}/withdraw",
        data={"reason": "site no longer available", "csrf_token": csrf_of(page)},
    )
    assert r.status_code == 200
    assert "site no longer available" in r.text
    assert "withdraw-form" not in r.text
