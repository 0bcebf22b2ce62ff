from __future__ import annotations

from fastapi.testclient import TestClient

from jcm import audit
from jcm.auth.service import create_token
from jcm.db import Database
from jcm.demo import DEMO_PASSWORD
from tests.web.helpers import client, csrf_of


def bearer(db: Database, username: str) -> dict[str, str]:
    with db.write() as s:
        token = create_token(s, audit.SYSTEM, username, "test")
    return {"Authorization": f"Bearer {token}"}


def signed_in(db: Database, username: str, lang: str = "en") -> TestClient:
    c = client(db)
    c.cookies.set("jcm_lang", lang)
    token = csrf_of(c.get("/login").text)
    r = c.post(
        "/login",
        data={"username": username, "password": DEMO_PASSWORD, "csrf_token": token},
        follow_redirects=False,
    )
    assert r.status_code == 303
    return c
