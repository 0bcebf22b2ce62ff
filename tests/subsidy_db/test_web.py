from __future__ import annotations

import csv
import io

import pytest
from fastapi.testclient import TestClient
from openpyxl import load_workbook

from jcm import audit
from jcm.auth.rules import Role
from jcm.auth.service import create_token, create_user
from jcm.db import Database
from jcm.settings import Settings
from jcm.subsidy.service_demo import load_subsidy_demo
from jcm.web.app import create_app
from tests.subsidy_db.helpers import REPRESENTATIVE, record

CTX = audit.Context(actor="tester")


def _client(db: Database) -> tuple[TestClient, dict[str, str]]:
    with db.write() as s:
        create_user(
            s, CTX, username="secretary", password="long-enough-password", role=Role.SECRETARIAT
        )
        token = create_token(s, CTX, "secretary", "test")
    return TestClient(create_app(Settings(environment="test"), db=db)), {
        "Authorization": f"Bearer {token}"
    }


def test_the_api_takes_an_application_from_draft_to_adoption(database: Database) -> None:
    client, auth = _client(database)
    body = {"title_en": "Solar", "representative": REPRESENTATIVE, "application": record()}
    assert client.post("/api/v1/subsidy/applications", json=body, headers=auth).status_code == 201
    assert (
        client.post("/api/v1/subsidy/applications/APP-001/submit", headers=auth).status_code == 200
    )
    screened = client.post("/api/v1/subsidy/applications/APP-001/screen", json={}, headers=auth)
    assert screened.json()["screening"]["eligible"] is True
    adopted = client.post(
        "/api/v1/subsidy/applications/APP-001/decision", json={"decision": "adopt"}, headers=auth
    )
    assert adopted.json()["status"] == "adopted"
    assert (
        client.get(f"/api/v1/projects/{adopted.json()['project_ref']}").json()["status"]
        == "adopted"
    )


def test_an_anonymous_caller_cannot_create_but_can_screen_ad_hoc(database: Database) -> None:
    client, _ = _client(database)
    body = {"title_en": "Solar", "representative": REPRESENTATIVE, "application": record()}
    refused = client.post("/api/v1/subsidy/applications", json=body)
    assert refused.status_code == 401
    assert refused.headers["content-type"] == "application/problem+json"
    screened = client.post("/api/v1/subsidy/screen", json={"application": record()})
    assert screened.status_code == 200
    assert {c["rule"] for c in screened.json()["checks"]} >= {"cost_effectiveness", "rate_cap"}
    bad = client.post(
        "/api/v1/subsidy/screen", json={"application": record(initial_investment_jpy="x")}
    )
    assert bad.status_code == 422


def test_a_malformed_file_is_rejected_through_the_api(database: Database) -> None:
    client, auth = _client(database)
    response = client.post(
        "/api/v1/subsidy/imports",
        headers=auth,
        data={"representative": REPRESENTATIVE},
        files={"file": ("apps.json", b'[{"id": "X"}]', "application/json")},
    )
    assert response.status_code == 422
    assert client.get("/api/v1/subsidy/applications", headers=auth).json() == []


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_the_subsidy_pages_render_in_both_languages(database: Database, lang: str) -> None:
    client, auth = _client(database)
    with database.write() as s:
        run_id = load_subsidy_demo(s, CTX)
    pages = [
        "/subsidy",
        "/subsidy/applications",
        "/subsidy/applications/new",
        "/subsidy/applications/ILL-01",
        f"/subsidy/runs/{run_id}",
    ]
    for page in pages:
        response = client.get(f"{page}?lang={lang}", headers=auth)
        assert response.status_code == 200, page
        assert "<script>" not in response.text
    overview = client.get(f"/subsidy?lang={lang}").text
    assert ("補助" in overview) == (lang == "ja")
    export = client.get(f"/subsidy/runs/{run_id}/portfolio.xlsx", headers=auth)
    assert export.headers["content-type"].startswith("application/vnd.openxmlformats")
    assert client.get("/subsidy/template.xlsx").status_code == 200


def test_the_portfolio_csv_holds_the_same_rows_as_the_workbook(database: Database) -> None:
    client, auth = _client(database)
    with database.write() as s:
        run_id = load_subsidy_demo(s, CTX)
    response = client.get(f"/subsidy/runs/{run_id}/portfolio.csv", headers=auth)
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/csv")
    assert response.content.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    book = load_workbook(
        io.BytesIO(client.get(f"/subsidy/runs/{run_id}/portfolio.xlsx", headers=auth).content)
    )
    sheet = [["" if v is None else str(v) for v in row] for row in book["portfolio"].values]
    assert rows[0][:3] == ["id", "partner_country", "technology"]
    assert len(rows) > 1
    assert rows == sheet
