from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from jcm.auth.rules import Role
from jcm.db import Database
from jcm.demo import load_demo
from jcm.labels import LABELS
from jcm.mrv import service, workflow
from jcm.mrv.demo_load import load_mrv_demo
from jcm.mrv.models import MonitoringPeriod
from tests.mrv_db.helpers import (
    CTX,
    OWNER,
    STAFF,
    TPE,
    period_with_calculation,
    solar_project,
    tpe,
)
from tests.platform.test_pages import visible_texts
from tests.web.helpers import PASSWORD, client, csrf_of, user_with_token
from tests.web.wording import text_problems


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
        fid = service.period_detail(s, pid)["findings"][0]["id"]
    form = {"csrf_token": csrf_of(page.text), "action": "answer", "finding_id": str(fid)}
    done = web.post(f"/mrv/periods/{pid}/step", data=form | {"text": "SN-42"})
    assert done.status_code == 200
    assert "SN-42" in done.text
    forged = web.post(f"/mrv/periods/{pid}/step", data=form | {"csrf_token": "x"})
    assert forged.status_code == 403


def _demo(db: Database) -> None:
    with db.write() as s:
        load_demo(s)
        load_mrv_demo(s)


def _read(web: TestClient, path: str, lang: str) -> str:
    """The text a person reads on ``path``, refused if a machine word shows."""
    web.cookies.set("jcm_lang", lang)
    page = web.get(path)
    assert page.status_code == 200, path
    texts = visible_texts(page.text)
    assert text_problems(texts, lang) == [], path
    return " | ".join(texts)


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_the_methodology_parameter_table_is_in_words(database: Database, lang: str) -> None:
    web = client(database)
    web.cookies.set("jcm_lang", lang)
    html = web.get("/mrv/methodologies/GEN_EB001").text
    assert "<code>eta_project</code>" in html  # a formula symbol, shown as code
    text = _read(web, "/mrv/methodologies/GEN_EB001", lang)
    words = {
        "en": ("Symbol", "Description of data", "Fixed ex ante", "Methodology default", "No"),
        "ja": ("記号", "データの説明", "事前に固定する値", "方法論のデフォルト値", "いいえ"),
    }[lang]
    for word in words:
        assert word in text
    # only the description in the page's language
    assert ("プロジェクトボイラの効率" in text) == (lang == "ja")
    per_point = _read(web, "/mrv/methodologies/TH_AM001", lang)
    assert ("Yes" if lang == "en" else "はい") in per_point
    assert "IEC 61215" in web.get("/mrv/methodologies/TH_AM001").text  # a standard's number


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_period_pages_name_sources_sizes_steps_and_checks(database: Database, lang: str) -> None:
    _demo(database)
    web = client(database)
    with database.read() as s:
        ids = list(s.scalars(select(MonitoringPeriod.id).order_by(MonitoringPeriod.id)))
        kenya = service.project_periods(s, "KE101")["periods"]
    for pid in ids:
        _read(web, f"/mrv/periods/{pid}", lang)
        _read(web, f"/mrv/periods/{pid}/report", lang)
    for ref in ("KE101", "TH104", "PH102"):
        _read(web, f"/mrv/projects/{ref}", lang)
    requested = next(p["id"] for p in kenya if p["status"] == "issuance_requested")
    text = _read(web, f"/mrv/periods/{requested}", lang)
    words = {
        "en": ("Emission factor table", "Issuance requested · Issuance requested", " KB · "),
        "ja": ("排出係数表", "発行を申請 · 発行申請済み", " KB · "),
    }[lang]
    for word in words:
        assert word in text
    assert re.search(r"\d\d\.\d KB", text)  # about 33 KB, not "33943 B"
    qa = _read(web, "/mrv/projects/TH104", lang)
    assert ("Meter reset" if lang == "en" else "積算計のリセット") in qa


def test_every_mrv_code_shown_on_a_page_has_a_label() -> None:
    from jcm.mrv.methodology import Side, Source
    from jcm.mrv.qa_texts import DECISIONS

    assert set(LABELS["qa_check"]) == set(DECISIONS)
    assert set(LABELS["parameter_source"]) == {s.value for s in Source}
    assert set(LABELS["parameter_side"]) == {s.value for s in Side}
    assert set(LABELS["value_source"]) == {"monitored", "input", "emission_factor_table", "default"}
    assert set(LABELS["period_step"]) >= {"create", "submit", "assign", "issuance_request"}
    assert set(LABELS["finding_status"]) == {"open", "answered", "closed"}
    assert set(LABELS["verification_opinion"]) == {"positive", "negative"}


def test_where_each_value_came_from_reads_in_the_pages_language(database: Database) -> None:
    """The calculation table's detail column: "QA 後の計測値 … 件" on a Japanese page,
    "… reading(s) after QA" on an English one."""
    from tests.mrv_db.helpers import period_with_calculation, solar_project
    from tests.web.helpers import client as web_client

    with database.write() as s:
        period_id = period_with_calculation(s, solar_project(s))
    c = web_client(database)
    ja = c.get(f"/mrv/periods/{period_id}/report?lang=ja")
    en = c.get(f"/mrv/periods/{period_id}/report?lang=en")
    assert ja.status_code == 200, ja.text[:300]
    assert "QA 後の計測値" in ja.text
    assert "reading(s) after QA" not in ja.text
    assert "reading(s) after QA" in en.text
