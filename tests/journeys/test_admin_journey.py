"""Journey 5, in a real Chromium through the pages alone, on SQLite and PostgreSQL.

The secretariat (in English) assigns the demo third-party entity to KE101's submitted April
period on its page. The administrator (in Japanese) creates a user — a refused form first,
naming the field — sets role and organisation, and asks for the secretariat role, which a
second administrator (in English) approves on /approvals with a one-time code. The
administrator then resets a participant's second factor (who must set up an authenticator
app again), deactivates the new user (who can no longer sign in), ends the secretariat's
sessions, and finds every one of these actions on the audit page.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page, expect

from jcm.db import Database
from jcm.demo import DEMO_PASSWORD, TPE_NAME, TPE_NAME_JA
from tests.journeys.helpers import Person, demo_site

pytestmark = pytest.mark.browser

TEMP = "maple-river-stone-2024"


@pytest.fixture
def site(database: Database) -> Iterator[str]:
    with demo_site(database) as url:
        yield url


def _log_in(page: Page, site: str, username: str, password: str) -> None:
    page.goto(site + "/login")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    page.click("#login-submit")


def _assign_the_verifier(staff: Person, site: str) -> None:
    page = staff.sign_in()
    page.locator("nav a", has_text="MRV").click()
    row = page.locator("#work-table tbody tr", has_text="Submitted: assign a third-party entity")
    expect(row).to_have_count(1)
    expect(row).to_contain_text("KE101")
    expect(row).to_contain_text("2024-04")
    row.locator("a").click()
    expect(page.locator("#period-status")).to_have_text("Submitted")
    page.get_by_label("Third-party entity").select_option(value=TPE_NAME)
    page.get_by_role("button", name="Assign").click()
    expect(page.locator("#period-status")).to_have_text("Under verification")
    expect(page.locator("dl.facts").first).to_contain_text(TPE_NAME)
    page.goto(site + "/mrv")
    expect(page.locator("#work-table tbody tr", has_text="Submitted: assign")).to_have_count(0)


def test_the_verifier_is_assigned_and_the_administrators_manage_users(
    browser: Browser, site: str
) -> None:
    staff = Person(browser, site, "secretariat", "en")
    _assign_the_verifier(staff, site)

    admin = Person(browser, site, "admin", "ja")
    a = admin.sign_in(enrol=True)
    a.click("#users-link")
    expect(a.locator("#user-verifier")).to_contain_text(TPE_NAME_JA)
    create = a.locator("#create-user")
    create.get_by_label("ユーザー名").fill("tanaka hanako")  # a space is not allowed
    create.get_by_label("表示名").fill("田中 花子")
    create.get_by_label("役割").select_option(label="プロジェクト参加者")
    create.get_by_label("組織").select_option(label="株式会社AAIC Japan")
    create.get_by_label("仮パスワード").fill(TEMP)
    create.get_by_role("button", name="ユーザーを作成する").click()
    expect(a.locator("#problem-username")).to_contain_text("ユーザー名: ユーザー名は英数字")
    expect(a.locator("#user-tanaka")).to_have_count(0)  # nothing was written
    create = a.locator("#create-user")
    create.get_by_label("ユーザー名").fill("tanaka")
    create.get_by_label("組織").select_option(label="株式会社AAIC Japan")
    create.get_by_label("仮パスワード").fill(TEMP)
    create.get_by_role("button", name="ユーザーを作成する").click()
    expect(a.locator("#user-done")).to_have_text("ユーザーを作成しました。")
    expect(a.locator("#user-role")).to_have_text("プロジェクト参加者")
    expect(a.locator("#user-organisation")).to_have_text("株式会社AAIC Japan")

    role = a.locator("#role-form")
    role.get_by_label("役割").select_option(label="第三者機関")
    role.get_by_label("組織").select_option(label=TPE_NAME_JA)
    role.get_by_role("button", name="役割と組織を保存").click()
    expect(a.locator("#user-done")).to_have_text("役割と組織を保存しました。")
    expect(a.locator("#user-role")).to_have_text("第三者機関")
    expect(a.locator("#user-organisation")).to_have_text(TPE_NAME_JA)

    role = a.locator("#role-form")
    role.get_by_label("役割").select_option(label="事務局")
    role.get_by_label("組織").select_option(label="組織なし")
    role.get_by_role("button", name="役割と組織を保存").click()
    expect(a.locator("#user-done")).to_contain_text("別の管理者の承認を待っています")
    expect(a.locator("#user-role")).to_have_text("第三者機関")  # not before the approval
    expect(a.locator("#user-grant")).to_be_visible()
    a.click("#approvals-link")
    mine = a.locator("#approvals-table tbody tr", has_text="tanaka")
    expect(mine).to_contain_text("役割の付与")
    expect(mine.get_by_role("button", name="承認する")).to_have_count(0)  # not by the asker

    second = Person(browser, site, "admin2", "en")
    b = second.sign_in(enrol=True)
    b.goto(site + "/")
    expect(b.locator("#waiting-role_grants_to_approve .count")).to_have_text("1")
    b.locator("#waiting-role_grants_to_approve a").click()
    grant = b.locator("#approvals-table tbody tr", has_text="tanaka")
    expect(grant).to_contain_text("Role grant")
    expect(grant).to_contain_text("田中 花子 (tanaka)")
    expect(grant.locator(".granted-role")).to_have_text("Secretariat")
    expect(grant).to_contain_text("Third-party entity (verifier)")
    expect(grant).to_contain_text(
        "Granting the administrator, secretariat or Joint Committee role needs a second "
        "administrator"
    )
    expect(grant).to_contain_text("admin")
    grant.get_by_label("Authenticator code").fill(second.code())
    grant.get_by_role("button", name="Approve").click()
    expect(b.locator("#approval-done")).to_contain_text("Approved")
    b.goto(site + "/")
    expect(b.locator("#waiting-role_grants_to_approve .count")).to_have_text("0")

    a.goto(site + "/admin/users/tanaka")
    expect(a.locator("#user-role")).to_have_text("事務局")
    expect(a.locator("#user-organisation")).to_have_text("—")

    # the participant's second factor is reset: signed out, asked to set it up again
    holder = Person(browser, site, "aaic", "en")
    h = holder.sign_in(enrol=True)
    a.goto(site + "/admin/users/aaic")
    expect(a.locator("#user-mfa")).to_have_text("設定済み")
    a.get_by_role("button", name="二要素認証をリセット").click()
    expect(a.locator("#user-done")).to_contain_text("二要素認証を削除しました")
    expect(a.locator("#user-mfa")).to_have_text("未設定")
    h.goto(site + "/account")
    expect(h).to_have_url(re.compile(r"/login"))
    _log_in(h, site, "aaic", DEMO_PASSWORD)
    expect(h).to_have_url(re.compile(r"/account/totp"))

    # the new user signs in, is deactivated, is signed out and cannot sign in again
    newcomer = browser.new_context(locale="en-GB")
    n = newcomer.new_page()
    _log_in(n, site, "tanaka", TEMP)
    n.goto(site + "/")
    expect(n.locator("#account-link")).to_be_visible()
    a.goto(site + "/admin/users/tanaka")
    a.get_by_role("button", name="無効にする").click()
    expect(a.locator("#user-done")).to_contain_text("もうログインできません")
    expect(a.locator("#user-active")).to_have_text("無効")
    expect(a.locator("#user-sessions")).to_have_text("0")
    n.goto(site + "/")
    expect(n.locator("#login-link")).to_be_visible()
    _log_in(n, site, "tanaka", TEMP)
    # the pages speak the user's language (Japanese, set at creation) since the sign-in
    expect(n.locator("#login-error")).to_have_text("ユーザー名またはパスワードが違います。")
    newcomer.close()

    # the secretariat's sessions are ended
    a.goto(site + "/admin/users/secretariat")
    expect(a.locator("#user-sessions")).not_to_have_text("0")
    a.get_by_role("button", name="セッションを終了").click()
    expect(a.locator("#user-done")).to_have_text("このユーザーのすべてのセッションを終了しました。")
    expect(a.locator("#user-sessions")).to_have_text("0")
    staff.page.goto(site + "/")
    expect(staff.page.locator("#login-link")).to_be_visible()

    # every action is on the audit page, with who did it
    a.click("#audit-link")
    log = a.locator("#audit-table tbody")
    for action in (
        "mrv.assign",
        "user.create",
        "user.role_change",
        "approval.request",
        "approval.approved",
        "user.mfa_reset",
        "user.deactivate",
        "session.end_all",
    ):
        expect(log.locator("tr", has_text=action).first).to_be_visible()
    expect(log.locator("tr", has_text="approval.approved").first).to_contain_text("admin2")
    expect(log.locator("tr", has_text="user.create").first).to_contain_text("tanaka")
    for person in (staff, admin, second, holder):
        person.close()
