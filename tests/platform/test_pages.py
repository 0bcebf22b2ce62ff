from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from jcm import audit
from jcm.auth.rules import Role
from jcm.auth.service import create_user
from jcm.cities.models import CityPair
from jcm.db import Database
from jcm.platform.demo_load import EVENT_KEY, load_platform_demo
from jcm.platform.models import PlatformMember, PlatformRegistration
from tests.web.helpers import PASSWORD, client, csrf_of

JFE = "JFE Engineering Corporation"


@pytest.fixture
def demo(database: Database) -> Database:
    with database.write() as s:
        load_platform_demo(s, audit.SYSTEM)
        s.add(
            CityPair(
                country_iso3="VNM", partner_city_en="Hai Phong", partner_city_ja="ハイフォン市",
                japanese_municipality_en="Kitakyushu", japanese_municipality_ja="北九州市",
                fiscal_year=2021,
            )
        )  # fmt: skip
        create_user(s, audit.SYSTEM, username="desk", password=PASSWORD, role=Role.SECRETARIAT)
        create_user(
            s, audit.SYSTEM, username="jfe", password=PASSWORD, role=Role.PARTICIPANT,
            organisation=JFE,
        )  # fmt: skip
    return database


def signed_in(db: Database, username: str) -> TestClient:
    c = client(db)
    c.cookies.set("jcm_lang", "en")
    token = csrf_of(c.get("/login").text)
    r = c.post(
        "/login",
        data={"username": username, "password": PASSWORD, "csrf_token": token},
        follow_redirects=False,
    )
    assert r.status_code == 303
    return c


def _paths(db: Database) -> list[str]:
    with db.read() as s:
        member = s.scalars(select(PlatformMember.id).order_by(PlatformMember.id)).first()
        pair = s.scalars(select(CityPair.id)).first()
        reg = s.scalars(select(PlatformRegistration.id).order_by(PlatformRegistration.id)).first()
    return [
        "/platform",
        "/platform/technologies",
        "/platform/technologies?q=廃棄物&climate=tropical",
        "/platform/technologies?q=waste+incineration",
        "/platform/technologies/new",
        "/platform/technologies/T-WTE-01",
        "/platform/technologies/T-WTE-01/edit",
        "/platform/desk",
        "/platform/members",
        f"/platform/members/{member}",
        "/platform/cities",
        f"/platform/cities/{pair}",
        f"/platform/events/{EVENT_KEY}",
        f"/platform/events/{EVENT_KEY}/schedule/{reg}",
    ]


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_every_platform_page_renders_in_both_languages(demo: Database, lang: str) -> None:
    c = signed_in(demo, "desk")
    c.cookies.set("jcm_lang", lang)
    for path in _paths(demo):
        r = c.get(path)
        assert r.status_code == 200, (path, r.text[:500])
        assert ("技術" in r.text or "プラットフォーム" in r.text) == (lang == "ja"), path


def test_search_page_finds_japanese_and_english(demo: Database) -> None:
    c = client(demo)
    assert "T-WTE-01" in c.get("/platform/technologies?q=廃棄物発電").text
    assert "T-WTE-01" in c.get("/platform/technologies?q=waste+incineration").text


def test_review_through_the_pages(demo: Database) -> None:
    jfe = signed_in(demo, "jfe")
    form = jfe.get("/platform/technologies/new").text
    r = jfe.post(
        "/platform/technologies",
        data={
            "csrf_token": csrf_of(form), "sector": "waste_to_energy",
            "technology_code": "waste_to_energy", "name_en": "Sludge kiln",
            "name_ja": "汚泥焼却炉", "countries": "vnm tha", "climates": "tropical",
        },
    )  # fmt: skip
    assert r.status_code == 200
    assert "draft" in r.text
    url = str(r.url)
    r = jfe.post(url + "/review", data={"csrf_token": csrf_of(r.text), "to_status": "in_review"})
    assert 'id="tech-status">in_review' in r.text
    assert "review-published" not in r.text  # the member cannot publish
    refused = jfe.post(
        url + "/review", data={"csrf_token": csrf_of(r.text), "to_status": "published"}
    )
    assert refused.status_code == 403
    desk = signed_in(demo, "desk")
    page = desk.get(url).text
    assert "review-published" in page
    r = desk.post(url + "/review", data={"csrf_token": csrf_of(page), "to_status": "published"})
    assert 'id="tech-status">published' in r.text
    assert "in_review → published" in r.text


def test_desk_inquiry_and_city_timeline_through_the_pages(demo: Database) -> None:
    desk = signed_in(demo, "desk")
    page = desk.get("/platform/desk").text
    r = desk.post(
        "/platform/inquiries",
        data={"csrf_token": csrf_of(page), "subject": "Biomass", "body": "Any supplier?"},
    )
    assert "Any supplier?" in r.text
    with demo.read() as s:
        pair = s.scalars(select(CityPair.id)).first()
    page = desk.get(f"/platform/cities/{pair}").text
    r = desk.post(
        f"/platform/cities/{pair}/activities",
        data={
            "csrf_token": csrf_of(page), "category": "output", "kind": "declaration",
            "on": "2022-04-01", "title_en": "Zero-carbon city declaration",
        },
    )  # fmt: skip
    assert "Zero-carbon city declaration" in r.text


def test_platform_pages_have_japanese_for_every_string() -> None:
    import re
    from importlib.resources import files

    from jcm.web.i18n import translate

    call = re.compile(r"""\bt\((?:"([^"]+)"|'([^']+)')\)""")
    folder = files("jcm.web").joinpath("templates", "platform")
    found = {
        a or b
        for entry in folder.iterdir()
        if entry.name.endswith(".html")
        for a, b in call.findall(entry.read_text(encoding="utf-8"))
    }
    assert [x for x in sorted(found) if translate("ja", x) == x] == []


def test_environment_week_through_the_pages(demo: Database) -> None:
    desk = signed_in(demo, "desk")
    url = f"/platform/events/{EVENT_KEY}"
    with demo.read() as s:
        taken = set(s.scalars(select(PlatformRegistration.organisation_id)))
        from jcm.reference.models import Organisation

        free = [o for o in s.scalars(select(Organisation).order_by(Organisation.id)) if o.id not in taken][:2]  # fmt: skip
    for org, side, lang in ((free[0], "japanese", "ja"), (free[1], "local", "vi")):
        page = desk.get(url).text
        r = desk.post(
            url + "/registrations",
            data={"csrf_token": csrf_of(page), "organisation": org.name_en, "side": side,
                  "language": lang, "unavailable": "0 1"},
        )  # fmt: skip
        assert r.status_code == 200
    with demo.read() as s:
        regs = {
            r.organisation_id: r.id
            for r in s.scalars(select(PlatformRegistration))
            if r.organisation_id in (free[0].id, free[1].id)
        }
    page = desk.get(url).text
    r = desk.post(
        url + "/requests",
        data={"csrf_token": csrf_of(page), "requester": regs[free[0].id],
              "target": regs[free[1].id], "rank": "1"},
    )  # fmt: skip
    assert r.status_code == 200
    r = desk.post(url + "/schedule", data={"csrf_token": csrf_of(r.text)})
    assert r.status_code == 200
    mine = desk.get(f"{url}/schedule/{regs[free[0].id]}")
    assert free[1].name_en in mine.text
    assert '<style media="print">' in mine.text
    assert "09:00" not in mine.text  # slots 0 and 1 were unavailable
    jfe = signed_in(demo, "jfe")
    assert (
        jfe.post(url + "/schedule", data={"csrf_token": csrf_of(jfe.get(url).text)}).status_code
        == 403
    )
