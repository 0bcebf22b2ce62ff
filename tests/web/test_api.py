from __future__ import annotations

from jcm import audit
from jcm.auth.rules import SYSTEM_PRINCIPAL, Role
from jcm.db import Database
from jcm.projects.service import create_project
from tests.projects.helpers import project_in
from tests.web.helpers import client, user_with_token

NEW = {
    "ref": "VN050",
    "partner_country": "VNM",
    "title_en": "Small hydro",
    "title_ja": "小水力",
    "technology": "small_hydro",
    "representative_participant": "Hydro Co.",
    "expected_reduction_tco2_per_year": 12000,
    "fiscal_year": 2023,
}


def _seed(db: Database) -> None:
    with db.write() as s:
        create_project(s, audit.SYSTEM, SYSTEM_PRINCIPAL, project_in())
        create_project(
            s,
            audit.SYSTEM,
            SYSTEM_PRINCIPAL,
            project_in(ref="VN001", partner_country="VNM", fiscal_year=2021),
        )


def test_the_list_filters_and_counts(database: Database) -> None:
    _seed(database)
    body = client(database).get("/api/v1/projects", params={"country": "VNM"}).json()
    assert body["total"] == 1
    assert body["items"][0]["ref"] == "VN001"
    assert set(body["items"][0]) >= {
        "ref",
        "partner_country",
        "title_en",
        "title_ja",
        "technology",
        "expected_reduction_tco2_per_year",
        "fiscal_year",
        "status",
        "representative_participant",
    }


def test_a_bad_filter_is_a_problem_naming_the_field(database: Database) -> None:
    r = client(database).get("/api/v1/projects", params={"limit": 0})
    assert r.status_code == 422
    assert r.headers["content-type"].startswith("application/problem+json")
    assert r.json()["field"] == "limit"


def test_an_unknown_project_is_404_problem(database: Database) -> None:
    r = client(database).get("/api/v1/projects/ZZ999")
    assert r.status_code == 404
    assert r.json()["code"] == "not_found"


def test_creating_needs_sign_in(database: Database) -> None:
    r = client(database).post("/api/v1/projects", json=NEW)
    assert r.status_code == 401


def test_secretariat_creates_and_moves_a_project(database: Database) -> None:
    token = user_with_token(database, "sec", Role.SECRETARIAT)
    c = client(database)
    auth = {"Authorization": f"Bearer {token}"}
    assert c.post("/api/v1/projects", json=NEW, headers=auth).status_code == 201
    r = c.post(
        "/api/v1/projects/VN050/transitions",
        json={"to": "applied", "reason": "call FY2023"},
        headers=auth,
    )
    assert r.json()["status"] == "applied"
    skip = c.post("/api/v1/projects/VN050/transitions", json={"to": "credited"}, headers=auth)
    assert skip.status_code == 409
    assert skip.json()["field"] == "status"


def test_a_third_party_entity_may_not_create_projects(database: Database) -> None:
    token = user_with_token(database, "tpe", Role.THIRD_PARTY_ENTITY)
    r = client(database).post(
        "/api/v1/projects", json=NEW, headers={"Authorization": f"Bearer {token}"}
    )
    assert r.status_code == 403


def test_invalid_body_names_the_field(database: Database) -> None:
    token = user_with_token(database, "sec", Role.SECRETARIAT)
    r = client(database).post(
        "/api/v1/projects",
        json={**NEW, "expected_reduction_tco2_per_year": -5},
        headers={"Authorization": f"Bearer {token}"},
    )
    assert r.status_code == 422
    assert r.json()["errors"][0]["field"] == "expected_reduction_tco2_per_year"


def test_openapi_describes_the_project_list(database: Database) -> None:
    spec = client(database).get("/openapi.json").json()
    assert "/api/v1/projects" in spec["paths"]
