"""The open-data page links an "Excel (日本語)" CSV: UTF-8 with BOM and CRLF; the machine
CSV is unchanged."""

from __future__ import annotations

import pytest

from jcm.db import Database
from jcm.demo import load_demo
from tests.web.helpers import client


@pytest.fixture
def demo(database: Database) -> Database:
    with database.write() as s:
        load_demo(s)
    return database


def test_the_open_data_page_links_the_excel_csv(demo: Database) -> None:
    c = client(demo)
    page = c.get("/insight/open-data", params={"lang": "ja"}).text
    assert 'href="/insight/open-data/projects.csv?format=csv-excel"' in page
    assert "Excel（日本語）" in page


@pytest.mark.parametrize("dataset", ["projects", "credits"])
def test_the_excel_csv_is_utf8_with_a_bom_and_crlf(demo: Database, dataset: str) -> None:
    c = client(demo)
    machine = c.get(f"/insight/open-data/{dataset}.csv")
    excel = c.get(f"/insight/open-data/{dataset}.csv", params={"format": "csv-excel"})
    assert excel.status_code == 200
    assert excel.content.startswith(b"\xef\xbb\xbf")
    assert b"\r\n" in excel.content
    assert excel.content.decode("utf-8-sig")  # UTF-8 throughout
    assert f'filename="jcm-{dataset}-excel.csv"' in excel.headers["content-disposition"]
    assert f'filename="jcm-{dataset}.csv"' in machine.headers["content-disposition"]
    assert machine.content == excel.content  # the documented machine CSV already has the BOM


def test_an_unknown_variant_is_not_found(demo: Database) -> None:
    r = client(demo).get("/insight/open-data/projects.csv", params={"format": "tsv"})
    assert r.status_code == 404
