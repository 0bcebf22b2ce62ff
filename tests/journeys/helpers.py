"""What every journey needs: a fresh demo database served on loopback, people who sign in
through the pages (setting up their authenticator app there when the product asks), and the
registry's own check run from the command line once the journey is over."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pyotp
from playwright.sync_api import Browser, Page, expect

from jcm import audit
from jcm.db import Database
from jcm.demo import DEMO_PASSWORD, load_demo
from jcm.mrv.demo_load import load_mrv_demo
from jcm.platform.demo_load import load_platform_demo
from jcm.registry.demo_load import load_registry_demo
from jcm.subsidy.service_demo import load_subsidy_demo
from tests.web.browser import live_server


@contextmanager
def demo_site(db: Database) -> Iterator[str]:
    """Empty ``db``, load everything ``jcm demo load`` loads, and serve it."""
    from tests.conftest import clean

    clean(db)
    with db.write() as s:
        load_demo(s, audit.SYSTEM)
        load_subsidy_demo(s, audit.SYSTEM)
        load_mrv_demo(s, audit.SYSTEM)
        load_platform_demo(s, audit.SYSTEM)
    load_registry_demo(db, audit.SYSTEM)
    with live_server(db) as url:
        yield url


class Person:
    """One demo user in a browser of their own, in their language."""

    def __init__(self, browser: Browser, site: str, username: str, lang: str) -> None:
        self.site = site
        self.username = username
        self.context = browser.new_context(locale="ja-JP" if lang == "ja" else "en-GB")
        self.page: Page = self.context.new_page()
        self.totp: pyotp.TOTP | None = None
        self.lang = lang

    def sign_in(self, *, enrol: bool = False) -> Page:
        """Sign in from the home page; when asked to set up an authenticator app, do so
        (``enrol``) or choose "later"."""
        page = self.page
        page.goto(self.site + f"/lang/{self.lang}?next=/")
        page.click("#login-link")
        page.fill("input[name=username]", self.username)
        page.fill("input[name=password]", DEMO_PASSWORD)
        if self.totp is not None:
            page.fill("#totp-code", self.totp.now())
        page.click("#login-submit")
        if "/account/totp" in page.url:
            if enrol:
                self._enrol()
            else:
                page.locator("main a", has_text="Later" if self.lang == "en" else "後で").click()
        expect(page.locator("#account-link")).to_be_visible()
        return page

    def _enrol(self) -> None:
        page = self.page
        page.fill("input[name=password]", DEMO_PASSWORD)
        page.click("#totp-start")
        secret = page.locator("#totp-secret").inner_text().strip()
        self.totp = pyotp.TOTP(secret)
        page.fill("input[name=totp_code]", self.totp.now())
        page.click("#totp-confirm")

    def code(self) -> str:
        """The authenticator app's code, a step ahead of the one used to enrol or sign in
        (a code is accepted once)."""
        assert self.totp is not None
        return self.totp.at(time.time() + 30)

    def close(self) -> None:
        self.context.close()


def registry_verify(db: Database) -> dict[str, object]:
    """``jcm registry verify --json`` on the journey's database, as an operator would run it."""
    url = db.engine.url.render_as_string(hide_password=False)
    env = {**os.environ, "JCM_DATABASE_URL": url}
    done = subprocess.run(
        [str(Path(sys.executable).parent / "jcm"), "registry", "verify", "--json"],
        capture_output=True,
        text=True,
        env=env,
        check=False,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    report: dict[str, object] = json.loads(done.stdout)
    return report
