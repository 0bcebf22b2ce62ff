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


def test_a_selection_run_honours_the_caps_and_exclusions_from_the_form(database: Database) -> None:
    from jcm import audit
    from jcm.subsidy.service_demo import load_subsidy_demo

    c = _signed_in(database, "secretariat")
    with database.write() as s:
        load_subsidy_demo(s, audit.SYSTEM)
    page = c.get("/subsidy").text
    r = c.post(
        "/subsidy/runs",
        data={
            "csrf_token": csrf_of(page),
            "max_per_country": "1",
            "must_exclude": "ILL-01, ILL-02",
        },
    )
    assert r.status_code == 200
    run_id = int(str(r.url).rstrip("/").rsplit("/", 1)[-1])
    body = c.get(f"/api/v1/subsidy/selection-runs/{run_id}").json()
    selected = body["result"]["selected"]
    assert selected
    assert "ILL-01" not in selected
    assert "ILL-02" not in selected
    countries = (
        [a["partner_country"] for a in body["inputs"] if a["id"] in selected]
        if "inputs" in body
        else []
    )
    assert len(countries) == len(set(countries))


def test_reproducing_a_run_uses_the_settings_version_it_was_made_with(database: Database) -> None:
    from jcm import audit
    from jcm.auth.rules import SYSTEM_PRINCIPAL
    from jcm.subsidy import service_calls, service_selection
    from jcm.subsidy.service_demo import load_subsidy_demo

    with database.write() as s:
        load_demo(s)
        run_id = load_subsidy_demo(s, audit.SYSTEM)
    with database.write() as s:
        data = dump_call_settings(FY2022)
        data["ceiling_jpy"] = 1
        service_calls.save_call_settings(s, audit.SYSTEM, SYSTEM_PRINCIPAL, "FY2022", data)
    with database.read() as s:
        run = service_selection.load_run(s, SYSTEM_PRINCIPAL, run_id)
        again = service_selection.reproduce(s, run)
        stored = service_selection.run_dict(run)
    assert again["selected"] == stored["result"]["selected"]
    assert again["selected"]
