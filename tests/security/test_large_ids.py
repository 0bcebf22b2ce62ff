"""An id beyond what a row can hold is refused as invalid (422) or not found (404) — on every
route that takes one, API and pages alike — and never reaches the database as a 500."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient
from starlette.routing import Route

from jcm.db import Database
from jcm.demo import load_demo
from tests.registry_web.helpers import signed_in
from tests.web.helpers import page_routes

HUGE = ["2147483648", str(2**63), str(2**64), "-1", "0"]


def _id_routes(c: TestClient) -> list[str]:
    """Every GET route whose path takes a numeric id (its parameter is named *_id)."""
    paths = []
    for route in page_routes(c.app.routes):  # type: ignore[attr-defined]
        if isinstance(route, Route) and "GET" in (route.methods or set()):
            if re.search(r"{\w*_id}", route.path):
                paths.append(route.path)
    return paths


@pytest.fixture
def staff(database: Database) -> TestClient:
    with database.write() as s:
        load_demo(s)
    return signed_in(database, "secretariat")


def test_every_id_route_answers_a_huge_id_with_404_or_422(staff: TestClient) -> None:
    routes = _id_routes(staff)
    assert {"/api/v1/mrv/periods/{period_id}", "/mrv/periods/{period_id}"} <= set(routes)
    assert any(r.startswith("/subsidy/runs/") for r in routes)
    assert any(r.startswith("/platform/inquiries/") for r in routes)
    for path in routes:
        for value in HUGE:
            url = re.sub(r"{\w+}", value, path)
            r = staff.get(url, headers={"Accept": "text/html"})
            assert r.status_code in (404, 422), (url, r.status_code)


def test_an_offset_beyond_any_row_is_refused(staff: TestClient) -> None:
    assert staff.get("/api/v1/projects", params={"offset": 2**63}).status_code == 422
    assert staff.get("/api/v1/projects", params={"offset": 10}).status_code == 200
