"""Journeys 7 and 8, in a real Chromium through the pages alone, on SQLite and PostgreSQL.

7. The secretariat issues (in Japanese): a period whose issuance the participant requested
   waits in the issuance queue with its project, period, verified tonnes and a link back to
   the report; the secretariat enters the Joint Committee's decision and proposes the
   issuance; the administrator approves it with a one-time code on /approvals; the credits
   land in the accounts by the allocation and the monitoring period links to them.
8. The participant moves credits (in English): a transfer to an account off its trusted
   list waits for approval, a retirement with purpose and beneficiary runs at once, a
   cancellation waits for approval; each shows in the account's history and the public unit
   look-up.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, expect

from jcm.db import Database
from tests.journeys.helpers import Person, demo_site, registry_verify

pytestmark = pytest.mark.browser


@pytest.fixture
def site(database: Database) -> Iterator[str]:
    with demo_site(database) as url:
        yield url


def test_the_secretariat_issues_a_requested_period(
    browser: Browser, site: str, database: Database
) -> None:
    staff = Person(browser, site, "secretariat", "ja")
    page = staff.sign_in()
    page.locator("nav a", has_text="登録簿").first.click()
    page.get_by_role("link", name="発行", exact=True).click()
    row = page.locator("#requested-table tbody tr", has_text="KE101")
    expect(row).to_have_count(1)
    expect(row).to_contain_text("2024-01-01 – 2024-01-30")
    expect(row.locator("a", has_text="2024-01-01")).to_have_attribute(
        "href", re.compile(r"^/mrv/periods/\d+/report$")
    )
    tonnes = row.locator("td.n").inner_text().replace(",", "")
    row.get_by_label("合同委員会の決定番号").fill("JC-KE-2024-07")
    row.get_by_label("合同委員会の決定日").fill("2024-07-15")
    row.get_by_role("button", name="発行を起案する").click()
    expect(page).to_have_url(re.compile(r"/approvals\?done=\d+"))
    proposal = page.locator("#approvals-table tbody tr").first
    expect(proposal).to_contain_text("発行")
    expect(proposal).to_contain_text("KE101")
    expect(proposal).to_contain_text("JC-KE-2024-07")
    expect(proposal).to_contain_text(f"{int(tonnes):,} tCO2")
    expect(proposal).to_contain_text("この種類の操作は常に第二の担当者の承認が必要です")
    expect(proposal.get_by_role("button", name="承認する")).to_have_count(0)  # not by the proposer

    admin = Person(browser, site, "admin", "ja")
    page_a = admin.sign_in(enrol=True)
    page_a.click("#approvals-link")
    pending = page_a.locator("#approvals-table tbody tr", has_text="JC-KE-2024-07")
    pending.get_by_label("認証コード").fill(admin.code())
    pending.get_by_role("button", name="承認する").click()
    expect(page_a.locator("#approval-done")).to_contain_text("承認済み")

    # the monitoring period now shows the credits, each allocation's units linked to look-up
    page.goto(site + "/mrv/projects/KE101")
    page.locator("table a").first.click()
    issued = page.locator("#period-issuance")
    expect(issued).to_contain_text(f"{int(tonnes):,} tCO2")
    expect(issued).to_contain_text("JP-AAIC-01")
    expect(issued).to_contain_text("KE-GOV-01")
    issued.locator("a").first.click()
    expect(page.locator("#unit-found")).to_contain_text("KE101")
    staff.close()
    admin.close()
    report = registry_verify(database)
    assert report["ok"] is True


def test_the_participant_transfers_retires_and_cancels(
    browser: Browser, site: str, database: Database
) -> None:
    holder = Person(browser, site, "aaic", "en")
    page = holder.sign_in(enrol=True)
    page.locator("nav a", has_text="Registry").first.click()
    page.locator("a", has_text="My accounts").click()
    page.locator("a", has_text="JP-AAIC-01").click()
    balance = int(page.locator("#balance").inner_text().replace(",", ""))

    transfer = page.locator("#transfer-form")
    transfer.get_by_label("To account").fill("JP-TTC-01")
    transfer.get_by_label("Quantity").fill("10")
    transfer.get_by_role("button", name="Transfer").click()
    expect(page).to_have_url(re.compile(r"/approvals\?done=\d+"))
    held = page.locator("#approvals-table tbody tr").first
    expect(held).to_contain_text("Transfer")
    expect(held).to_contain_text("JP-TTC-01")
    expect(held).to_contain_text("not on the sender's trusted list")

    page.goto(site + "/registry/accounts/JP-AAIC-01")
    retire = page.locator("#retire-form")
    retire.get_by_label("Quantity").fill("5")
    retire.get_by_label("Purpose").fill("Offsetting FY2024 business travel")
    retire.get_by_label("Beneficiary").fill("AAIC Japan Co. Ltd.")
    retire.get_by_role("button", name="Retire").click()
    expect(page.locator("#outcome")).to_contain_text("Retirement")
    retired_unit = page.locator("#outcome li a").first.inner_text()
    page.click("#statement-link")
    expect(page.locator("#statement-quantity")).to_have_text("5 tCO2")
    expect(page.locator("#statement-beneficiary")).to_have_text("AAIC Japan Co. Ltd.")
    expect(page.locator("#statement-purpose")).to_have_text("Offsetting FY2024 business travel")
    expect(page.locator("#statement-units")).to_contain_text(retired_unit)
    expect(page.locator("#print-statement")).to_be_visible()
    statement = page.url
    page.goto(site + "/registry/accounts/JP-AAIC-01")
    expect(page.locator("#balance")).to_have_text(f"{balance - 5:,}")

    cancel = page.locator("#cancel-form")
    cancel.get_by_label("Quantity").fill("3")
    cancel.get_by_label("Kind of cancellation").select_option("omge")
    cancel.get_by_role("button", name="Cancel credits").click()
    expect(page).to_have_url(re.compile(r"/approvals\?done=\d+"))
    expect(page.locator("#approvals-table tbody tr").first).to_contain_text(
        "The registry's cancellation account"
    )

    # two approvers, each signing off one request with their authenticator app
    approvers = []
    for who, what in (("admin", "Cancellation"), ("secretariat", "JP-TTC-01")):
        approver = Person(browser, site, who, "en")
        page_s = approver.sign_in(enrol=True)
        page_s.click("#approvals-link")
        row = page_s.locator("#approvals-table tbody tr", has_text=what).first
        row.get_by_label("Authenticator code").fill(approver.code())
        row.get_by_role("button", name="Approve").click()
        expect(page_s.locator("#approval-done")).to_contain_text("Approved")
        approvers.append(approver)

    page.goto(site + "/registry/accounts/JP-AAIC-01")
    expect(page.locator("#balance")).to_have_text(f"{balance - 18:,}")
    history = page.locator("#history-table tbody")
    expect(history).to_contain_text("Retirement")
    expect(history).to_contain_text("Offsetting FY2024 business travel (AAIC Japan Co. Ltd.)")
    expect(history).to_contain_text("Cancellation for OMGE")
    expect(history).to_contain_text("JP-TTC-01")

    # anyone, signed out, looks the retired unit up
    holder.close()
    public = browser.new_page()
    public.goto(site + "/registry/units")
    public.locator("input[name=serial]").fill(retired_unit)
    public.locator("input[name=serial]").press("Enter")
    found = public.locator("#unit-found")
    expect(found).to_contain_text("KE101")
    expect(found).to_contain_text("Retired")
    public.goto(statement)  # the statement is public too
    expect(public.locator("#statement-beneficiary")).to_have_text("AAIC Japan Co. Ltd.")
    public.close()
    for approver in approvers:
        approver.close()
    report = registry_verify(database)
    assert report["ok"] is True
