"""axe-core (WCAG 2.0/2.1 A and AA, the level JIS X 8341-3:2016 AA asks of public bodies) on
every page a person reaches by following links from the home page, in Japanese and English,
anonymously and as each demo role (the administrators below), on the full demo: 0 violations of any impact. The same
crawl refuses any 5xx, any request to a non-local address and a page whose ``lang`` is not
the chosen language, and reads every text a person sees (outside code and identifier
elements) for what the machine calls things: a label catalogue key or any snake_case word,
``True``/``False``/``None``, raw JSON, an integer of five or more digits without separators,
and, in Japanese, an English message that has a Japanese translation."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urljoin, urlparse

import pytest
from playwright.sync_api import Browser, Page
from sqlalchemy.orm import Session
from starlette.routing import Match, Route

from jcm import audit
from jcm.db import Database
from jcm.demo import DEMO_PASSWORD, load_demo
from jcm.mrv.demo_load import load_mrv_demo
from jcm.platform.demo_load import load_platform_demo
from jcm.registry.demo_load import load_registry_demo
from jcm.settings import Settings
from jcm.subsidy.service_demo import load_subsidy_demo
from jcm.web.app import create_app
from tests.conftest import clean
from tests.web.browser import live_server
from tests.web.helpers import page_routes
from tests.web.wording import text_problems

pytestmark = pytest.mark.browser

AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
DEPTH = 3
PER_ROUTE = 2  # pages of one route share a template: two of each are enough
SKIP = (".xlsx", ".csv", ".json", ".atom", ".pdf", ".zip", ".svg", ".png")


# Every text node a person reads: not inside code, scripts or elements marked as identifiers.
TEXTS = """() => {
  const skip = 'code, kbd, samp, pre, script, style, noscript, template, [data-identifier]';
  const out = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  while (walker.nextNode()) {
    const node = walker.currentNode;
    const text = node.textContent.trim();
    if (text && !node.parentElement.closest(skip)) out.push(text);
  }
  for (const el of document.querySelectorAll('[title], [aria-label], [placeholder], [alt]')) {
    if (el.closest(skip)) continue;
    for (const a of ['title', 'aria-label', 'placeholder', 'alt']) {
      const v = el.getAttribute(a);
      if (v && v.trim()) out.push(v.trim());
    }
  }
  return out;
}"""


def _load_everything(s: Session) -> None:
    ctx = audit.Context(actor="test")
    load_demo(s, ctx)
    load_subsidy_demo(s, ctx)
    load_mrv_demo(s, ctx)
    load_platform_demo(s, ctx)


@pytest.fixture(scope="module")
def site(sqlite_database: Database) -> Iterator[str]:
    clean(sqlite_database)
    with sqlite_database.write() as s:
        _load_everything(s)
    load_registry_demo(sqlite_database, audit.Context(actor="test"))
    with live_server(sqlite_database) as url:
        yield url


@pytest.fixture(scope="module")
def routes(sqlite_database: Database) -> list[Route]:
    return page_routes(create_app(Settings(environment="test"), db=sqlite_database).routes)


def _template(routes: list[Route], path: str) -> str:
    scope = {"type": "http", "method": "GET", "path": path, "root_path": ""}
    for route in routes:
        if route.matches(scope)[0] is Match.FULL:
            return route.path
    return path


def _sign_in(page: Page, site: str, username: str) -> None:
    page.goto(f"{site}/login")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", DEMO_PASSWORD)
    page.locator("main form").first.locator("button[type=submit]").click()
    page.wait_for_load_state()
    assert "/login" not in page.url, f"{username} could not sign in"


def _crawl(
    browser: Browser, site: str, routes: list[Route], who: str, lang: str
) -> tuple[Counter[str], Counter[str]]:
    context = browser.new_context(bypass_csp=True)  # axe is injected as an inline script
    page = context.new_page()
    outside: list[str] = []
    page.on(
        "request",
        lambda r: outside.append(r.url) if not r.url.startswith((site, "data:", "blob:")) else None,
    )
    page.goto(f"{site}/lang/{lang}")
    if who != "anonymous":
        _sign_in(page, site, who)
    axe = AXE.read_text()
    violations: Counter[str] = Counter()
    wording: Counter[str] = Counter()
    seen: set[str] = set()
    per_route: Counter[str] = Counter()
    queue = [("/", 0)]
    while queue:
        path, depth = queue.pop(0)
        if path in seen:
            continue
        seen.add(path)
        template = _template(routes, urlparse(path).path)
        per_route[template] += 1
        if per_route[template] > PER_ROUTE:
            continue
        response = page.goto(site + path)
        assert response is not None
        assert response.status < 500, f"{who}/{lang}: {path} answered {response.status}"
        if "text/html" not in response.headers.get("content-type", ""):
            continue
        assert page.get_attribute("html", "lang") == lang, f"{path}: lang is not {lang}"
        for problem in text_problems(page.evaluate(TEXTS), lang):
            wording[f"{template}: {problem}"] += 1
        page.add_script_tag(content=axe)
        result = page.evaluate(
            "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", TAGS
        )
        for v in result["violations"]:
            for node in v["nodes"]:
                violations[f"{v['id']} on {template}: {node['target']}"] += 1
        if depth >= DEPTH:
            continue
        links = page.eval_on_selector_all("a[href]", "els => els.map(e => e.getAttribute('href'))")
        for href in links:
            url = urlparse(urljoin(site + path, href))
            if url.netloc != urlparse(site).netloc or url.path.endswith(SKIP):
                continue
            if url.path.startswith(("/api/", "/lang/", "/logout", "/static/")):
                continue
            target = url.path + (f"?{url.query}" if url.query else "")
            if target not in seen:
                queue.append((target, depth + 1))
    context.close()
    assert outside == [], f"requests left the server: {outside[:5]}"
    assert len(seen) > 20, f"{who}/{lang}: only {len(seen)} pages reached"
    return violations, wording


@pytest.mark.parametrize("lang", ["ja", "en"])
@pytest.mark.parametrize(
    "who", ["anonymous", "secretariat", "aaic", "verifier", "partner-gov", "jc-member"]
)
def test_every_reachable_page_passes_axe(
    browser: Browser, site: str, routes: list[Route], who: str, lang: str
) -> None:
    if not AXE.exists():
        pytest.fail("axe-core is missing: run `make test` (it installs node_modules from the lock)")
    violations, wording = _crawl(browser, site, routes, who, lang)
    assert not violations, "\n".join(sorted(violations)[:40])
    assert not wording, f"{len(wording)} texts in machine words:\n" + "\n".join(sorted(wording))


def _axe(page: Page) -> list[str]:
    page.add_script_tag(content=AXE.read_text())
    result = page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", TAGS
    )
    return [f"{v['id']}: {n['target']}" for v in result["violations"] for n in v["nodes"]]


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_the_administrators_pages_pass_axe(browser: Browser, site: str, lang: str) -> None:
    """The user pages (with a refused form and a held role grant) and /approvals showing the
    grant, as the administrator — who the crawl above does not sign in as."""
    if not AXE.exists():
        pytest.fail("axe-core is missing: run `make test` (it installs node_modules from the lock)")
    context = browser.new_context(bypass_csp=True)
    page = context.new_page()
    page.goto(f"{site}/lang/{lang}")
    _sign_in(page, site, "admin")
    found: dict[str, list[str]] = {}
    page.goto(f"{site}/admin/users")
    form = page.locator("#create-user")
    form.locator("input[name=username]").fill("no spaces allowed")
    form.locator("input[name=password]").fill("a-long-enough-password")
    form.locator("button[type=submit]").click()
    assert page.locator("#form-error").is_visible()
    found["/admin/users (refused)"] = _axe(page)
    form = page.locator("#create-user")
    form.locator("input[name=username]").fill(f"axe-{lang}")
    form.locator("select[name=role]").select_option(value="secretariat")
    form.locator("input[name=password]").fill("a-long-enough-password")
    form.locator("button[type=submit]").click()
    assert page.locator("#user-done").is_visible()
    found["/admin/users/{username} (held)"] = _axe(page)
    for path in ("/admin/users", "/admin/users/aaic", "/approvals", "/"):
        response = page.goto(site + path)
        assert response is not None
        assert response.status == 200, path
        assert page.get_attribute("html", "lang") == lang
        found[path] = _axe(page)
    context.close()
    assert {k: v for k, v in found.items() if v} == {}
