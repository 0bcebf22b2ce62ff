"""`jcm serve --workers 2` on PostgreSQL: the workers share nothing in memory, so a session
made on one is valid on the other, the sign-in throttle counts failures across both, and
sixteen clients racing through the two workers for the same units leave one winner."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import threading
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from prometheus_client.multiprocess import MultiProcessCollector

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


@pytest.fixture
def two_workers(
    blank: Blank, tmp_path: Path, request: pytest.FixtureRequest
) -> Iterator[tuple[str, Database, Path]]:
    if request.node.callspec.params["blank"] != "postgresql":
        pytest.skip("the two-worker drill runs on PostgreSQL")
    db = blank()
    upgrade(db.engine)
    with db.write() as s:
        sync_reference_data(s)
        load_demo(s, CTX)
    load_registry_demo(db, CTX)
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = int(sock.getsockname()[1])
    env = {
        **os.environ,
        "JCM_DATABASE_URL": db.engine.url.render_as_string(hide_password=False),
        "JCM_DATA_DIR": str(tmp_path),
        "JCM_ENVIRONMENT": "test",
    }
    server = subprocess.Popen(
        [JCM, "serve", "--port", str(port), "--workers", "2"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while True:
        try:
            if httpx.get(f"{url}/readyz", timeout=2).status_code == 200:
                break
        except httpx.HTTPError:
            pass
        if time.monotonic() > deadline or server.poll() is not None:
            server.kill()
            raise RuntimeError(
                f"the server did not start: {server.stderr.read() if server.stderr else ''}"
            )
        time.sleep(0.2)
    try:
        yield url, db, tmp_path / "metrics"
    finally:
        server.terminate()
        server.wait(timeout=40)


def _served(metrics_dir: Path, route: str) -> Counter[str]:
    """Requests to ``route`` each worker answered, read from its own metrics file."""
    served: Counter[str] = Counter()
    for file in metrics_dir.glob("counter_*.db"):
        for metric in MultiProcessCollector.merge([str(file)], accumulate=True):
            for sample in metric.samples:
                if sample.name == "jcm_http_requests_total" and sample.labels.get("route") == route:
                    served[file.stem] += int(sample.value)
    return served


def _in_parallel(n: int, work: object) -> list[object]:
    results: list[object] = [None] * n
    barrier = threading.Barrier(n)

    def run(i: int) -> None:
        barrier.wait()
        results[i] = work(i)  # type: ignore[operator]

    threads = [threading.Thread(target=run, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return results


def _client(url: str) -> httpx.Client:
    # a new connection per request, so the kernel hands requests to either worker
    return httpx.Client(base_url=url, headers={"connection": "close"}, timeout=30)


@pytest.mark.slow
def test_two_workers_share_sessions_throttles_and_the_registry(
    two_workers: tuple[str, Database, Path],
) -> None:
    url, db, metrics_dir = two_workers

    with _client(url) as browser:
        token = csrf_of(browser.get("/login").text)
        signed_in = browser.post(
            "/login", data={"username": "aaic", "password": DEMO_PASSWORD, "csrf_token": token}
        )
        assert signed_in.status_code == 303
        cookies = dict(browser.cookies)

    def account(_: int) -> int:
        with _client(url) as c:
            c.cookies.update(cookies)
            return sum(c.get("/account").status_code == 200 for _ in range(5))

    # Rounds of parallel requests until both workers have answered some (the kernel picks).
    for _ in range(10):
        assert _in_parallel(8, account) == [5] * 8
        if len(_served(metrics_dir, "/account")) == 2:
            break
    assert len(_served(metrics_dir, "/account")) == 2, "one worker answered every request"

    def wrong(_: int) -> int:
        with _client(url) as c:
            csrf = csrf_of(c.get("/login").text)
            return c.post(
                "/login", data={"username": "kenya", "password": "wrong", "csrf_token": csrf}
            ).status_code

    codes: list[object] = []
    for _ in range(10):
        codes += _in_parallel(8, wrong)
        if 429 in codes and len(_served(metrics_dir, "/login")) == 2:
            break
    assert set(codes) <= {401, 429}
    assert len(_served(metrics_dir, "/login")) == 2
    # Counted across both workers, one attempt after another: of eight made at once, five
    # are free, the sixth fails and starts a wait, the rest are refused until it is over.
    assert codes[:8].count(401) <= 6, codes

    holder = user_with_token(db, "sharp-racer", Role.PARTICIPANT, "Sharp Energy Solutions Corp.")
    with db.read() as s:
        held = service.balance(s, "JP-SHARP-01")
    assert held > 0

    def retire(i: int) -> int:
        with _client(url) as c:
            return c.post(
                "/api/v1/registry/retirements",
                headers={"authorization": f"Bearer {holder}"},
                json={
                    "idempotency_key": f"race-{i}",
                    "from_account": "JP-SHARP-01",
                    "quantity": held,
                    "purpose": "Two-worker race",
                    "beneficiary": "Sharp",
                },
            ).status_code

    outcomes = Counter(_in_parallel(RACERS, retire))
    assert outcomes[200] + outcomes[201] == 1, outcomes
    assert sum(outcomes.values()) == RACERS
    assert all(code in {200, 201, 409, 422} for code in outcomes), outcomes
    with db.read() as s:
        assert service.balance(s, "JP-SHARP-01") == 0
        assert service.verify(s).ok
