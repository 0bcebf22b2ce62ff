"""A real Chromium (Debian's package) driven by Playwright against a live server."""

from __future__ import annotations

import os
import shutil
import socket
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager

import pytest
import uvicorn
from sqlalchemy.orm import Session

from jcm.db import Database
from jcm.settings import Settings
from jcm.web.app import create_app

CHROMIUM = os.environ.get("JCM_CHROMIUM", "/usr/bin/chromium")
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def require_chromium() -> None:
    if not shutil.which(CHROMIUM) and not os.path.exists(CHROMIUM):
        if os.environ.get("JCM_TEST_REQUIRE_BROWSER") == "1":
            pytest.fail(f"Chromium is required but {CHROMIUM} is missing")
        pytest.skip("Chromium is not installed")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def live_server(db: Database, default_language: str = "en") -> Iterator[str]:
    app = create_app(Settings(environment="test", default_language=default_language), db=db)
    port = _free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 15
    while not server.started:
        if time.monotonic() > deadline:
            raise RuntimeError("the test server did not start")
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)


@contextmanager
def serve_site(db: Database, load: Callable[[Session], object]) -> Iterator[str]:
    """Empty ``db``, load it in one write transaction with ``load``, and serve it live."""
    from tests.conftest import clean

    clean(db)
    with db.write() as s:
        load(s)
    with live_server(db) as url:
        yield url
