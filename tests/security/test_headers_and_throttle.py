"""Every page type carries the security headers, for the anonymous and for staff; repeated
sign-in failures are slowed (429 with Retry-After), without locking the real user out."""

from __future__ import annotations

import time

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from starlette.routing import Route

from jcm.auth.models import LoginThrottle
from jcm.auth.throttle import FREE_USER_FAILURES
from jcm.db import Database
from jcm.demo import DEMO_PASSWORD, load_demo
from jcm.settings import Settings
from jcm.web.app import create_app
from tests.conftest import clean
from tests.web.helpers import csrf_of, page_routes

# Pages that stream a download rather than render; their headers are checked all the same.
WITH_PARAMETERS = ["/projects/TH101", "/projects/KE101", "/projects/NO-SUCH-PROJECT"]


@pytest.fixture(scope="module")
def demo(sqlite_database: Database) -> Database:
    clean(sqlite_database)
    with sqlite_database.write() as s:
        load_demo(s)
    return sqlite_database


def _client(db: Database, address: str = "testclient") -> TestClient:
    app = create_app(Settings(environment="test", default_language="en"), db=db)
    return TestClient(app, client=(address, 50000))


def _sign_in(c: TestClient, username: str, password: str = DEMO_PASSWORD) -> int:
    token = csrf_of(c.get("/login").text)
    form = {"username": username, "password": password, "csrf_token": token}
    return c.post("/login", data=form, follow_redirects=False).status_code


def _get_pages(c: TestClient) -> list[str]:
    paths = []
    for route in page_routes(c.app.routes):  # type: ignore[attr-defined]
        if not isinstance(route, Route) or "GET" not in (route.methods or set()):
            continue
        if "{" in route.path or route.path.startswith(("/api/", "/openapi", "/docs")):
            continue
        paths.append(route.path)
    return sorted(set(paths)) + WITH_PARAMETERS


def _assert_secure(path: str, headers: dict[str, str]) -> None:
    csp = headers.get("content-security-policy", "")
    directives = {d.split()[0]: d for d in (x.strip() for x in csp.split(";")) if d}
    assert "script-src" in directives, path
    assert "'unsafe-inline'" not in directives["script-src"], path
    assert "'unsafe-eval'" not in directives["script-src"], path
    assert directives.get("frame-ancestors") == "frame-ancestors 'none'", path
    assert headers.get("x-content-type-options") == "nosniff", path
    assert headers.get("referrer-policy") in {"same-origin", "no-referrer", "strict-origin"}, path
    assert headers.get("x-frame-options") == "DENY", path


@pytest.mark.parametrize("who", ["anonymous", "secretariat"])
def test_every_page_carries_the_security_headers(demo: Database, who: str) -> None:
    c = _client(demo)
    if who != "anonymous":
        assert _sign_in(c, who) == 303
    pages = _get_pages(c)
    assert len(pages) > 20
    statuses = {}
    for path in pages:
        response = c.get(path, headers={"Accept": "text/html"}, follow_redirects=False)
        assert response.status_code < 500, path
        statuses[path] = response.status_code
        _assert_secure(path, dict(response.headers))
    assert statuses["/projects/TH101"] == 200
    assert statuses["/projects/NO-SUCH-PROJECT"] == 404
    # The API and the schema carry them too.
    _assert_secure("/openapi.json", dict(c.get("/openapi.json").headers))
    _assert_secure("/api/v1/projects", dict(c.get("/api/v1/projects").headers))


def test_repeated_failures_are_slowed_but_the_real_user_is_not_locked_out(
    database: Database,
) -> None:
    with database.write() as s:
        load_demo(s)
    attacker = _client(database, "203.0.113.9")
    for _ in range(FREE_USER_FAILURES):
        assert _sign_in(attacker, "aaic", "wrong-password-123") == 401  # the free tries
    assert _sign_in(attacker, "aaic", "wrong-password-123") == 401  # starts the wait
    token = csrf_of(attacker.get("/login").text)
    form = {"username": "aaic", "password": "wrong-password-123", "csrf_token": token}
    slowed = attacker.post("/login", data=form, follow_redirects=False)
    assert slowed.status_code == 429
    assert int(slowed.headers["Retry-After"]) >= 1
    assert "try again in" in slowed.text.lower()

    # Another user from the attacker's own address is not held up by aaic's counter.
    assert _sign_in(attacker, "secretariat") == 303

    # The real user, from another address, signs in once the (short) wait is over.
    time.sleep(int(slowed.headers["Retry-After"]) + 0.1)
    assert _sign_in(_client(database, "198.51.100.7"), "aaic") == 303

    # A success resets the username's counter: the next mistake is a plain 401, not a wait.
    with database.read() as s:
        assert s.scalar(select(LoginThrottle).where(LoginThrottle.key == "user:aaic")) is None
    assert _sign_in(_client(database, "198.51.100.7"), "aaic", "wrong-password-123") == 401


def test_failures_made_at_the_same_moment_are_all_counted(database: Database) -> None:
    """Eight wrong passwords for one new username, each in its own transaction at once (as
    eight server workers would): every one is counted, none fails on the new row, and an
    attempt after them waits."""
    import threading

    from jcm.auth import throttle

    barrier = threading.Barrier(8)
    errors: list[Exception] = []

    def fail() -> None:
        barrier.wait()
        try:
            database.run(lambda s: throttle.failed(s, "parallel-guesser", None))
        except Exception as exc:  # collected and asserted on below
            errors.append(exc)

    threads = [threading.Thread(target=fail) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    with database.read() as s:
        row = s.get(LoginThrottle, "user:parallel-guesser")
        assert row is not None
        assert row.failures == 8
        with pytest.raises(throttle.TooManyAttempts):
            throttle.check(s, "parallel-guesser", None)
