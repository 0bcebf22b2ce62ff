from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, expect
from sqlalchemy.orm import Session

from jcm import audit
from jcm.auth.rules import Role
from jcm.auth.service import create_user
from jcm.db import Database
from jcm.platform.demo_load import load_platform_demo
from tests.web.browser import serve_site

pytestmark = pytest.mark.browser
PASSWORD = "correct-horse-battery"


@pytest.fixture
def site(sqlite_database: Database) -> Iterator[str]:
    def load(s: Session) -> None:
        load_platform_demo(s, audit.SYSTEM)
        create_user(s, audit.SYSTEM, username="desk", password=PASSWORD, role=Role.ADMIN)

    with serve_site(sqlite_database, load) as url:
        yield url


def test_a_need_becomes_a_project_idea_and_then_an_application_draft(
    browser: Browser, site: str
) -> None:
    page = browser.new_page()
    page.goto(site + "/login?next=/platform")
    page.fill("input[name=username]", "desk")
    page.fill("input[name=password]", PASSWORD)
    page.click("#login-submit")
    page.goto(f"{site}/lang/en?next=/platform")  # the need page follows in English
    page.click("a[href='/platform/needs/N-07']")
    expect(page.locator("#match-table tbody tr")).to_have_count(5)
    expect(page.locator("#match-table tbody tr").first).to_contain_text("T-BIO-01")
    expect(page.locator("#match-table tbody tr").first).to_contain_text("Same sector: Biomass")
    page.locator(".make-idea").first.click()
    expect(page.locator("#need-status")).to_have_text("Project idea formed")
    project_ref = page.locator("#project-link").inner_text()
    page.click("#make-application")
    expect(page.locator("#need-status")).to_have_text("Subsidy application drafted")
    page.click("#application-link")
    expect(page.locator("body")).to_contain_text(project_ref)
    page.close()


def test_the_environment_week_schedule_shows_the_bac_ninh_meeting(
    browser: Browser, site: str
) -> None:
    page = browser.new_page()
    page.goto(site + "/platform/events/EW-VN-2019?lang=en")
    expect(page.locator("#schedule")).to_contain_text("Thuan Thanh Environment JSC")
    expect(page.locator("#schedule")).to_contain_text("VN001")
    page.close()
