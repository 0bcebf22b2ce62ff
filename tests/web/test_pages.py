from __future__ import annotations

import pytest

from jcm import audit
from jcm.auth.rules import SYSTEM_PRINCIPAL
from jcm.db import Database
from jcm.demo import DEMO_PASSWORD, load_demo
from jcm.projects.service import create_project
from tests.projects.helpers import project_in
from tests.web.helpers import client, csrf_of


@pytest.fixture
def demo(database: Database) -> Database:
    with database.write() as s:
        load_demo(s)
    return database


@pytest.mark.parametrize(("lang", "word"), [("en", "Projects"), ("ja", "プロジェクト")])
@pytest.mark.parametrize("path", ["/", "/projects", "/projects/TH101", "/cities", "/login"])
def test_every_page_renders_in_both_languages(
    demo: Database, path: str, lang: str, word: str
) -> None:
    r = client(demo).get(path, params={"lang": lang})
    assert r.status_code == 200
    assert f'<html lang="{lang}">' in r.text
    assert word in r.text


def test_pages_carry_security_headers(database: Database) -> None:
    r = client(database).get("/")
    assert "script-src 'self'" in r.headers["content-security-policy"]
    assert r.headers["x-frame-options"] == "DENY"


def test_the_language_choice_is_remembered(database: Database) -> None:
    c = client(database)
    c.get("/lang/ja", params={"next": "/projects"}, follow_redirects=False)
    assert '<html lang="ja">' in c.get("/projects").text


def test_the_list_filters_by_country_and_searches(database: Database) -> None:
    with database.write() as s:
        create_project(s, audit.SYSTEM, SYSTEM_PRINCIPAL, project_in())
        create_project(
            s,
            audit.SYSTEM,
            SYSTEM_PRINCIPAL,
            project_in(ref="VN001", partner_country="VNM", title_en="Hydro plant"),
        )
    text = client(database).get("/projects", params={"country": "VNM"}).text
    assert "/projects/VN001" in text
    assert "/projects/TH001" not in text


def test_sign_in_then_change_status_with_a_csrf_token(demo: Database) -> None:
    c = client(demo)
    c.cookies.set("jcm_lang", "en")
    token = csrf_of(c.get("/login").text)
    r = c.post(
        "/login",
        data={"username": "secretariat", "password": DEMO_PASSWORD, "csrf_token": token},
        follow_redirects=False,
    )
    assert r.status_code == 303
    page = c.get("/projects/TH101").text
    assert "Change status" in page
    r = c.post(
        "/projects/TH101/transition",
        data={"to": "under_construction", "reason": "works began", "csrf_token": csrf_of(page)},
    )
    assert "works began" in r.text


def test_a_forged_form_without_the_token_is_refused(demo: Database) -> None:
    c = client(demo)
    c.get("/login")
    r = c.post(
        "/login",
        data={"username": "secretariat", "password": DEMO_PASSWORD, "csrf_token": "forged"},
    )
    assert r.status_code == 403


def test_a_wrong_password_is_refused_in_the_readers_language(demo: Database) -> None:
    c = client(demo)
    c.cookies.set("jcm_lang", "ja")
    token = csrf_of(c.get("/login").text)
    r = c.post(
        "/login",
        data={"username": "secretariat", "password": "wrong-password", "csrf_token": token},
    )
    assert r.status_code == 401
    assert "パスワードが違います" in r.text


def test_a_participant_does_not_see_the_status_form(demo: Database) -> None:
    c = client(demo)
    c.cookies.set("jcm_lang", "en")
    token = csrf_of(c.get("/login").text)
    c.post("/login", data={"username": "aaic", "password": DEMO_PASSWORD, "csrf_token": token})
    assert "Change status" not in c.get("/projects/KE101").text


def test_a_page_that_needs_sign_in_sends_a_person_to_sign_in_and_back(demo: Database) -> None:
    c = client(demo)
    c.cookies.set("jcm_lang", "en")
    html = {"accept": "text/html,application/xhtml+xml"}
    r = c.get("/registry/accounts", params={"page": "2"}, headers=html, follow_redirects=False)
    assert r.status_code == 303
    assert r.headers["location"] == "/login?next=%2Fregistry%2Faccounts%3Fpage%3D2"
    form = c.get(r.headers["location"], headers=html).text
    assert 'value="/registry/accounts?page=2"' in form
    signed_in = c.post(
        "/login",
        data={
            "username": "aaic",
            "password": DEMO_PASSWORD,
            "csrf_token": csrf_of(form),
            "next": "/registry/accounts?page=2",
        },
        follow_redirects=False,
    )
    assert signed_in.status_code == 303  # through second-factor enrolment, then back
    assert signed_in.headers["location"] == "/account/totp?next=%2Fregistry%2Faccounts%3Fpage%3D2"
    # an API client, or a request that does not ask for a page, still gets the 401
    assert client(demo).get("/registry/accounts").status_code == 401
