from __future__ import annotations

import pytest

from jcm.auth.rules import Role
from jcm.db import Database
from jcm.mrv import workflow
from tests.mrv_db.helpers import (
    CTX,
    OWNER,
    STAFF,
    TPE,
    period_with_calculation,
    solar_project,
    tpe,
)
from tests.web.helpers import PASSWORD, client, csrf_of, user_with_token


def _verifying(db: Database) -> int:
    with db.write() as s:
        owner = solar_project(s)
        verifier = tpe(s)
        pid = period_with_calculation(s, owner)
        workflow.submit(s, CTX, owner, pid)
        workflow.assign(s, CTX, STAFF, pid, TPE)
        workflow.raise_finding(s, CTX, verifier, pid, workflow.FindingKind.CL, "Meter serial?")
    return pid


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_mrv_pages_render_in_both_languages(database: Database, lang: str) -> None:
    pid = _verifying(database)
    web = client(database)
    web.cookies.set("jcm_lang", lang)
    expected = {"en": "Monitoring period", "ja": "モニタリング期間"}[lang]
    for url in (
        "/mrv",
        "/mrv/methodologies/TH_AM001",
        "/mrv/projects/TH001",
        f"/mrv/periods/{pid}",
        f"/mrv/periods/{pid}/report",
    ):
        page = web.get(url)
        assert page.status_code == 200, url
        assert f'lang="{lang}"' in page.text
    period = web.get(f"/mrv/periods/{pid}").text
    assert expected in period
    assert "Meter serial?" in period
    assert "data-chart" in web.get("/mrv/projects/TH001").text


def test_the_participant_answers_a_finding_from_the_period_page(database: Database) -> None:
    pid = _verifying(database)
    user_with_token(database, "owner", Role.PARTICIPANT, OWNER)
    web = client(database)
    login = web.get("/login")
    web.post(
        "/login",
        data={"username": "owner", "password": PASSWORD, "csrf_token": csrf_of(login.text)},
    )
    page = web.get(f"/mrv/periods/{pid}")
    assert 'value="answer"' in page.text
    assert 'value="positive"' not in page.text
    with database.read() as s:
        from jcm.mrv import service

        fid = service.period_detail(s, pid)["findings"][0]["id"]
    form = {"csrf_token": csrf_of(page.text), "action": "answer", "finding_id": str(fid)}
    done = web.post(f"/mrv/periods/{pid}/step", data=form | {"text": "SN-42"})
    assert done.status_code == 200
    assert "SN-42" in done.text
    forged = web.post(f"/mrv/periods/{pid}/step", data=form | {"csrf_token": "x"})
    assert forged.status_code == 403
