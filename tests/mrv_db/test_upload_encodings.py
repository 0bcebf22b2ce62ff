"""A CP932 monitoring CSV by API and page: calculated, the encoding shown; a chosen encoding
is obeyed."""

from __future__ import annotations

import json

from jcm.auth.rules import Role
from jcm.db import Database
from tests.mrv_db.helpers import OWNER, pv_upload, solar_project
from tests.web.helpers import PASSWORD, client, csrf_of, user_with_token

POINT = "発電所①ＰＶ"


def _cp932_upload() -> tuple[bytes, str]:
    content, inputs = pv_upload()
    data = json.loads(inputs)
    data["points"][0]["id"] = POINT
    text = content.decode().replace("PV-0000", POINT).replace("\n", "\r\n")
    return text.encode("cp932"), json.dumps(data, ensure_ascii=False)


def test_the_api_calculates_from_a_cp932_csv_and_says_how_it_was_read(
    database: Database,
) -> None:
    with database.write() as s:
        solar_project(s)
    owner = {
        "Authorization": f"Bearer {user_with_token(database, 'owner', Role.PARTICIPANT, OWNER)}"
    }
    web = client(database)
    body = {"start": "2024-01-01", "end": "2024-01-03"}
    pid = web.post("/api/v1/mrv/projects/TH001/periods", json=body, headers=owner).json()["id"]
    content, inputs = _cp932_upload()
    url = f"/api/v1/mrv/periods/{pid}/calculations"
    refused = web.post(
        url,
        files={"file": ("pv.csv", content)},
        data={"input": inputs, "encoding": "utf-8"},
        headers=owner,
    )
    assert refused.status_code == 422
    assert "not UTF-8 at byte" in refused.json()["detail"]
    calc = web.post(url, files={"file": ("pv.csv", content)}, data={"input": inputs}, headers=owner)
    assert calc.status_code == 201, calc.text
    out = calc.json()
    assert out["encoding"] == "cp932"
    assert out["emission_reductions_tco2"] > 0
    points = {p["point"] for p in out["result"]["provenance"]["parameters"] if p.get("point")}
    assert POINT in points
    again = web.get(f"/api/v1/mrv/calculations/{out['id']}").json()
    assert again["encoding"] == "cp932"


def test_the_period_page_offers_the_encoding_and_shows_the_one_found(database: Database) -> None:
    with database.write() as s:
        solar_project(s)
    user_with_token(database, "owner", Role.PARTICIPANT, OWNER)
    web = client(database)
    login = web.get("/login")
    web.post(
        "/login",
        data={"username": "owner", "password": PASSWORD, "csrf_token": csrf_of(login.text)},
    )
    body = {"start": "2024-01-01", "end": "2024-01-03"}
    token = csrf_of(web.get("/mrv/projects/TH001").text)
    pid = web.post(
        "/api/v1/mrv/projects/TH001/periods", json=body, headers={"X-CSRF-Token": token}
    ).json()["id"]
    page = web.get(f"/mrv/periods/{pid}").text
    assert 'name="encoding"' in page
    content, inputs = _cp932_upload()
    done = web.post(
        f"/mrv/periods/{pid}/calculations",
        files={"file": ("pv.csv", content)},
        data={"input": inputs, "csrf_token": csrf_of(page), "encoding": "auto"},
    )
    assert done.status_code == 200, done.text
    assert 'id="import-encoding"' in done.text
    assert "Shift_JIS (CP932)" in done.text
