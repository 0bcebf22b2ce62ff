"""Server processes share nothing in memory. On one PostgreSQL database, a server started
with `jcm serve --workers 2` and a second server beside it (as two hosts behind a proxy, or
two workers the kernel hands requests to): a session made on one is valid on the other, the
sign-in throttle counts failures made on both, and sixteen clients racing through both for
the same units leave one winner. Requests alternate between the two servers, so every
assertion crosses a process boundary whichever worker the kernel picks."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TypeVar

import httpx
import pytest

from jcm import audit
from jcm.auth.rules import Role
from jcm.db import Database
from jcm.demo import DEMO_PASSWORD, load_demo
from jcm.migrate import upgrade
from jcm.reference.service import sync_reference_data
from jcm.registry import service
from jcm.registry.demo_load import load_registry_demo
from tests.operations.conftest import Blank
from tests.web.helpers import csrf_of, user_with_token

JCM = str(Path(sys.executable).with_name("jcm"))
CTX = audit.Context(actor="test")
RACERS = 16
T = TypeVar("T")


def _port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def _server(db: Database, data_dir: Path, workers: int) -> Iterator[str]:
    """`jcm serve` in its own process group (its workers go with it whatever happens)."""
    data_dir.mkdir()
    port = _port()
    env = {
        **os.environ,
        "JCM_DATABASE_URL": db.engine.url.render_as_string(hide_password=False),
        "JCM_DATA_DIR": str(data_dir),
        "JCM_ENVIRONMENT": "test",
    }
    log = data_dir / "server.log"
    with log.open("wb") as out:
        server = subprocess.Popen(
            [JCM, "serve", "--port", str(port), "--workers", str(workers)],
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                if httpx.get(f"{url}/readyz", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if time.monotonic() > deadline or server.poll() is not None:
                raise RuntimeError(f"the server did not start:\n{log.read_text()[-3000:]}")
            time.sleep(0.2)
        yield url
    finally:
        if server.poll() is None:
            os.killpg(server.pid, signal.SIGTERM)
            try:
                server.wait(timeout=40)
            except subprocess.TimeoutExpired:
                os.killpg(server.pid, signal.SIGKILL)
                server.wait()


@pytest.fixture
def two_servers(blank_postgresql: Blank, tmp_path: Path) -> Iterator[tuple[list[str], Database]]:
    db = blank_postgresql()
    upgrade(db.engine)
    with db.write() as s:
        sync_reference_data(s)
        load_demo(s, CTX)
    load_registry_demo(db, CTX)
    with _server(db, tmp_path / "a", workers=2) as a, _server(db, tmp_path / "b", workers=1) as b:
        yield [a, b], db


def _in_parallel(n: int, work: Callable[[int], T]) -> list[T]:
    results: list[T | None] = [None] * n
    barrier = threading.Barrier(n)

    def run(i: int) -> None:
        barrier.wait()
        results[i] = work(i)

    threads = [threading.Thread(target=run, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return [r for r in results if r is not None]


def _client(url: str) -> httpx.Client:
    return httpx.Client(base_url=url, headers={"connection": "close"}, timeout=30)


@pytest.mark.slow
def test_servers_share_sessions_throttles_and_the_registry(
    two_servers: tuple[list[str], Database],
) -> None:
    urls, db = two_servers

    # A session made on the second server is valid on both, the two-worker one included.
    with _client(urls[1]) as browser:
        token = csrf_of(browser.get("/login").text)
        signed_in = browser.post(
            "/login", data={"username": "aaic", "password": DEMO_PASSWORD, "csrf_token": token}
        )
        assert signed_in.status_code == 303
        cookies = dict(browser.cookies)

    def account(i: int) -> list[int]:
        with _client(urls[i % 2]) as c:
            c.cookies.update(cookies)
            return [c.get("/account").status_code for _ in range(3)]

    assert _in_parallel(8, account) == [[200, 200, 200]] * 8

    # Failures on either server count for one username: of eight made at once, five are
    # free, the sixth starts a wait, and the rest are refused until it is over.
    def wrong(i: int) -> int:
        with _client(urls[i % 2]) as c:
            csrf = csrf_of(c.get("/login").text)
            return c.post(
                "/login", data={"username": "kenya", "password": "wrong", "csrf_token": csrf}
            ).status_code

    codes = _in_parallel(8, wrong)
    assert set(codes) <= {401, 429}
    assert codes.count(401) <= 6, codes
    assert 429 in codes + _in_parallel(2, wrong)

    # Sixteen racers through both servers for every unit one account holds: one winner.
    holder = user_with_token(db, "sharp-racer", Role.PARTICIPANT, "Sharp Energy Solutions Corp.")
    with db.read() as s:
        held = service.balance(s, "JP-SHARP-01")
    assert held > 0

    def retire(i: int) -> int:
        with _client(urls[i % 2]) as c:
            return c.post(
                "/api/v1/registry/retirements",
                headers={"authorization": f"Bearer {holder}"},
                json={
                    "idempotency_key": f"race-{i}",
                    "from_account": "JP-SHARP-01",
                    "quantity": held,
                    "purpose": "Two-server race",
                    "beneficiary": "Sharp",
                },
            ).status_code

    outcomes = Counter(_in_parallel(RACERS, retire))
    assert outcomes[200] + outcomes[201] == 1, outcomes
    assert sum(outcomes.values()) == RACERS
    assert set(outcomes) <= {200, 201, 409, 422}, outcomes
    with db.read() as s:
        assert service.balance(s, "JP-SHARP-01") == 0
        assert service.verify(s).ok

    # The two-worker server adds up its workers' metrics in one scrape.
    with _client(urls[0]) as c:
        scraped = c.get("/metrics").text
    assert 'jcm_http_requests_total{method="GET",route="/account",status="200"}' in scraped
