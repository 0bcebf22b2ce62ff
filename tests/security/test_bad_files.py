"""The seven kinds of bad file an outside probe sends, against the subsidy and the MRV import
APIs: a malformed file, one bad row in 1,000, a file over the limit, an xlsx bomb, a Parquet
file with a column of the wrong type, UTF-8 with a BOM and CRLF, and CP932 with full-width
characters and ①. Each gets the right answer — the last two are read — and a refusal writes
nothing."""

from __future__ import annotations

import io
import json
import zipfile
from collections.abc import Callable

import polars as pl
import pytest
from fastapi.testclient import TestClient

from jcm.auth.rules import Role
from jcm.db import Database
from jcm.settings import Settings
from jcm.web.app import create_app
from tests.mrv_db.helpers import OWNER, pv_upload, solar_project
from tests.subsidy_db.helpers import REPRESENTATIVE, record
from tests.web.helpers import user_with_token

LIMIT = 200 * 1024
KINDS = ["malformed", "bad_row", "too_large", "bomb", "wrong_parquet", "bom_crlf", "cp932"]
READ = {"bom_crlf", "cp932"}


def _bomb() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("xl/worksheets/sheet1.xml", b"\0" * 20_000_000)
    return out.getvalue()


def _wrong_parquet() -> bytes:
    out = io.BytesIO()
    pl.DataFrame(
        {"timestamp": [True], "point": ["a"], "parameter": ["EG"], "value": [1.0], "unit": ["kWh"]}
    ).write_parquet(out)
    return out.getvalue()


def _subsidy_csv(rows: int, bad: int | None = None, note: str = "") -> str:
    fields = list(record()) + (["note"] if note else [])
    lines = [",".join(fields)]
    for i in range(rows):
        r = record(id=f"APP-{i:04d}", partner_country="IDN", note=note)
        if i == bad:
            r["initial_investment_jpy"] = "not a number"
        lines.append(",".join(str(r[f]) for f in fields))
    return "\n".join(lines) + "\n"


def _subsidy_file(kind: str) -> tuple[str, bytes]:
    if kind == "malformed":
        return "apps.xlsx", b"PK\x03\x04 this is not a workbook"
    if kind == "bad_row":
        return "apps.csv", _subsidy_csv(1000, bad=500).encode()
    if kind == "too_large":
        return "apps.csv", _subsidy_csv(4000).encode()
    if kind == "bomb":
        return "apps.xlsx", _bomb()
    if kind == "wrong_parquet":
        return "apps.parquet", _wrong_parquet()
    text = _subsidy_csv(2, note="屋根置き太陽光①　ＰＶ（株）").replace("\n", "\r\n")
    if kind == "bom_crlf":
        return "apps.csv", "\ufeff".encode() + text.encode()
    return "apps.csv", text.encode("cp932")


def _mrv_file(kind: str) -> tuple[str, bytes, str]:
    content, inputs = pv_upload()
    if kind == "malformed":
        return "pv.parquet", b"PAR1 not parquet at all", inputs
    if kind == "bad_row":
        lines = content.decode().splitlines()
        assert len(lines) > 500
        cells = lines[500].split(",")
        cells[-2 if len(cells) > 1 else 0] = "abc"
        lines[500] = ",".join(cells)
        return "pv.csv", ("\n".join(lines) + "\n").encode(), inputs
    if kind == "too_large":
        return "pv.csv", content * (LIMIT // len(content) + 2), inputs
    if kind == "bomb":
        return "pv.xlsx", _bomb(), inputs
    if kind == "wrong_parquet":
        return "pv.parquet", _wrong_parquet(), inputs
    text = content.decode().replace("\n", "\r\n")
    if kind == "bom_crlf":
        return "pv.csv", "\ufeff".encode() + text.encode(), inputs
    data = json.loads(inputs)
    old = data["points"][0]["id"]
    data["points"][0]["id"] = "発電所①ＰＶ"
    return "pv.csv", text.replace(old, "発電所①ＰＶ").encode("cp932"), json.dumps(data)


def _client(db: Database, role: Role, org: str | None) -> tuple[TestClient, dict[str, str]]:
    token = user_with_token(db, "uploader", role, org)
    app = create_app(Settings(environment="test", max_upload_bytes=LIMIT), db=db)
    return TestClient(app), {"Authorization": f"Bearer {token}"}


def _expect(kind: str, response: object, count: Callable[[], int]) -> None:
    status = response.status_code  # type: ignore[attr-defined]
    body = response.json()  # type: ignore[attr-defined]
    assert status < 500
    if kind in READ:
        assert status == 201, body
        assert count() > 0
        return
    assert status in (413, 422), body
    assert body["detail"]
    assert body["detail_ja"]
    assert "row(s) ." not in body["detail"]
    assert "行  に" not in body["detail_ja"]
    if kind == "bad_row":
        assert [e["row"] for e in body["errors"] if "row" in e], body
    assert count() == 0


@pytest.mark.parametrize("kind", KINDS)
def test_the_subsidy_import_api(database: Database, kind: str) -> None:
    c, auth = _client(database, Role.SECRETARIAT, None)
    name, content = _subsidy_file(kind)
    response = c.post(
        "/api/v1/subsidy/imports",
        headers=auth,
        data={"representative": REPRESENTATIVE},
        files={"file": (name, content, "application/octet-stream")},
    )
    listed = lambda: c.get("/api/v1/subsidy/applications", headers=auth).json()  # noqa: E731
    _expect(kind, response, lambda: len(listed()))
    if kind in READ:
        assert "屋根置き太陽光①　ＰＶ（株）" in json.dumps(listed(), ensure_ascii=False)


@pytest.mark.parametrize("kind", KINDS)
def test_the_mrv_upload_api(database: Database, kind: str) -> None:
    with database.write() as s:
        solar_project(s)
    c, auth = _client(database, Role.PARTICIPANT, OWNER)
    body = {"start": "2024-01-01", "end": "2024-01-03"}
    pid = c.post("/api/v1/mrv/projects/TH001/periods", json=body, headers=auth).json()["id"]
    name, content, inputs = _mrv_file(kind)
    response = c.post(
        f"/api/v1/mrv/periods/{pid}/calculations",
        headers=auth,
        data={"input": inputs},
        files={"file": (name, content, "application/octet-stream")},
    )

    def calculations() -> int:
        period = c.get(f"/api/v1/mrv/periods/{pid}", headers=auth).json()
        return 1 if period.get("calculation") else 0

    _expect(kind, response, calculations)
