"""The secretariat's day on the platform in a real browser: search the technology list in
Japanese and English, see the needs a technology matches (ranked, explained), answer an
inquiry at the consultation desk, print a company's Environment Week schedule."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page, expect
from sqlalchemy.orm import Session

from jcm import audit
from jcm.auth.rules import Principal, Role
from jcm.auth.service import create_user
from jcm.db import Database
from jcm.platform import manage
from jcm.platform.demo_load import EVENT_KEY, load_platform_demo
from jcm.platform.schemas import InquiryIn
from tests.web.browser import serve_site

pytestmark = pytest.mark.browser
PASSWORD = "correct-horse-battery"
SUBJECT = "Who builds waste-to-energy plants for Bac Ninh?"


@pytest.fixture
def site(sqlite_database: Database) -> Iterator[str]:
    def load(s: Session) -> None:
        # The platform demonstration alone: with the project deck loaded first, JFE
        # Engineering is not among the Environment Week registrations.
        load_platform_demo(s, audit.SYSTEM)
        create_user(
            s, audit.SYSTEM, username="secretariat", password=PASSWORD, role=Role.SECRETARIAT
        )
        gov = create_user(
            s, audit.SYSTEM, username="hanoi", password=PASSWORD, role=Role.PARTNER_GOVERNMENT
        )
        asker = Principal(
            user_id=gov.id,
            username=gov.username,
            role=Role.PARTNER_GOVERNMENT,
            organisation_id=None,
        )
        manage.open_inquiry(
            s, audit.SYSTEM, asker, InquiryIn(subject=SUBJECT, body="Please introduce members.")
        )

    with serve_site(sqlite_database, load) as url:
        yield url


def _sign_in(page: Page, site: str) -> None:
    page.goto(site + "/login?next=/platform")
    page.fill("input[name=username]", "secretariat")
    page.fill("input[name=password]", PASSWORD)
    page.click("#login-submit")
    page.wait_for_load_state()
    # Roles that need a second factor are offered the authenticator set-up first.
    later = page.locator("a", has_text=re.compile(r"^\s*(Later|後で.*)\s*$"))
    if "/account/totp" in page.url and later.count():
        later.first.click()
    expect(page.locator(".who")).to_contain_text("secretariat")


def test_the_secretariat_searches_matches_answers_and_prints_a_schedule(
    browser: Browser, site: str
) -> None:
    page = browser.new_page()
    _sign_in(page, site)

    # The technology list answers a Japanese and an English search.
    page.goto(site + "/lang/ja?next=/platform/technologies")
    page.fill("#tech-search input[name=q]", "廃棄物発電")
    page.click("#tech-search button[type=submit]")
    expect(page.locator("#tech-results tbody")).to_contain_text("T-WTE-01")
    expect(page.locator("#tech-results tbody")).to_contain_text("ストーカ式廃棄物発電プラント")
    page.goto(site + "/lang/en?next=/platform/technologies")
    page.fill("#tech-search input[name=q]", "waste-to-energy plant")
    page.click("#tech-search button[type=submit]")
    expect(page).to_have_url(re.compile(r"q=waste-to-energy"))
    expect(page.locator("#tech-results tbody")).to_contain_text("Stoker-type waste-to-energy")

    # A technology lists the needs it matches, best first, each with its explanation.
    page.click("#tech-results a[href='/platform/technologies/T-WTE-01']")
    rows = page.locator("#need-match-table tbody tr")
    expect(rows.first).to_be_visible()
    assert rows.count() >= 2
    scores = [float(rows.nth(i).locator("td").nth(1).inner_text()) for i in range(rows.count())]
    assert scores == sorted(scores, reverse=True)
    expect(rows.first.locator("li").first).to_contain_text("Words in common")
    expect(rows.first).to_contain_text("Same sector: Waste-to-energy")

    # The consultation desk: open the inquiry and answer it.
    page.goto(site + "/platform/desk?lang=en")
    page.locator("#inquiries a", has_text=SUBJECT).click()
    expect(page.locator("#inquiry-status")).to_have_text("Open")
    page.fill("#reply-form textarea[name=body]", "JFE Engineering builds them; see T-WTE-01.")
    page.click("#reply-send")
    expect(page.locator("#inquiry-status")).to_have_text("Answered")
    expect(page.locator("#replies li").last).to_contain_text("see T-WTE-01")

    # A printable personal schedule of the Environment Week: Thuan Thanh's meetings with
    # the Japanese companies registered for Viet Nam.
    page.goto(f"{site}/lang/en?next=/platform/events/{EVENT_KEY}")
    first_jp = page.locator("#registrations tbody tr").first.locator("td").nth(1).inner_text()
    page.locator("#registrations tbody tr", has_text="Thuan Thanh").locator(
        "a.personal-schedule"
    ).first.click()
    expect(page.locator("h1")).to_contain_text("Thuan Thanh Environment JSC")
    expect(page.locator("#personal-schedule tbody")).to_contain_text(first_jp)
    page.emulate_media(media="print")
    expect(page.locator("nav").first).to_be_hidden()
    expect(page.locator("#personal-schedule")).to_be_visible()
    page.close()
