"""Journey 9, in a real Chromium, in Japanese: the partner government sees its share of each
issuance and its corresponding-adjustment ledger, and downloads its AEF workbook for a year."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from openpyxl import load_workbook
from playwright.sync_api import Browser, expect

from jcm.db import Database
from jcm.registry.rules_aef import SHEETS
from tests.journeys.helpers import Person, demo_site

pytestmark = pytest.mark.browser


@pytest.fixture
def site(sqlite_database: Database) -> Iterator[str]:
    with demo_site(sqlite_database) as url:
        yield url


def test_the_partner_government_follows_its_share_and_downloads_its_aef(
    browser: Browser, site: str, tmp_path: Path
) -> None:
    gov = Person(browser, site, "partner-gov", "ja")
    page = gov.sign_in()
    page.locator("nav a", has_text="登録簿").first.click()
    page.get_by_role("link", name="第6条2項の勘定").click()
    expect(page.locator("#party")).to_have_text("MNG")
    expect(page.locator("select[name=party]")).to_have_count(0)  # its own Party only
    shares = page.locator("#shares-table tbody tr")
    expect(shares).to_have_count(2)  # MN001's 2021 and 2022 issuances
    expect(shares.nth(0)).to_contain_text("11,000")
    expect(shares.nth(0)).to_contain_text("2,200")
    expect(shares.nth(0)).to_contain_text("20.0 %")
    expect(page.locator("#adjustments-table tbody")).to_contain_text("承認済みユニットの初回移転")
    expect(page.locator("#adjustments-net")).to_have_text("+18,300")
    # asking for another Party's page still shows its own
    page.goto(site + "/registry/article6?party=JPN")
    expect(page.locator("#party")).to_have_text("MNG")
    year = date.today().year
    with page.expect_download() as download:
        page.locator("#party-aef li", has_text=str(year)).get_by_role(
            "link", name="AEFブック"
        ).click()
    name = download.value.suggested_filename
    assert re.fullmatch(rf".*MNG.*{year}.*\.xlsx", name)
    saved = tmp_path / name
    download.value.save_as(saved)
    book = load_workbook(saved, read_only=True)
    assert tuple(book.sheetnames) == SHEETS
    # before submitting, the consistency checks of the year: each passed, in words
    expect(page.locator("#checks-heading")).to_contain_text(str(year))
    checks = page.locator("#checks-table tbody tr")
    expect(checks).to_have_count(4)
    for n in range(4):
        expect(checks.nth(n).locator("td").nth(1)).to_have_text("合格")
    expect(checks.nth(3)).to_contain_text("相当調整")
    expect(page.locator("#checks-result")).to_contain_text("整合")
    # an earlier year, chosen on the page
    page.get_by_label("報告年").select_option(str(year - 4))
    page.get_by_role("button", name="チェック").click()
    expect(page.locator("#checks-heading")).to_contain_text(str(year - 4))
    gov.close()
