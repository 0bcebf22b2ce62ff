"""Journey 1, in a real Chromium, signed out, in English: home → projects → a project page
whose monitoring periods and issued credits link onward → the unit look-up → open data."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, expect

from jcm.db import Database
from tests.journeys.helpers import demo_site

pytestmark = pytest.mark.browser


@pytest.fixture
def site(sqlite_database: Database) -> Iterator[str]:
    with demo_site(sqlite_database) as url:
        yield url


def test_the_public_follows_a_project_to_its_credits_and_the_open_data(
    browser: Browser, site: str
) -> None:
    context = browser.new_context(locale="en-GB", accept_downloads=True)
    page = context.new_page()
    page.goto(site + "/lang/en?next=/")
    page.locator("nav a", has_text="Projects").click()
    page.fill("input[name=q]", "KE101")
    page.keyboard.press("Enter")
    page.locator("#project-table a", has_text="KE101").click()

    periods = page.locator("#project-periods tbody tr")
    expect(periods).to_have_count(4)
    expect(periods.first).to_contain_text("Issuance requested")
    expect(page.locator("#project-periods")).to_contain_text("Under verification")
    credits = page.locator("#project-issuances tbody tr")
    expect(credits).to_have_count(1)  # the 2023 issuance of the registry demo
    expect(credits).to_contain_text("2,300")
    unit = credits.locator("a").first.inner_text()
    periods.first.locator("a").click()
    expect(page.locator("#period-status")).to_have_text("Issuance requested")
    page.go_back()

    credits.locator("a").first.click()
    found = page.locator("#unit-found")
    expect(found).to_contain_text(unit)
    expect(found).to_contain_text("KE101")
    expect(page.locator("#unit-state")).to_have_text("Held")

    page.locator("nav a", has_text="Insight").click()
    page.locator("a", has_text="Open data").click()
    with page.expect_download() as download:
        page.locator("a[href='/insight/open-data/credits.csv']").click()
    path = download.value.path()
    rows = list(csv.DictReader(io.StringIO(open(path, encoding="utf-8-sig").read())))
    assert any("KE101" in ",".join(r.values()) for r in rows)
    context.close()
