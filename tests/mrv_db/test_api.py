from __future__ import annotations

from jcm.auth.rules import Role
from jcm.db import Database
from tests.mrv_db.helpers import OWNER, TPE, pv_upload, solar_project, tpe
from tests.web.helpers import client, user_with_token


def _bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def test_methodologies_are_listed_with_their_input_format(database: Database) -> None:
    web = client(database)
    listed = web.get("/api/v1/mrv/methodologies").json()
    assert "TH_AM001" in {m["id"] for m in listed}
    one = web.get("/api/v1/mrv/methodologies/PH_AM001", params={"version": "1.0"}).json()
    assert one["version"] == "1.0"
    assert one["example_input"]["points"]
    assert web.get("/api/v1/mrv/methodologies/XX_AM999").status_code == 404


def test_the_api_walks_a_period_from_upload_to_issuance_request(database: Database) -> None:
    with database.write() as s:
        solar_project(s)
        tpe(s)
    owner = _bearer(user_with_token(database, "owner", Role.PARTICIPANT, OWNER))
    staff = _bearer(user_with_token(database, "secretary", Role.SECRETARIAT))
    verifier = _bearer(user_with_token(database, "verifier", Role.THIRD_PARTY_ENTITY, TPE))
    web = client(database)
    body = {"start": "2024-01-01", "end": "2024-01-03"}
    period = web.post("/api/v1/mrv/projects/TH001/periods", json=body, headers=owner)
    assert period.status_code == 201
    pid = period.json()["id"]
    overlap = web.post("/api/v1/mrv/projects/TH001/periods", json=body, headers=owner)
    assert overlap.status_code == 409
    assert "2024-01-01" in overlap.json()["detail_ja"]
    content, inputs = pv_upload()
    url = f"/api/v1/mrv/periods/{pid}/calculations"
    bad = web.post(
        url,
        files={"file": ("pv.csv", b"timestamp,point\n1,2\n")},
        data={"input": inputs},
        headers=owner,
    )
    assert bad.status_code == 422
    calc = web.post(url, files={"file": ("pv.csv", content)}, data={"input": inputs}, headers=owner)
    assert calc.status_code == 201
    claimed = calc.json()["emission_reductions_tco2"]
    xlsx = web.get(f"/api/v1/mrv/calculations/{calc.json()['id']}/report.xlsx")
    assert xlsx.content[:2] == b"PK"
    assert web.post(f"/api/v1/mrv/periods/{pid}/submit", headers=owner).status_code == 200
    refused = web.post(f"/api/v1/mrv/periods/{pid}/assign", json={"tpe": TPE}, headers=owner)
    assert refused.status_code == 403
    assert web.post(
        f"/api/v1/mrv/periods/{pid}/assign", json={"tpe": TPE}, headers=staff
    ).is_success
    finding = web.post(
        f"/api/v1/mrv/periods/{pid}/findings", json={"kind": "CL", "text": "?"}, headers=verifier
    ).json()
    fid = finding["id"]
    answered = web.post(f"/api/v1/mrv/findings/{fid}/answer", json={"response": "!"}, headers=owner)
    assert answered.json()["status"] == "answered"
    assert web.post(f"/api/v1/mrv/findings/{fid}/close", headers=verifier).is_success
    too_much = {"opinion": "positive", "verified_er": claimed + 1}
    over = web.post(f"/api/v1/mrv/periods/{pid}/opinion", json=too_much, headers=verifier)
    assert over.status_code == 422
    good = {"opinion": "positive", "verified_er": claimed}
    verified = web.post(f"/api/v1/mrv/periods/{pid}/opinion", json=good, headers=verifier)
    assert verified.json()["status"] == "verified"
    issued = web.post(f"/api/v1/mrv/periods/{pid}/issuance-request", headers=owner)
    assert issued.json()["status"] == "issuance_requested"
    listed = web.get("/api/v1/mrv/verified-periods").json()
    assert listed[0]["verified_er_tco2"] == claimed


def test_the_api_refuses_an_input_period_outside_the_stored_one(database: Database) -> None:
    with database.write() as s:
        solar_project(s)
    owner = _bearer(user_with_token(database, "owner", Role.PARTICIPANT, OWNER))
    web = client(database)
    body = {"start": "2024-01-02", "end": "2024-01-31"}
    pid = web.post("/api/v1/mrv/projects/TH001/periods", json=body, headers=owner).json()["id"]
    content, inputs = pv_upload()  # 2024-01-01 – 2024-01-03
    refused = web.post(
        f"/api/v1/mrv/periods/{pid}/calculations",
        files={"file": ("pv.csv", content)},
        data={"input": inputs},
        headers=owner,
    )
    assert refused.status_code == 422
    problem = refused.json()
    assert problem["code"] == "input_outside_period"
    assert "2024-01-01 – 2024-01-03" in problem["detail"]
    assert "2024-01-02 – 2024-01-31" in problem["detail"]
    assert "2024-01-02〜2024-01-31" in problem["detail_ja"]
