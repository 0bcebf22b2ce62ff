from __future__ import annotations

import time

import pyotp
from fastapi.testclient import TestClient
from sqlalchemy import select

from jcm import audit
from jcm.auth import totp
from jcm.auth.models import User
from jcm.db import Database


def enrol(db: Database, username: str) -> pyotp.TOTP:
    """Give a user a confirmed second factor; its confirmation used the previous step."""
    earlier = time.time() - 30
    with db.write() as s:
        user = s.scalar(select(User).where(User.username == username))
        assert user is not None
        secret, _ = totp.begin_enrolment(s, user)
        code = pyotp.TOTP(secret).at(earlier)
        totp.confirm_enrolment(s, audit.SYSTEM, user, code, at=earlier)
    return pyotp.TOTP(secret)


def api_headers(c: TestClient) -> dict[str, str]:
    """The CSRF header a cookie-authenticated JSON call must send."""
    return {"X-CSRF-Token": c.cookies.get("jcm_csrf") or ""}
