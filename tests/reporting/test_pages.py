from __future__ import annotations

import io
import json

import pytest
from openpyxl import load_workbook

from jcm.db import Database
from jcm.demo import load_demo
from jcm.registry.public import summary as registry_summary
from jcm.reporting import opendata, summary
from tests.web.helpers import client

PAGES = [
    "/insight",
    "/insight/reductions?by=country",
    "/insight/reductions?by=technology",
    "/insight/reductions?by=fiscal_year",
    "/insight/reductions?by=vintage",
    "/insight/map",
    "/insight/cities",
    "/insight/annual?year=2022",
    "/insight/open-data",
]


@pytest.fixture
def demo(database: Database) -> Database:
    with database.write() as s:
        load_demo(s)
    return database


def test_every_dashboard_opens_in_both_languages(demo: Database) -> None:
    c = client(demo)
    for lang in ("en", "ja"):
        for page in PAGES:
            r = c.get(page, params={"lang": lang})
            assert r.status_code == 200, page
            assert 'class="chart"' in r.text or "annual" in page or "open-data" in page
    assert "ポートフォリオ分析" in c.get("/insight?lang=ja").text


def test_the_summary_agrees_with_the_registry_totals(demo: Database) -> None:
    summary.ensure_fresh(demo)
    with demo.read() as s:
        expected = {(r["project"], r["vintage"]): r for r in registry_summary(s)}
        got = {(r["project"], r["vintage"]): r for r in opendata.credits(s)}
        assert not summary.is_stale(s)
    assert set(got) == set(expected)
    for key, row in expected.items():
        assert (got[key]["issued"], got[key]["retired"], got[key]["cancelled"]) == (
            row["issued"],
            row["retired"],
            row["cancelled"],
        )


def test_a_refresh_with_nothing_new_changes_nothing(demo: Database) -> None:
    summary.ensure_fresh(demo)
    assert demo.run(summary.refresh) == 0


def test_every_table_downloads_as_csv_and_xlsx(demo: Database) -> None:
    c = client(demo)
    for name in ("funnel", "goal", "partners", "reductions-country", "map", "cities"):
        r = c.get(f"/insight/tables/{name}.csv")
        assert r.status_code == 200
        assert r.content.startswith("\ufeff".encode())
        x = c.get(f"/insight/tables/{name}.xlsx")
        assert load_workbook(io.BytesIO(x.content)).sheetnames == [name]
    assert c.get("/insight/tables/nothing.csv").status_code == 404


def test_subsidy_figures_are_for_the_secretariat(demo: Database) -> None:
    c = client(demo)
    assert c.get("/insight/subsidy").status_code in (401, 403)
    assert c.get("/insight/tables/subsidy.csv").status_code in (401, 403)


def test_the_funnel_drills_down_to_the_filtered_project_list(demo: Database) -> None:
    html = client(demo).get("/insight").text
    assert 'href="/projects?status=adopted"' in html


def test_annual_pack_workbook_has_every_table(demo: Database) -> None:
    r = client(demo).get("/insight/annual.xlsx?year=2022")
    sheets = load_workbook(io.BytesIO(r.content)).sheetnames
    assert sheets == ["adopted", "credits", "countries", "aef-actions", "aef-holdings"]


def test_open_data_json_follows_its_schema(demo: Database) -> None:
    body = json.loads(client(demo).get("/insight/open-data/projects.json").content)
    assert body["columns"] == list(opendata.PROJECT_COLUMNS)
    assert body["items"]
    assert set(body["items"][0]) == set(opendata.PROJECT_COLUMNS)


def test_the_feed_never_names_people_or_clients(demo: Database) -> None:
    r = client(demo).get("/feed.atom")
    assert r.status_code == 200
    assert r.headers["content-type"].startswith("application/atom+xml")
    assert "<entry>" in r.text
    for private in ("secretariat", "admin", "127.0.0.1", "testclient", "beneficiary"):
        assert private not in r.text
