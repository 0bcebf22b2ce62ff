from __future__ import annotations

import io
import zipfile

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from jcm.errors import ImportRejected, ValidationFailed
from jcm.projects.io import read_rows
from jcm.uploads import UploadLimits, check_upload


def _bomb() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("xl/worksheets/sheet1.xml", b"0" * 5_000_000)
    return buffer.getvalue()


def test_a_decompression_bomb_is_refused_before_the_workbook_is_opened() -> None:
    with pytest.raises(ImportRejected):
        read_rows("projects.xlsx", _bomb())


def test_an_unlisted_type_or_an_oversized_file_is_refused() -> None:
    with pytest.raises(ImportRejected):
        check_upload("x.exe", b"MZ", frozenset({".csv"}))
    with pytest.raises(ImportRejected):
        check_upload("x.csv", b"a" * 2048, frozenset({".csv"}), UploadLimits(max_bytes=1024))


@settings(max_examples=60, deadline=None)
@given(name=st.sampled_from(["p.csv", "p.xlsx"]), data=st.binary(max_size=2000))
def test_random_bytes_never_crash_the_project_importer(name: str, data: bytes) -> None:
    try:
        read_rows(name, data)
    except ValidationFailed:
        pass


def test_a_csv_with_bare_carriage_returns_is_read_and_an_unreadable_one_names_its_row() -> None:
    header = b"ref,partner_country\r\n"
    rows = read_rows("p.csv", header + b'ID1,"IDN\rX"\rID2,IDN\r')
    assert [r["ref"] for r in rows] == ["ID1", "ID2"]
    with pytest.raises(ImportRejected, match=r"row\(s\) 3\.") as refused:  # above csv's limit
        read_rows("p.csv", header + b"ID1,IDN\r\nID2," + b"x" * 200_000 + b"\r\n")
    assert refused.value.problems[0].row == 3
