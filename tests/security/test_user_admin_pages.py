"""The administrator's user pages and role grants on /approvals, through the web forms."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from jcm.audit import AuditEntry
from jcm.auth.models import User
from jcm.db import Database
from jcm.demo import load_demo
from tests.registry_web.helpers import signed_in
from tests.security.helpers import enrol
from tests.web.helpers import csrf_of

TEMP = "a-temporary-pass-2024"


@pytest.fixture
def world(sqlite_database: Database) -> Database:
    from tests.conftest import clean

    clean(sqlite_database)
    with sqlite_database.write() as s:
        load_demo(s)
    return sqlite_database


def _post(c: TestClient, path: str, page: str, **form: str) -> object:
    token = csrf_of(c.get(page).text)
    return c.post(path, data={"csrf_token": token, **form}, follow_redirects=False)


def _counts(db: Database) -> tuple[int, int]:
    with db.read() as s:
        users = s.scalar(select(func.count()).select_from(User)) or 0
        entries = s.scalar(select(func.count()).select_from(AuditEntry)) or 0
    return users, entries


def test_the_list_shows_role_organisation_second_factor_and_sign_in(world: Database) -> None:
    c = signed_in(world, "admin", "ja")
    page = c.get("/admin/users").text
    row = re.search(r'<tr id="user-verifier">(.*?)</tr>', page, re.S)
    assert row is not None
    assert "第三者機関" in row.group(1)
    assert "JCM検証サービス（例示）" in row.group(1)
    assert "未設定" in row.group(1)
    assert "可" in row.group(1)
    assert 'href="/admin/users"' in page  # the header links the administrator here
    assert signed_in(world, "secretariat").get("/admin/users").status_code == 403


@pytest.mark.parametrize(
    ("lang", "names"),
    [
        ("ja", ["ユーザー名: ", "仮パスワード: ", "組織: ", "メールアドレス（任意）: "]),
        ("en", ["Username: ", "Temporary password: ", "Organisation: ", "Email (optional): "]),
    ],
)
def test_a_refused_form_names_each_field_in_the_page_language(
    world: Database, lang: str, names: list[str]
) -> None:
    c = signed_in(world, "admin", lang)
    before = _counts(world)
    r = _post(
        c,
        "/admin/users",
        "/admin/users",
        username="x",
        password="short",
        role="participant",
        email="not an email",
        language="ja",
    )
    assert r.status_code == 422  # type: ignore[attr-defined]
    html = r.text  # type: ignore[attr-defined]
    assert 'role="alert"' in html
    for name in names:
        assert name in html
    assert 'aria-invalid="true" aria-describedby="problem-username"' in html
    assert _counts(world) == before


def test_create_then_change_role_then_hold_a_secretariat_grant(world: Database) -> None:
    c = signed_in(world, "admin", "en")
    with world.read() as s:
        from jcm.reference.models import Organisation

        aaic = s.scalar(select(Organisation.id).where(Organisation.name_en.startswith("AAIC")))
    r = _post(
        c,
        "/admin/users",
        "/admin/users",
        username="tanaka",
        display_name="Tanaka Hanako",
        role="participant",
        organisation=str(aaic),
        password=TEMP,
        language="ja",
    )
    assert r.status_code == 303  # type: ignore[attr-defined]
    assert r.headers["location"] == "/admin/users/tanaka?done=created"  # type: ignore[attr-defined]
    page = c.get("/admin/users/tanaka?done=created").text
    assert 'role="status"' in page
    assert "The user was created." in page
    r = _post(
        c, "/admin/users/tanaka/role", "/admin/users/tanaka", role="secretariat", organisation=""
    )
    assert "done=held" in r.headers["location"]  # type: ignore[attr-defined]
    page = c.get(r.headers["location"]).text  # type: ignore[attr-defined]
    assert "waits for a second administrator" in page
    assert re.search(r'id="user-role">Project participant<', page)

    other = signed_in(world, "admin2", "ja")
    approvals = other.get("/approvals").text
    assert "役割の付与" in approvals
    assert "Tanaka Hanako (tanaka)" in approvals
    assert "事務局" in approvals
    assert "管理者・事務局・合同委員会の役割の付与には別の管理者の承認が必要です" in approvals
    assert "承認する" in approvals
    own = c.get("/approvals").text
    assert "Role grant" in own
    assert "Approve</button>" not in own  # not by the one who asked
    assert "Role grant" not in signed_in(world, "secretariat").get("/approvals").text
    home = other.get("/").text
    assert re.search(r'id="waiting-role_grants_to_approve">.*?class="count">1<', home)

    code = enrol(world, "admin2")
    op = re.search(r'action="/approvals/(\d+)/approve"', approvals)
    assert op is not None
    token = csrf_of(approvals)
    import time

    r = other.post(
        f"/approvals/{op.group(1)}/approve",
        data={"csrf_token": token, "totp_code": code.at(time.time() + 30)},
        follow_redirects=False,
    )
    assert r.status_code == 303
    assert re.search(r'id="user-role">Secretariat<', c.get("/admin/users/tanaka").text)


def test_an_administrator_cannot_lock_themselves_out(world: Database) -> None:
    c = signed_in(world, "admin", "ja")
    before = _counts(world)
    r = _post(c, "/admin/users/admin/active", "/admin/users/admin", active="no")
    assert r.status_code == 422  # type: ignore[attr-defined]
    assert "ログイン可否: 自分自身のアカウントは無効にできません" in r.text  # type: ignore[attr-defined]
    r = _post(c, "/admin/users/admin/role", "/admin/users/admin", role="participant")
    assert r.status_code == 422  # type: ignore[attr-defined]
    assert "役割: 自分自身から管理者の役割を外すことはできません" in r.text  # type: ignore[attr-defined]
    assert _counts(world) == before


def test_reset_deactivate_and_end_sessions_show_a_notice(world: Database) -> None:
    holder = signed_in(world, "aaic")
    enrol(world, "aaic")
    c = signed_in(world, "admin", "en")
    r = _post(c, "/admin/users/aaic/mfa-reset", "/admin/users/aaic")
    assert r.headers["location"] == "/admin/users/aaic?done=mfa"  # type: ignore[attr-defined]
    page = c.get("/admin/users/aaic?done=mfa").text
    assert 'id="user-mfa">Not set up<' in page
    assert holder.get("/account", follow_redirects=False).status_code == 401  # signed out
    holder = signed_in(world, "aaic")
    r = _post(c, "/admin/users/aaic/end-sessions", "/admin/users/aaic")
    assert r.headers["location"] == "/admin/users/aaic?done=sessions"  # type: ignore[attr-defined]
    assert "All sessions of this user were ended." in c.get("/admin/users/aaic?done=sessions").text
    assert holder.get("/account", follow_redirects=False).status_code == 401
    r = _post(c, "/admin/users/aaic/active", "/admin/users/aaic", active="no")
    page = c.get(r.headers["location"]).text  # type: ignore[attr-defined]
    assert "they can no longer sign in" in page
    assert 'id="user-active">Deactivated<' in page
    login = TestClient(c.app)
    token = csrf_of(login.get("/login").text)
    from jcm.demo import DEMO_PASSWORD

    r = login.post(
        "/login",
        data={"username": "aaic", "password": DEMO_PASSWORD, "csrf_token": token},
        follow_redirects=False,
    )
    assert r.status_code != 303
    assert "The username or password is wrong." in r.text


def test_forms_without_the_csrf_token_are_refused(world: Database) -> None:
    c = signed_in(world, "admin")
    before = _counts(world)
    for path in ("/admin/users/aaic/active", "/admin/users/aaic/mfa-reset", "/admin/users"):
        r = c.post(path, data={"csrf_token": "wrong", "active": "no"}, follow_redirects=False)
        assert r.status_code == 403
    assert _counts(world) == before
