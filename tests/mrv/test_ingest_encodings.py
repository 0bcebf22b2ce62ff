"""Monitoring CSVs as Japanese offices save them: CP932 (transcoded for Polars), UTF-8 with
BOM and CRLF; the encoding found is kept with the file; a chosen one is obeyed."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest

from jcm.errors import ImportRejected
from jcm.mrv.ingest import read_monitoring_file

TEXT = (
    "timestamp,point,parameter,value,unit\r\n"
    "2024-01-01T00:00:00+07:00,発電所①ＰＶ,EG,1.5,kWh\r\n"
    "2024-01-01T00:15:00+07:00,発電所①ＰＶ,EG,-2,kWh\r\n"
)


@pytest.mark.parametrize(
    ("data", "found"),
    [
        (TEXT.encode("cp932"), "cp932"),
        (b"\xef\xbb\xbf" + TEXT.encode("utf-8"), "utf-8-sig"),
        (TEXT.encode("utf-8"), "utf-8"),
    ],
)
def test_a_japanese_monitoring_csv_is_read(tmp_path: Path, data: bytes, found: str) -> None:
    path = tmp_path / "m.csv"
    path.write_bytes(data)
    got = read_monitoring_file(path)
    assert got.encoding == found
    frame = got.frame.collect()
    assert frame["point"].to_list() == ["発電所①ＰＶ", "発電所①ＰＶ"]
    assert [str(v) for v in frame["value"].to_list()] == ["1.500000000", "-2.000000000"]
    assert frame["ts"].dt.hour().to_list() == [17, 17]  # 2023-12-31 17:00 UTC
    assert got.sha256  # of the file as uploaded, not of its transcoding


def test_the_chosen_encoding_is_obeyed(tmp_path: Path) -> None:
    path = tmp_path / "m.csv"
    path.write_bytes(TEXT.encode("cp932"))
    with pytest.raises(ImportRejected) as refused:
        read_monitoring_file(path, encoding="utf-8")
    assert "m.csv cannot be read as text: not UTF-8 at byte" in refused.value.message_en
    assert read_monitoring_file(path, encoding="shift_jis").encoding == "cp932"


def test_undecodable_bytes_are_refused_in_both_languages(tmp_path: Path) -> None:
    path = tmp_path / "m.csv"
    path.write_bytes(TEXT.encode("cp932") + b"2024-01-01T00:30:00+07:00,\x81\x20,EG,1,kWh\r\n")
    with pytest.raises(ImportRejected) as refused:
        read_monitoring_file(path)
    assert "(row 4)" in refused.value.message_en
    assert "m.csv を文字として読み取れません" in refused.value.message_ja


def test_xlsx_and_parquet_have_no_text_encoding(tmp_path: Path) -> None:
    path = tmp_path / "m.parquet"
    pl.DataFrame(
        {
            "timestamp": ["2024-01-01T00:00:00+07:00"],
            "point": ["発電所①"],
            "parameter": ["EG"],
            "value": ["1"],
            "unit": ["kWh"],
        }
    ).write_parquet(path)
    assert read_monitoring_file(path, encoding="cp932").encoding is None
