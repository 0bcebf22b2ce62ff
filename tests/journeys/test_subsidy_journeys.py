"""Journeys 2 and 3, in a real Chromium through the pages alone.

2. A participant applies (in Japanese): from "new application" in the newest call, the form
   names its own company as the representative; a figure that is not a number is refused
   naming its field and keeping what was typed; the draft is saved, submitted, and its
   status followed in the list.
3. The secretariat selects (in English): picks the FY2023 call on the overview, screens the
   applications waiting in it, runs a selection, adopts the portfolio in one step, and
   downloads it as a workbook and as CSV.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from openpyxl import load_workbook
from playwright.sync_api import Browser, expect

from jcm.db import Database
from tests.journeys.helpers import Person, demo_site

pytestmark = pytest.mark.browser


@pytest.fixture
def site(sqlite_database: Database) -> Iterator[str]:
    with demo_site(sqlite_database) as url:
        yield url


def test_a_participant_applies_and_follows_its_application(browser: Browser, site: str) -> None:
    person = Person(browser, site, "aaic", "ja")
    page = person.sign_in()
    page.locator("nav a", has_text="補助事業").click()
    expect(page.locator("h1")).to_contain_text("FY2023")
    page.locator("main a", has_text="新規申請").first.click()
    expect(page.locator("#representative")).to_contain_text("株式会社AAIC Japan")
    expect(page.locator("select[name=call]")).to_have_value("FY2023")
    page.fill("input[name=title_en]", "Rooftop solar PV at a dairy in Thailand")
    page.fill("input[name=title_ja]", "タイの乳製品工場への屋根置き太陽光発電")
    page.select_option("select[name=partner_country]", label="タイ")
    page.select_option("select[name=technology]", value="solar_pv_rooftop")
    page.fill("input[name=initial_investment_jpy]", "四億")
    page.fill("input[name=requested_subsidy_jpy]", "120000000")
    page.fill("input[name=annual_reduction_tco2]", "2000")
    page.fill("input[name=annual_net_savings_jpy]", "60000000")
    page.fill("input[name=implementation_months]", "18")
    page.get_by_role("button", name="下書き保存").click()
    error = page.locator("#form-error")
    expect(error).to_contain_text("初期投資額")
    expect(page.locator("input[name=title_en]")).to_have_value(
        "Rooftop solar PV at a dairy in Thailand"
    )
    page.fill("input[name=initial_investment_jpy]", "400000000")
    live = page.locator("#live-checks")
    expect(live).to_contain_text("投資回収年数")  # the screening as you type, in words
    expect(live).to_contain_text("適合")
    expect(live).not_to_contain_text("payback_period")
    page.get_by_role("button", name="下書き保存").click()
    expect(page).to_have_url(re.compile(r"/subsidy/applications/FY2023-\d{4}$"))
    ref = page.url.rsplit("/", 1)[-1]
    expect(page.locator("#app-status")).to_have_text("下書き")
    expect(page.locator("main")).to_contain_text("タイ")
    expect(page.locator("#screening-summary")).to_have_count(0)  # screened by the secretariat
    page.get_by_role("button", name="提出", exact=True).click()
    expect(page.locator("#app-status")).to_have_text("提出済")

    page.locator("main a", has_text="申請").first.click()
    rows = page.locator("#application-table tbody tr")
    expect(rows).to_have_count(2)  # its own: the demo's FY2023 one and the new one
    mine = page.locator("#application-table tbody tr", has_text=ref)
    expect(mine).to_contain_text("提出済")
    expect(mine).to_contain_text("タイ")
    expect(page.locator("#application-table")).not_to_contain_text("solar_pv_rooftop")
    person.close()


def test_the_secretariat_screens_selects_adopts_and_exports(browser: Browser, site: str) -> None:
    staff = Person(browser, site, "secretariat", "en")
    page = staff.sign_in()
    page.locator("nav a", has_text="Subsidy").click()
    page.select_option("#call-picker select[name=call]", "FY2022")
    page.get_by_role("button", name="Show").click()
    expect(page.locator("h1")).to_contain_text("FY2022")
    page.select_option("#call-picker select[name=call]", "FY2023")
    page.get_by_role("button", name="Show").click()
    expect(page.locator("h1")).to_contain_text("FY2023")
    page.locator("#status-table a", has_text="submitted").click()
    waiting = page.locator("#application-table tbody tr a")
    expect(waiting).to_have_count(5)
    refs = [waiting.nth(i).inner_text() for i in range(5)]
    for ref in refs:
        page.locator("#application-table a", has_text=ref).click()
        page.get_by_role("button", name="Screen").click()
        expect(page.locator("#app-status")).to_have_text("screened")
        expect(page.locator("#screening-summary")).to_be_visible()
        expect(page.locator("table.checks")).to_contain_text("Payback period")
        page.go_back()
        page.go_back()
    page.goto(site + "/subsidy?call=FY2023")
    page.get_by_role("button", name="Select portfolio").click()
    expect(page).to_have_url(re.compile(r"/subsidy/runs/\d+$"))
    chosen = page.locator("#portfolio-table tbody tr")
    count = chosen.count()
    assert count >= 1
    expect(chosen.first).to_contain_text("screened")
    page.get_by_role("button", name="Adopt this portfolio").click()
    expect(page.locator("#adopted-notice")).to_be_visible()
    for i in range(count):
        expect(chosen.nth(i)).to_contain_text("adopted")
    expect(page.locator("#adopt-form")).to_have_count(0)
    shown = {chosen.nth(i).locator("td").first.inner_text() for i in range(count)}

    with page.expect_download() as got:
        page.get_by_role("link", name="Download the portfolio (CSV)").click()
    text = Path(got.value.path()).read_text(encoding="utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0][:2] == ["id", "partner_country"]
    assert {r[0] for r in rows[1:]} == shown
    with page.expect_download() as got:
        page.get_by_role("link", name="Download the portfolio (Excel)").click()
    book = load_workbook(io.BytesIO(Path(got.value.path()).read_bytes()))
    assert {row[0] for row in list(book["portfolio"].values)[1:]} == shown

    page.locator("#portfolio-table a").first.click()
    expect(page.locator("#app-status")).to_have_text("adopted")
    staff.close()
