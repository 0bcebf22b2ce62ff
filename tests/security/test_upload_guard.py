"""Every upload passes one guard before any parser sees it: the size limit from settings
(read in chunks, the body refused as it streams), the zip directory of an xlsx, the footer
of a Parquet file. A refusal names the limit in both languages and writes nothing."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterator
from decimal import Decimal

import polars as pl
import pytest
from fastapi.testclient import TestClient
from hypothesis import given
from hypothesis import strategies as st
from openpyxl import Workbook

from jcm import audit
from jcm.auth.rules import Role
from jcm.auth.service import create_token, create_user
from jcm.db import Database
from jcm.errors import ImportRejected
from jcm.settings import Settings
from jcm.uploads import UploadLimits, check_upload, read_file, receive, size_text
from jcm.web.app import create_app
from tests.subsidy_db.helpers import REPRESENTATIVE, record

CTX = audit.Context(actor="tester")
CSV = frozenset({".csv"})


def _said(exc: ImportRejected) -> str:
    return " / ".join(f"{p.message_en} / {p.message_ja}" for p in exc.problems)


def _workbook(rows: list[dict[str, object]], padding: int = 0) -> bytes:
    """A real xlsx of application rows; ``padding`` bytes of zeros inside make it a bomb."""
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.append(list(rows[0]))
    for r in rows:
        ws.append(list(r.values()))
    out = io.BytesIO()
    wb.save(out)
    if not padding:
        return out.getvalue()
    with zipfile.ZipFile(out, "a", zipfile.ZIP_DEFLATED) as z:
        z.writestr("xl/media/padding.bin", b"\0" * padding)
    return out.getvalue()


def _client(db: Database, **settings: object) -> tuple[TestClient, dict[str, str]]:
    with db.write() as s:
        create_user(
            s, CTX, username="participant", password="long-enough-password", role=Role.SECRETARIAT
        )
        token = create_token(s, CTX, "participant", "test")
    app = create_app(Settings(environment="test", **settings), db=db)  # type: ignore[arg-type]
    return TestClient(app), {"Authorization": f"Bearer {token}"}


def _post(c: TestClient, auth: dict[str, str], name: str, content: object) -> object:
    return c.post(
        "/api/v1/subsidy/imports",
        headers=auth,
        data={"representative": REPRESENTATIVE},
        files={"file": (name, content, "application/octet-stream")},
    )


def _count(c: TestClient, auth: dict[str, str]) -> int:
    return len(c.get("/api/v1/subsidy/applications", headers=auth).json())


def test_a_good_workbook_is_imported_and_the_same_workbook_as_a_bomb_is_refused(
    database: Database,
) -> None:
    c, auth = _client(database)
    bomb = _post(c, auth, "apps.xlsx", _workbook([record(id="BOMB-1")], padding=30_000_000))
    assert bomb.status_code == 422  # type: ignore[attr-defined]
    (problem,) = bomb.json()["errors"]  # type: ignore[attr-defined]
    assert problem["field"] == "file"
    assert "100:1" in problem["message_en"]
    assert "100:1" in problem["message_ja"]
    assert _count(c, auth) == 0
    good = _post(c, auth, "apps.xlsx", _workbook([record(id="GOOD-1")]))
    assert good.status_code == 201, good.json()  # type: ignore[attr-defined]
    assert _count(c, auth) == 1


def test_a_file_over_the_limit_is_refused_naming_the_limit(database: Database) -> None:
    c, auth = _client(database, max_upload_bytes=4096)
    header = ",".join(record()) + "\n"
    big = (header + "x" * 10_000).encode()
    refused = _post(c, auth, "apps.csv", big)
    assert refused.status_code == 422  # type: ignore[attr-defined]
    (problem,) = refused.json()["errors"]  # type: ignore[attr-defined]
    assert problem["message_en"] == "The file is larger than the upload limit of 4 KB."
    assert problem["message_ja"] == "ファイルがアップロードの上限（4 KB）を超えています。"
    assert _count(c, auth) == 0


def test_a_body_past_the_limit_is_refused_before_it_is_parsed(database: Database) -> None:
    c, auth = _client(database, max_upload_bytes=4096)
    declared = _post(c, auth, "apps.csv", b"a" * (3 << 20))
    assert declared.status_code == 413  # type: ignore[attr-defined]
    assert declared.json()["code"] == "body_too_large"  # type: ignore[attr-defined]
    assert "4 KB" in declared.json()["detail_ja"]  # type: ignore[attr-defined]

    def chunks() -> Iterator[bytes]:  # no Content-Length: counted as it streams
        yield b"--x\r\n"
        for _ in range(3):
            yield b"a" * (1 << 20)

    streamed = c.post(
        "/api/v1/subsidy/imports",
        headers={**auth, "Content-Type": "multipart/form-data; boundary=x"},
        content=chunks(),
    )
    assert streamed.status_code == 413
    assert streamed.json()["code"] == "body_too_large"
    assert _count(c, auth) == 0


def test_the_page_refuses_a_bomb_in_the_persons_language(database: Database) -> None:
    from tests.web.helpers import csrf_of

    c, _ = _client(database)
    c.cookies.set("jcm_lang", "ja")
    token = csrf_of(c.get("/login").text)
    form = {"username": "participant", "password": "long-enough-password", "csrf_token": token}
    assert c.post("/login", data=form, follow_redirects=False).status_code == 303
    token = csrf_of(c.get("/subsidy/import").text)
    page = c.post(
        "/subsidy/import",
        data={"representative": REPRESENTATIVE, "csrf_token": token},
        files={"file": ("apps.xlsx", _workbook([record()], padding=30_000_000), "x")},
    )
    assert page.status_code == 422
    assert "圧縮率が上限（100:1）" in page.text


def test_a_parquet_file_with_too_many_rows_is_refused_from_its_footer() -> None:
    out = io.BytesIO()
    pl.DataFrame({"value": list(range(1000))}).write_parquet(out)
    data = out.getvalue()
    check_upload("m.parquet", data, frozenset({".parquet"}), UploadLimits(max_parquet_rows=1000))
    pl.DataFrame({"value": list(range(1001))}).write_parquet(out := io.BytesIO())
    with pytest.raises(ImportRejected) as refused:
        check_upload(
            "m.parquet",
            out.getvalue(),
            frozenset({".parquet"}),
            UploadLimits(max_parquet_rows=1000),
        )
    assert refused.value.problems[0].field == "file"
    assert "1,001 rows" in _said(refused.value)
    with pytest.raises(ImportRejected) as damaged:
        check_upload("m.parquet", b"PAR1 not really", frozenset({".parquet"}))
    assert "damaged" in _said(damaged.value)


def test_a_stream_is_read_only_up_to_the_limit() -> None:
    class Endless(io.RawIOBase):
        read_so_far = 0

        def read(self, size: int = -1) -> bytes:
            self.read_so_far += size
            return b"a" * size

    stream = Endless()
    with pytest.raises(ImportRejected) as refused:
        receive("x.csv", stream, CSV, UploadLimits(max_bytes=2 << 20))  # type: ignore[arg-type]
    assert "upload limit of 2 MB" in _said(refused.value)
    assert stream.read_so_far <= (2 << 20) + (1 << 20)


def test_a_command_line_file_is_refused_by_its_size_before_it_is_read(tmp_path: object) -> None:
    from pathlib import Path

    path = Path(str(tmp_path)) / "p.csv"
    path.write_bytes(b"a" * 5000)
    with pytest.raises(ImportRejected) as big:
        read_file(path, CSV, UploadLimits(max_bytes=4096))
    assert "4 KB" in _said(big.value)
    with pytest.raises(ImportRejected) as wrong:
        read_file(path.with_suffix(".exe"), CSV)
    assert "not of a type" in _said(wrong.value)
    assert read_file(path, CSV, UploadLimits(max_bytes=5000)) == b"a" * 5000


def test_an_empty_file_is_refused() -> None:
    with pytest.raises(ImportRejected) as empty:
        check_upload("x.csv", b"", CSV)
    assert _said(empty.value) == "The file is empty. / ファイルが空です。"


@given(st.integers(min_value=1, max_value=1 << 40))
def test_a_limit_is_written_as_people_read_it(n: int) -> None:
    text = size_text(n)
    number, unit = text.split(" ")
    scale = {"B": 1, "KB": 1 << 10, "MB": 1 << 20, "GB": 1 << 30}[unit]
    assert abs(Decimal(number) * scale - n) <= Decimal("0.05") * scale  # exact: 1280 B is 1.2 KB
    assert size_text(50 << 20) == "50 MB"
    assert size_text(2 << 30) == "2 GB"
