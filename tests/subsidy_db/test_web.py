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


def _check_cells(html: str) -> dict[str, tuple[str, str]]:
    """Each screening check's value and limit cells, by the rule's name in the page."""
    import re

    rows = re.findall(
        r'<tr class="check-\w+"><td>([^<]+)</td><td><span class="status">[^<]*</span></td>'
        r"<td>([^<]*)</td><td>([^<]*)</td>",
        html,
    )
    return {name: (value, limit) for name, value, limit in rows}


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        (
            "en",
            {
                "Representative participant is a Japanese company": ("Japan", "Japan"),
                "Partner country is eligible": ("Thailand", "29 partner countries"),
                "No other Japanese public subsidy": ("No", "No"),
                "Subsidy-rate cap": ("0 similar project(s)", "50%"),
                "Subsidy within the per-project ceiling": ("¥120,000,000", "¥2,000,000,000"),
                "Cost-effectiveness (yen per tCO2)": ("3,529.42 yen/tCO2", "4,000.00 yen/tCO2"),
                "Payback period": ("6.66 years", "3.00 years"),
                "Implementation period": ("18 months", "36 months"),
                "Payments by fiscal year": ("¥120,000,000", "FY2022–FY2024"),
            },
        ),
        (
            "ja",
            {
                "代表事業者が日本法人であること": ("日本", "日本"),
                "対象のパートナー国であること": ("タイ", "パートナー国 29 か国"),
                "日本の他の公的補助を併用しないこと": ("いいえ", "いいえ"),
                "補助額が1件あたりの上限以内であること": ("120,000,000円", "2,000,000,000円"),
                "費用対効果（円/tCO2）": ("3,529.42 円/t-CO2", "4,000.00 円/t-CO2"),
                "投資回収年数": ("6.66 年", "3.00 年"),
                "事業実施期間": ("18 か月", "36 か月"),
                "年度別の支払計画": ("120,000,000円", "2022〜2024年度"),
            },
        ),
    ],
)
def test_a_screening_report_shows_values_and_limits_in_words(
    database: Database, lang: str, expected: dict[str, tuple[str, str]]
) -> None:
    client, auth = _client(database)
    body = {"title_en": "Solar", "representative": REPRESENTATIVE, "application": record()}
    assert client.post("/api/v1/subsidy/applications", json=body, headers=auth).status_code == 201
    assert (
        client.post("/api/v1/subsidy/applications/APP-001/submit", headers=auth).status_code == 200
    )
    assert (
        client.post(
            "/api/v1/subsidy/applications/APP-001/screen", json={}, headers=auth
        ).status_code
        == 200
    )
    page = client.get(f"/subsidy/applications/APP-001?lang={lang}", headers=auth)
    assert page.status_code == 200
    cells = _check_cells(page.text)
    assert len(cells) == 10
    for rule, shown in expected.items():
        assert cells[rule] == shown, rule
    assert "True" not in str(cells)
    assert "False" not in str(cells)


@pytest.mark.parametrize(
    ("lang", "shown"),
    [
        (
            "en",
            [
                "¥2,000,000,000",
                "36 months",
                "Thailand",
                "Initial investment ÷ annual net savings",
                "FY2023",
                "¥17,100,000,000",
            ],
        ),
        (
            "ja",
            [
                "2,000,000,000円",
                "36 か月",
                "タイ",
                "初期投資額 ÷ 年間純削減額",
                "2023年度",
                "17,100,000,000円",
            ],
        ),
    ],
)
def test_a_calls_rules_are_shown_in_words(database: Database, lang: str, shown: list[str]) -> None:
    client, auth = _client(database)
    with database.write() as s:
        load_subsidy_demo(s, CTX)
    page = client.get(f"/subsidy/calls/FY2023/settings?lang={lang}", headers=auth)
    assert page.status_code == 200
    start = page.text.index('id="call-rules"')
    rules = page.text[start : page.text.index('<form method="post"', start)]
    for text in shown:
        assert text in rules, text
    assert "cost_effectiveness_threshold" not in rules
    assert "investment_over_savings" not in rules
    anonymous = client.get(f"/subsidy/calls/FY2023/settings?lang={lang}")
    assert anonymous.status_code in {200, 401, 403}
    assert '"fiscal_years"' not in anonymous.text
