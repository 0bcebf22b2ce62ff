"""X-Forwarded-For is believed only from the reverse proxies in JCM_TRUSTED_PROXIES (none by
default): otherwise a caller could escape the per-client sign-in limit by changing the header
on each try, and write any address into the audit log."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from hypothesis import given
from hypothesis import strategies as st
from pydantic import ValidationError

from jcm.auth.throttle import FREE_CLIENT_FAILURES
from jcm.db import Database
from jcm.demo import load_demo
from jcm.settings import Settings
from jcm.web.app import create_app
from jcm.web.proxies import client_address, parse_trusted
from tests.web.helpers import csrf_of

LOCAL = parse_trusted("127.0.0.1, 10.0.0.0/8")


def test_without_trusted_proxies_the_header_is_ignored() -> None:
    assert client_address("127.0.0.1", "203.0.113.9", ()) == "127.0.0.1"


def test_a_trusted_proxy_passes_on_the_address_it_saw() -> None:
    assert client_address("127.0.0.1", "203.0.113.9", LOCAL) == "203.0.113.9"
    # A client's own forged entry comes before the proxy's: read right to left.
    assert client_address("127.0.0.1", "1.2.3.4, 203.0.113.9", LOCAL) == "203.0.113.9"
    # Two trusted hops: the first untrusted address from the right.
    assert client_address("10.0.0.2", "203.0.113.9, 10.0.0.7", LOCAL) == "203.0.113.9"
    # An untrusted peer's header is never read.
    assert client_address("198.51.100.1", "203.0.113.9", LOCAL) == "198.51.100.1"
    # A proxy that sent no header, or nonsense: the proxy itself.
    assert client_address("127.0.0.1", None, LOCAL) == "127.0.0.1"
    assert client_address("127.0.0.1", "not-an-address", LOCAL) == "127.0.0.1"


@given(forged=st.lists(st.ip_addresses().map(str), max_size=5))
def test_an_untrusted_peer_is_always_its_own_address(forged: list[str]) -> None:
    assert client_address("198.51.100.1", ", ".join(forged), LOCAL) == "198.51.100.1"


def test_a_bad_trusted_proxy_setting_is_refused_naming_it() -> None:
    with pytest.raises(ValidationError, match="not-a-net"):
        Settings(trusted_proxies="127.0.0.1, not-a-net")


def _client(db: Database, trusted: str = "") -> TestClient:
    settings = Settings(environment="test", default_language="en", trusted_proxies=trusted)
    return TestClient(create_app(settings, db=db), client=("127.0.0.1", 50000))


def test_changing_the_header_does_not_escape_the_per_client_limit(
    sqlite_database: Database,
) -> None:
    from tests.conftest import clean

    clean(sqlite_database)
    with sqlite_database.write() as s:
        load_demo(s)
    c = _client(sqlite_database)
    statuses = []
    for attempt in range(FREE_CLIENT_FAILURES + 2):
        token = csrf_of(c.get("/login").text)
        form = {"username": f"nobody-{attempt}", "password": "wrong", "csrf_token": token}
        headers = {"X-Forwarded-For": f"203.0.113.{attempt}"}
        statuses.append(c.post("/login", data=form, headers=headers).status_code)
    assert statuses[-1] == 429  # one client (the loopback peer), however the header changes
    from sqlalchemy import select

    from jcm.auth.models import LoginThrottle

    with sqlite_database.read() as s:
        keys = {row.key for row in s.scalars(select(LoginThrottle))}
    assert "client:127.0.0.1" in keys
    assert not [k for k in keys if k.startswith("client:203.")]
    # Behind a configured proxy, the address it reports is the client's.
    clean(sqlite_database)
    with sqlite_database.write() as s:
        load_demo(s)
    proxied = _client(sqlite_database, trusted="127.0.0.1")
    token = csrf_of(proxied.get("/login").text)
    form = {"username": "nobody", "password": "wrong", "csrf_token": token}
    proxied.post("/login", data=form, headers={"X-Forwarded-For": "203.0.113.5"})
    with sqlite_database.read() as s:
        keys = {row.key for row in s.scalars(select(LoginThrottle))}
    assert "client:203.0.113.5" in keys


def test_the_server_leaves_forwarded_headers_to_the_app(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """uvicorn would otherwise rewrite the client address from X-Forwarded-For on every
    connection from loopback, before the app could judge it."""
    import uvicorn
    from typer.testing import CliRunner

    import jcm.operations.cli
    from jcm.cli import app

    seen: dict[str, object] = {}
    monkeypatch.setattr(uvicorn, "run", lambda *a, **kw: seen.update(kw))
    monkeypatch.setattr(jcm.operations.cli, "require_ready", lambda db: None)
    monkeypatch.setenv("JCM_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("PROMETHEUS_MULTIPROC_DIR", "")  # restored after serve sets it
    result = CliRunner().invoke(app, ["serve", "--port", "8123", "--workers", "2"])
    assert result.exit_code == 0, result.output
    assert seen["proxy_headers"] is False
    assert seen["port"] == 8123
    assert seen["workers"] == 2
    assert seen["factory"] is True
    assert (tmp_path / "metrics").is_dir()
