from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, expect

from jcm.db import Database
from jcm.demo import load_demo
from tests.web.browser import serve_site

pytestmark = pytest.mark.browser
DASHBOARDS = [
    "/insight",
    "/insight/reductions?by=technology",
    "/insight/reductions?by=vintage",
    "/insight/map",
    "/insight/cities",
]


@pytest.fixture
def site(sqlite_database: Database) -> Iterator[str]:
    with serve_site(sqlite_database, load_demo) as url:
        yield url


def test_dashboards_render_in_both_languages_drill_down_and_download(
    browser: Browser, site: str
) -> None:
    page = browser.new_page()
    for lang in ("en", "ja"):
        page.goto(f"{site}/lang/{lang}?next=/insight")
        expect(page.locator("html")).to_have_attribute("lang", lang)
        for path in DASHBOARDS:
            page.goto(site + path)
            expect(page.locator(".chart[data-rendered=true]").first).to_be_visible()
    expect(page.locator("h1")).to_have_text("都市間連携ネットワーク")

    page.goto(site + "/insight/reductions?by=country")
    page.locator("#table-reductions-country a.drill").first.click()
    expect(page).to_have_url(re.compile(r"/projects\?country="))
    expect(page.locator("#project-table tbody tr").first).to_be_visible()

    page.goto(site + "/insight")
    with page.expect_download() as info:
        page.locator("#panel-funnel a.dl-csv").click()
    download = info.value
    assert download.suggested_filename == "insight-funnel.csv"
    assert "Stage" in open(download.path(), encoding="utf-8-sig").read()
