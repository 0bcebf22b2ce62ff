"""Journey 10, in a real Chromium: every signed-in role's home page says what waits for it,
with counts that match the demo and links that open the page where the work is done."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, expect

from jcm.db import Database
from tests.journeys.helpers import Person, demo_site

pytestmark = pytest.mark.browser


@pytest.fixture
def site(sqlite_database: Database) -> Iterator[str]:
    with demo_site(sqlite_database) as url:
        yield url


# (user, language, {item: count}, the item to follow, where it leads, what the page shows)
HOMES = [
    (
        "secretariat",
        "ja",
        {
            "applications_to_screen": 5,  # the FY2023 call's
            "periods_without_verifier": 1,
            "issuance_requests": 1,
            "approvals_to_decide": 0,
        },
        "issuance_requests",
        r"/registry/issuance$",
        "#requested-table",
    ),
    (
        "admin",
        "en",
        {
            "applications_to_screen": 5,
            "periods_without_verifier": 1,
            "issuance_requests": 1,
            "approvals_to_decide": 0,
            "role_grants_to_approve": 0,
        },
        "role_grants_to_approve",
        r"/approvals$",
        "#approvals-table",
    ),
    ("verifier", "en", {"periods_to_verify": 2}, "periods_to_verify", r"/mrv$", "#work-table"),
    (
        "aaic",
        "ja",
        {"findings_to_answer": 1, "periods_to_request": 1, "own_requests_waiting": 0},
        "findings_to_answer",
        r"/mrv$",
        "#work-table",
    ),
    (
        "jc-member",
        "en",
        {"projects_to_register": 1, "issuance_decisions": 1},
        "projects_to_register",
        r"/projects\?status=validated$",
        "#project-table",
    ),
]


def test_every_role_sees_what_waits_for_it(browser: Browser, site: str) -> None:
    for username, lang, counts, follow, lands, shows in HOMES:
        person = Person(browser, site, username, lang)
        page = person.sign_in()
        page.goto(site + "/")
        for key, count in counts.items():
            expect(page.locator(f"#waiting-{key} .count")).to_have_text(str(count))
        expect(page.locator("#waiting li")).to_have_count(len(counts))
        page.locator(f"#waiting-{follow} a").click()
        expect(page).to_have_url(re.compile(lands))
        expect(page.locator(shows)).to_be_visible()
        person.close()
