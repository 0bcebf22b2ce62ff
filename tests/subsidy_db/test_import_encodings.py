"""Subsidy application files in CP932 or UTF-8 with BOM, by API, page and CLI; the encoding
found is in the result, a chosen one is obeyed, undecodable bytes are refused."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from jcm.db import Database
from jcm.subsidy.cli import app as subsidy_cli
from tests.subsidy_db.test_admin_pages import _signed_in
from tests.subsidy_db.test_web import _client
from tests.web.helpers import csrf_of

HEADER = (
    "id,partner_country,technology,representative_participant_country,initial_investment_jpy,"
    "requested_subsidy_jpy,annual_reduction_tco2,annual_net_savings_jpy,implementation_months,"
    "note\r\n"
)
ROW = "ENC-1,THA,solar_pv_rooftop,JPN,400000000,120000000,2000,60000000,18,屋根置き太陽光①ＰＶ\r\n"
NOTE = "屋根置き太陽光①ＰＶ"
CP932 = (HEADER + ROW).encode("cp932")
BOM_CRLF = b"\xef\xbb\xbf" + (HEADER + ROW).encode("utf-8")


Api = tuple[TestClient, dict[str, str]]


def _post(api: Api, data: bytes, **form: str) -> tuple[int, dict[str, object]]:
    client, auth = api
    response = client.post(
        "/api/v1/subsidy/imports",
        headers=auth,
        data={"representative": "Example Energy Japan K.K.", **form},
        files={"file": ("apps.csv", data, "text/csv")},
    )
    listed = client.get("/api/v1/subsidy/applications", headers=auth).json()
    return response.status_code, {"body": response.json(), "listed": listed}


@pytest.mark.parametrize(("data", "found"), [(CP932, "cp932"), (BOM_CRLF, "utf-8-sig")])
def test_the_api_imports_a_japanese_csv_and_says_how_it_was_read(
    database: Database, data: bytes, found: str
) -> None:
    status, out = _post(_client(database), data)
    assert status == 201, out
    assert out["body"] == {"created": ["ENC-1"], "encoding": found}
    (listed,) = out["listed"]  # type: ignore[misc]
    assert listed["title_en"] == NOTE


def test_the_api_obeys_the_encoding_field(database: Database) -> None:
    api = _client(database)
    status, out = _post(api, CP932, encoding="utf-8")
    assert status == 422
    assert "not UTF-8 at byte" in json.dumps(out["body"], ensure_ascii=False)
    assert out["listed"] == []
    status, out = _post(api, CP932, encoding="cp932")
    assert status == 201
    assert out["body"] == {"created": ["ENC-1"], "encoding": "cp932"}


def test_the_api_refuses_undecodable_bytes_in_both_languages(database: Database) -> None:
    status, out = _post(_client(database), CP932 + b"ENC-2,\x81\x20\r\n")
    assert status == 422
    body = out["body"]
    assert isinstance(body, dict)
    assert "apps.csv cannot be read as text" in body["detail"]
    assert "(row 3)" in body["detail"]
    assert "apps.csv を文字として読み取れません" in body["detail_ja"]
    assert out["listed"] == []


def test_the_upload_page_imports_cp932_and_shows_the_encoding(database: Database) -> None:
    c = _signed_in(database, "aaic")
    page = c.get("/subsidy/import").text
    assert 'name="encoding"' in page
    r = c.post(
        "/subsidy/import",
        data={"representative": "AAIC Japan Co. Ltd.", "csrf_token": csrf_of(page)},
        files={"file": ("apps.csv", CP932, "text/csv")},
    )
    assert r.status_code == 200, r.text
    assert 'id="import-encoding"' in r.text
    assert "Shift_JIS (CP932)" in r.text
    assert "ENC-1" in r.text


def test_the_upload_page_obeys_the_encoding_field(database: Database) -> None:
    c = _signed_in(database, "aaic")
    page = c.get("/subsidy/import").text
    r = c.post(
        "/subsidy/import",
        data={
            "representative": "AAIC Japan Co. Ltd.",
            "csrf_token": csrf_of(page),
            "encoding": "utf-8",
        },
        files={"file": ("apps.csv", CP932, "text/csv")},
    )
    assert r.status_code == 422
    assert "import-error" in r.text
    assert "not UTF-8 at byte" in r.text


def test_the_cli_reads_a_cp932_application_file(tmp_path: Path) -> None:
    path = tmp_path / "apps.csv"
    path.write_bytes(CP932)
    runner = CliRunner()
    done = runner.invoke(subsidy_cli, ["select", str(path), "--json"])
    assert done.exit_code == 0, done.output
    assert json.loads(done.stdout)["selected"] == ["ENC-1"]
    refused = runner.invoke(subsidy_cli, ["select", str(path), "--encoding", "utf-8"])
    assert refused.exit_code == 2
    assert "not UTF-8 at byte 252 (row 2)" in refused.stderr
