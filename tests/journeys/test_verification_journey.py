"""Journey 6, in a real Chromium through the pages alone: the verifier (in Japanese) finds the
period assigned to its organisation on its own list, the participant (in English) answers the
open finding from its list, the verifier closes it and gives a positive opinion, and the
participant requests issuance — which puts the period in the secretariat's issuance queue."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, expect

from jcm.db import Database
from jcm.mrv.workflow import STATUS_JA, PeriodStatus
from tests.journeys.helpers import Person, demo_site

pytestmark = pytest.mark.browser


@pytest.fixture
def site(sqlite_database: Database) -> Iterator[str]:
    with demo_site(sqlite_database) as url:
        yield url


def test_the_verifier_verifies_after_the_participant_answers(browser: Browser, site: str) -> None:
    verifier = Person(browser, site, "verifier", "ja")
    v = verifier.sign_in()
    v.locator("nav a", has_text="MRV").click()
    expect(v.locator("#work-table tbody tr")).to_have_count(2)  # KE101 and PH102 under its review
    mine = v.locator("#work-table tbody tr", has_text="KE101")
    expect(mine).to_contain_text("検証：報告書を確認し")
    mine.locator("a").click()
    period_url = v.url
    finding = v.locator(".findings li").first
    expect(finding).to_contain_text("calibration certificate")
    expect(finding.locator("button[value=close]")).to_be_visible()

    holder = Person(browser, site, "aaic", "en")
    p = holder.sign_in()
    p.locator("nav a", has_text="MRV").click()
    todo = p.locator("#work-table tbody tr", has_text="Answer the verifier's findings")
    expect(todo).to_have_count(1)
    todo.locator("a").click()
    assert p.url == period_url
    answer = p.locator(".findings li").first
    answer.get_by_label("Response").fill("Certificate HY-CAL-2024-03 attached, valid to 2025.")
    answer.get_by_role("button", name="Answer").click()
    expect(p.locator(".findings li").first).to_contain_text("HY-CAL-2024-03")

    v.reload()
    v.locator(".findings li").first.locator("button[value=close]").click()
    expect(v.locator(".findings li").first.locator("button[value=close]")).to_have_count(0)
    v.locator("input[name=text]").last.fill("検証の結果、主張された削減量を確認した。")
    v.locator("button[value=positive]").click()
    expect(v.locator("#period-status")).to_have_text(STATUS_JA[PeriodStatus.VERIFIED])
    v.goto(site + "/mrv")
    expect(v.locator("#work-table tbody tr")).to_have_count(1)  # PH102 is left

    p.goto(site + "/mrv")
    ready = p.locator("#work-table tbody tr", has_text="Verified: request issuance")
    expect(ready).to_have_count(2)  # February (from the demo) and March (just verified)
    p.goto(period_url)
    p.get_by_role("button", name="Request issuance").click()
    expect(p.locator("#period-status")).to_have_text("Issuance requested")
    expect(p.locator("#period-issuance")).to_contain_text("waiting for the secretariat")

    staff = Person(browser, site, "secretariat", "en")
    s = staff.sign_in()
    s.goto(site + "/registry/issuance")
    expect(s.locator("#requested-table tbody tr", has_text="2024-03-02")).to_have_count(1)
    for person in (verifier, holder, staff):
        person.close()
