from __future__ import annotations

from html.parser import HTMLParser

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from jcm import audit
from jcm.auth.rules import Role
from jcm.auth.service import create_user
from jcm.cities.models import CityPair
from jcm.db import Database
from jcm.labels import LABELS
from jcm.platform.catalogue import need_rows, technology_rows
from jcm.platform.demo_load import EVENT_KEY, load_platform_demo
from jcm.platform.models import PlatformMember, PlatformRegistration
from tests.web.helpers import PASSWORD, client, csrf_of
from tests.web.wording import text_problems

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
    assert 'id="tech-status">Draft' in r.text
    url = str(r.url)
    r = jfe.post(url + "/review", data={"csrf_token": csrf_of(r.text), "to_status": "in_review"})
    assert 'id="tech-status">In review' in r.text
    assert "review-published" not in r.text  # the member cannot publish
    refused = jfe.post(
        url + "/review", data={"csrf_token": csrf_of(r.text), "to_status": "published"}
    )
    assert refused.status_code == 403
    desk = signed_in(demo, "desk")
    page = desk.get(url).text
    assert "review-published" in page
    r = desk.post(url + "/review", data={"csrf_token": csrf_of(page), "to_status": "published"})
    assert 'id="tech-status">Published' in r.text
    assert "In review → Published" in r.text


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


# ---------------------------------------------------------------- what a person reads

_VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source"}
_HIDDEN = {"code", "kbd", "samp", "pre", "script", "style", "noscript", "template"}


class _Visible(HTMLParser):
    """The text nodes and the title/aria-label/placeholder/alt texts a person reads, outside
    code and identifier elements (as the accessibility crawl reads them)."""

    def __init__(self) -> None:
        super().__init__()
        self.hidden: list[bool] = []
        self.texts: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        names = dict(attrs)
        hidden = (self.hidden and self.hidden[-1]) or tag in _HIDDEN or "data-identifier" in names
        if not hidden:
            for key in ("title", "aria-label", "placeholder", "alt"):
                value = (names.get(key) or "").strip()
                if value:
                    self.texts.append(value)
        if tag not in _VOID:
            self.hidden.append(bool(hidden))

    def handle_endtag(self, tag: str) -> None:
        if tag not in _VOID and self.hidden:
            self.hidden.pop()

    def handle_data(self, data: str) -> None:
        if data.strip() and not (self.hidden and self.hidden[-1]):
            self.texts.append(data.strip())


def visible_texts(html: str) -> list[str]:
    parser = _Visible()
    parser.feed(html)
    return parser.texts


def _read(c: TestClient, path: str, lang: str) -> list[str]:
    c.cookies.set("jcm_lang", lang)
    r = c.get(path)
    assert r.status_code == 200, path
    texts = visible_texts(r.text)
    assert text_problems(texts, lang) == [], path
    return texts


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_platform_pages_name_sectors_statuses_and_amounts_in_words(
    demo: Database, lang: str
) -> None:
    desk = signed_in(demo, "desk")
    with demo.read() as s:
        member = s.scalars(select(PlatformMember.id).order_by(PlatformMember.id)).first()
    for path in (
        "/platform",
        "/platform/desk",
        "/platform/technologies",
        "/platform/technologies?sector=waste_heat",
        "/platform/needs/N-01",
        f"/platform/members/{member}",
        f"/platform/events/{EVENT_KEY}",
    ):
        _read(desk, path, lang)
    home = " ".join(_read(desk, "/platform", lang))
    words = {
        "en": ("Waste-to-energy", "Solar PV", "Waste-heat recovery", "Open"),
        "ja": ("廃棄物発電", "太陽光発電", "廃熱回収", "受付中"),
    }[lang]
    for word in words:
        assert word in home
    need = " | ".join(_read(desk, "/platform/needs/N-01", lang))
    assert ("Became a JCM project" if lang == "en" else "JCMプロジェクト化済み") in need
    assert "500 t/day" in need
    members = _read(desk, "/platform/members", lang)
    assert ("Company" if lang == "en" else "企業") in members
    listing = _read(desk, "/platform/technologies", lang)
    assert "27,000" in listing  # CO2 reduction of T-WTE-01, tonnes a year
    assert ("Energy efficiency" if lang == "en" else "省エネルギー") in listing  # a sector option


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_a_technology_page_shows_names_money_and_capacity(demo: Database, lang: str) -> None:
    c = client(demo)
    page = _read(c, "/platform/technologies/T-WTE-01", lang)
    price = {
        "en": "¥5,000,000,000 – ¥30,000,000,000",
        "ja": "5,000,000,000円 – 30,000,000,000円",
    }[lang]
    assert price in page
    assert "100 – 1,500 t/day" in page
    assert ("Tropical, Temperate" if lang == "en" else "熱帯、温帯") in page
    biomass = _read(c, "/platform/technologies/T-BIO-01", lang)
    assert ("Biomass" if lang == "en" else "バイオマス") in biomass  # the sector
    assert ("Biomass power" if lang == "en" else "バイオマス発電") in biomass  # its category
    assert not [t for t in biomass if "biomass_power" in t]


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_the_event_page_names_meeting_outcomes(demo: Database, lang: str) -> None:
    desk = signed_in(demo, "desk")
    url = f"/platform/events/{EVENT_KEY}"
    page = _read(desk, url, lang)
    assert ("No-show" if lang == "en" else "欠席") in page  # an outcome the desk can record
    assert ("Subsidy application drafted" if lang == "en" else "補助金申請を作成") in page
    assert 'value="no_show"' in desk.get(url).text  # the form still sends the code


def test_every_platform_status_sector_and_outcome_has_a_label() -> None:
    from jcm.platform.manage import OUTCOME_ORDER
    from jcm.platform.schemas import InquiryStatus, TechStatus
    from jcm.reference.rules import ORGANISATION_KINDS

    assert set(LABELS["technology_status"]) == {s.value for s in TechStatus}
    assert set(LABELS["inquiry_status"]) == {s.value for s in InquiryStatus}
    assert set(LABELS["meeting_outcome"]) == set(OUTCOME_ORDER)
    assert set(LABELS["need_status"]) == {"open", "idea", "application", "project"}
    catalogue = {r["sector"] for r in technology_rows()} | {r["sector"] for r in need_rows()}
    assert catalogue <= set(LABELS["sector"])
    assert {c for r in technology_rows() for c in r["climates"].split()} <= set(LABELS["climate"])
    assert set(LABELS["organisation_kind"]) == set(ORGANISATION_KINDS)
