from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from jcm import audit
from jcm.auth.rules import Role
from jcm.db import Database
from jcm.platform.demo_load import EVENT_KEY, load_platform_demo
from tests.web.helpers import client, user_with_token

API = "/api/v1/platform"
JFE = "JFE Engineering Corporation"


@pytest.fixture
def setup(database: Database) -> tuple[TestClient, dict[str, dict[str, str]]]:
    with database.write() as s:
        load_platform_demo(s, audit.SYSTEM)
    heads = {
        "desk": user_with_token(database, "desk", Role.SECRETARIAT),
        "jfe": user_with_token(database, "jfe", Role.PARTICIPANT, JFE),
        "city": user_with_token(database, "city", Role.PARTNER_GOVERNMENT),
    }
    return client(database), {k: {"Authorization": f"Bearer {v}"} for k, v in heads.items()}


TECH = {
    "sector": "waste_to_energy",
    "technology_code": "waste_to_energy",
    "name_en": "Sludge incinerator",
    "name_ja": "汚泥焼却炉",
    "description_en": "Sewage sludge incineration",
    "countries": ["VNM"],
    "climates": ["tropical"],
}


def test_technology_round_trip_with_review(
    setup: tuple[TestClient, dict[str, dict[str, str]]],
) -> None:
    c, h = setup
    created = c.post(f"{API}/technologies", json=TECH, headers=h["jfe"])
    assert created.status_code == 201, created.text
    key = created.json()["key"]
    assert c.get(f"{API}/technologies/{key}").status_code == 404  # drafts are not public
    changed = c.put(
        f"{API}/technologies/{key}", json=TECH | {"name_en": "Sludge kiln"}, headers=h["jfe"]
    )
    assert changed.json()["name_en"] == "Sludge kiln"
    review = f"{API}/technologies/{key}/review"
    assert c.post(review, json={"to_status": "in_review"}, headers=h["jfe"]).status_code == 200
    refused = c.post(review, json={"to_status": "published"}, headers=h["jfe"])
    assert refused.status_code == 403
    assert refused.headers["content-type"].startswith("application/problem+json")
    done = c.post(review, json={"to_status": "published", "note": "ok"}, headers=h["desk"])
    assert done.json()["status"] == "published"
    assert [x["to"] for x in done.json()["history"]] == ["draft", "in_review", "published"]
    found = c.get(f"{API}/technologies", params={"q": "汚泥"}).json()
    assert key in [t["key"] for t in found]
    matches = c.get(f"{API}/technologies/{key}/matches").json()
    assert matches
    assert matches[0]["explanation"]
    bad = c.post(f"{API}/technologies", json=TECH | {"technology_code": "nope"}, headers=h["jfe"])
    assert bad.status_code == 422
    assert bad.headers["content-type"].startswith("application/problem+json")


def test_needs_and_inquiries_round_trip(
    setup: tuple[TestClient, dict[str, dict[str, str]]],
) -> None:
    c, h = setup
    need = {
        "requester": "Thuan Thanh Environment JSC",
        "country_iso3": "VNM",
        "sector": "waste_to_energy",
        "title_en": "Waste power for an industrial park",
        "problem_en": "Municipal solid waste incineration with power generation",
        "scale": 300,
        "scale_unit": "t/day",
    }
    assert c.post(f"{API}/needs", json=need, headers=h["jfe"]).status_code == 403
    made = c.post(f"{API}/needs", json=need, headers=h["desk"])
    assert made.status_code == 201, made.text
    key = made.json()["key"]
    assert c.get(f"{API}/needs/{key}").json()["title_en"] == need["title_en"]
    assert c.get(f"{API}/needs/{key}/matches").json()[0]["technology"].startswith("T-WTE")
    assert c.get(f"{API}/needs/NOPE").status_code == 404
    opened = c.post(
        f"{API}/inquiries", json={"subject": "Help", "body": "Who?", "need": key}, headers=h["city"]
    )
    assert opened.status_code == 201
    iid = opened.json()["id"]
    c.post(f"{API}/inquiries/{iid}/replies", json={"body": "JFE."}, headers=h["desk"])
    closed = c.patch(f"{API}/inquiries/{iid}", json={"status": "closed"}, headers=h["desk"])
    assert closed.json()["status"] == "closed"
    mine = c.get(f"{API}/inquiries/{iid}", headers=h["city"]).json()
    assert [r["body"] for r in mine["replies"]] == ["Who?", "JFE."]
    assert c.get(f"{API}/inquiries/{iid}", headers=h["jfe"]).status_code == 404


def test_event_registrations_requests_and_schedule(
    setup: tuple[TestClient, dict[str, dict[str, str]]],
) -> None:
    c, h = setup
    regs = c.get(f"{API}/events/{EVENT_KEY}/registrations").json()
    assert {r["side"] for r in regs} == {"japanese", "local"}
    jp = next(r for r in regs if r["side"] == "japanese" and r["organisation"] != JFE)
    lc = [r for r in regs if r["side"] == "local"]
    existing = c.get(f"{API}/events/{EVENT_KEY}/requests").json()
    pairs = {(m["requester"], m["target"]) for m in existing}
    target = next(r for r in lc if (jp["id"], r["id"]) not in pairs)
    made = c.post(
        f"{API}/events/{EVENT_KEY}/requests",
        json={"requester": jp["id"], "target": target["id"], "rank": 1},
        headers=h["desk"],
    )
    assert made.status_code == 201, made.text
    mid = made.json()["id"]
    ranked = c.post(
        f"{API}/events/{EVENT_KEY}/requests/{mid}/rank",
        json={"rank": 1, "side": "target"},
        headers=h["desk"],
    )
    assert ranked.json()["target_rank"] == 1
    assert c.post(f"{API}/events/{EVENT_KEY}/schedule", headers=h["jfe"]).status_code == 403
    run = c.post(f"{API}/events/{EVENT_KEY}/schedule", headers=h["desk"])
    assert run.status_code == 200
    schedule = c.get(f"{API}/events/{EVENT_KEY}/schedule").json()
    assert mid in [m["id"] for m in schedule]
    seen = set()
    for m in schedule:
        for who in (m["requester"], m["target"]):
            assert (who, m["slot"]) not in seen
            seen.add((who, m["slot"]))
