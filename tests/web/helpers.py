from __future__ import annotations

import re

from fastapi.testclient import TestClient
from starlette.routing import BaseRoute, Route

from jcm import audit
from jcm.auth.rules import Role
from jcm.auth.service import create_token, create_user
from jcm.db import Database
from jcm.settings import Settings
from jcm.web.app import create_app

PASSWORD = "correct-horse-battery"


def client(db: Database) -> TestClient:
    return TestClient(create_app(Settings(environment="test", default_language="en"), db=db))


def user_with_token(
    db: Database, username: str, role: Role, organisation: str | None = None
) -> str:
    with db.write() as s:
        create_user(
            s,
            audit.SYSTEM,
            username=username,
            password=PASSWORD,
            role=role,
            organisation=organisation,
        )
        return create_token(s, audit.SYSTEM, username, "test")


def csrf_of(html: str) -> str:
    found = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert found, "no CSRF token on the page"
    return found.group(1)


def page_routes(routes: list[BaseRoute]) -> list[Route]:
    """Every route of the app, with the included routers' routes flattened in."""
    out: list[Route] = []
    for route in routes:
        inner = getattr(route, "original_router", None)  # an included router
        if inner is not None:
            out.extend(page_routes(inner.routes))
        elif isinstance(route, Route):
            out.append(route)
    return out
