from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, expect

from jcm.db import Database
from jcm.demo import DEMO_PASSWORD, load_demo
from tests.web.browser import serve_site

pytestmark = pytest.mark.browser


@pytest.fixture
def site(sqlite_database: Database) -> Iterator[str]:
    with serve_site(sqlite_database, load_demo) as url:
        yield url


def test_sign_in_filter_switch_language_and_open_a_project(browser: Browser, site: str) -> None:
    page = browser.new_page()
    page.goto(site + "/")
    expect(page.locator("#total-projects")).to_have_text("25")
    expect(page.locator(".chart[data-rendered=true]").first).to_be_visible()

    page.click("#login-link")
    page.fill("input[name=username]", "secretariat")
    page.fill("input[name=password]", DEMO_PASSWORD)
    page.click("#login-submit")
    expect(page.locator(".who")).to_contain_text("Secretariat")

    page.goto(site + "/projects")
    page.select_option("#f-country", "THA")
    page.select_option("#f-year", "2022")
    page.click("#apply-filters")
    # The secretariat user's own language (Japanese) applies after sign-in.
    expect(page.locator("html")).to_have_attribute("lang", "ja")
    expect(page.locator("#result-count")).to_have_text("5 件のプロジェクト")
    expect(page.locator("#project-table tbody tr")).to_have_count(5)

    page.click("a[lang=en]")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.locator("#result-count")).to_have_text("5 projects")
    expect(page).to_have_url(re.compile(r"country=THA"))

    page.click("#project-table tbody tr:first-child td:first-child a")
    expect(page.locator("h1")).to_contain_text("TH101")
    expect(page.locator("#project-status")).to_have_text("adopted")
    expect(page.locator("#history tbody tr")).to_have_count(1)
    page.close()


def test_the_list_is_usable_at_phone_width(browser: Browser, site: str) -> None:
    page = browser.new_page(viewport={"width": 375, "height": 740})
    page.goto(site + "/projects")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 375 + 1
    page.keyboard.press("Tab")
    expect(page.locator(".skip")).to_be_focused()
    page.close()


def test_the_api_docs_and_the_icon_come_from_the_server_itself(browser: Browser, site: str) -> None:
    page = browser.new_page()
    outside: list[str] = []
    blocked: list[str] = []
    page.on(
        "request",
        lambda r: outside.append(r.url) if not r.url.startswith((site, "data:")) else None,
    )
    page.on(
        "console",
        lambda m: blocked.append(m.text) if "Content Security Policy" in m.text else None,
    )
    icon = page.goto(f"{site}/favicon.ico")
    assert icon is not None
    assert icon.status == 200
    assert icon.headers["content-type"].startswith("image/svg+xml")
    page.goto(f"{site}/api/docs")
    page.wait_for_selector(".swagger-ui .info .title", timeout=15_000)
    assert "JCM Platform API" in page.inner_text(".swagger-ui .info .title")
    assert page.locator(".opblock").count() > 50  # the operations are listed
    assert outside == []
    assert blocked == []


def test_the_chart_toolbar_speaks_the_page_language(browser: Browser, site: str) -> None:
    page = browser.new_page()
    for lang, reset, download in (
        ("ja", "軸を元に戻す", "グラフをPNG画像で保存"),
        ("en", "Reset axes", "Download plot as a PNG"),
    ):
        page.goto(f"{site}/lang/{lang}?next=/")
        chart = page.locator(".chart[data-rendered=true]").first
        expect(chart).to_be_visible()
        expect(chart.locator(f".modebar-btn[data-title='{reset}']")).to_have_count(1)
        expect(chart.locator(f".modebar-btn[data-title='{download}']")).to_have_count(1)
    page.close()
