from datetime import datetime
from pathlib import Path

import polars as pl
import pytest
from openpyxl import Workbook

from jcm.errors import ImportRejected
from jcm.mrv.ingest import read_monitoring_file

HEADER = ["timestamp", "point", "parameter", "value", "unit"]
GOOD = [
    ["2024-01-01T00:00:00+07:00", "PV-1", "EG", "1.5", "kWh"],
    ["2024-01-01 00:15:00", "PV-1", "EG", "2", "kWh"],
]


def _csv(tmp_path: Path, rows: list[list[str]], header: list[str] = HEADER) -> Path:
    path = tmp_path / "m.csv"
    path.write_text("\n".join(",".join(r) for r in [header, *rows]) + "\n")
    return path


def _xlsx(tmp_path: Path, rows: list[list[object]], header: list[str] = HEADER) -> Path:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    for r in [header, *rows]:
        sheet.append(r)
    path = tmp_path / "m.xlsx"
    book.save(path)
    return path


def _parquet(tmp_path: Path, columns: dict[str, list[object]]) -> Path:
    path = tmp_path / "m.parquet"
    pl.DataFrame(columns).write_parquet(path)
    return path


def _rejected(path: Path) -> ImportRejected:
    with pytest.raises(ImportRejected) as err:
        read_monitoring_file(path, "Asia/Jakarta")
    return err.value


def test_csv_timestamps_with_offsets_and_naive_ones_land_in_utc(tmp_path: Path) -> None:
    data = read_monitoring_file(_csv(tmp_path, GOOD), "Asia/Jakarta")
    ts = data.frame.collect()["ts"].to_list()
    assert [t.isoformat() for t in ts] == ["2023-12-31T17:00:00+00:00", "2023-12-31T17:15:00+00:00"]
    assert "Asia/Jakarta" in data.notes[0]
    assert len(data.sha256) == 64


def test_csv_with_an_unparsable_value_names_row_and_column(tmp_path: Path) -> None:
    err = _rejected(_csv(tmp_path, [*GOOD, ["2024-01-01 00:30", "PV-1", "EG", "n/a", "kWh"]]))
    assert [(p.row, p.field) for p in err.problems] == [(4, "value")]
    assert "row(s) 4" in err.message_en


def test_csv_with_a_bad_timestamp_and_unknown_unit_names_both(tmp_path: Path) -> None:
    rows = [
        ["31/12/2024", "PV-1", "EG", "1", "kWh"],
        ["2024-01-01 00:30", "PV-1", "EG", "1", "kwatt"],
    ]
    err = _rejected(_csv(tmp_path, rows))
    assert [(p.row, p.field) for p in err.problems] == [(2, "timestamp"), (3, "unit")]
    assert "kwatt" in err.problems[1].message_en


def test_csv_missing_a_column_names_it(tmp_path: Path) -> None:
    err = _rejected(_csv(tmp_path, [r[:4] for r in GOOD], HEADER[:4]))
    assert [(p.field, p.row) for p in err.problems] == [("unit", 1)]


def test_xlsx_reads_datetime_cells_in_the_declared_zone(tmp_path: Path) -> None:
    path = _xlsx(tmp_path, [[datetime(2024, 1, 1, 7), "PV-1", "EG", 1.25, "kWh"]])
    frame = read_monitoring_file(path, "Asia/Jakarta").frame.collect()
    assert frame["ts"][0].isoformat() == "2024-01-01T00:00:00+00:00"
    assert str(frame["value"][0]) == "1.250000000"


def test_xlsx_with_an_empty_point_names_row_and_column(tmp_path: Path) -> None:
    path = _xlsx(
        tmp_path,
        [
            [datetime(2024, 1, 1), "PV-1", "EG", 1, "kWh"],
            [datetime(2024, 1, 1, 0, 15), None, "EG", 1, "kWh"],
        ],
    )
    err = _rejected(path)
    assert [(p.row, p.field) for p in err.problems] == [(3, "point")]


def test_xlsx_with_text_in_the_value_column_names_row(tmp_path: Path) -> None:
    path = _xlsx(tmp_path, [[datetime(2024, 1, 1), "PV-1", "EG", "twelve", "kWh"]])
    err = _rejected(path)
    assert [(p.row, p.field) for p in err.problems] == [(2, "value")]
    assert "twelve" in err.problems[0].message_en


def test_parquet_with_a_null_value_names_the_record(tmp_path: Path) -> None:
    path = _parquet(
        tmp_path,
        {
            "timestamp": [
                datetime(2024, 1, 1),
                datetime(2024, 1, 1, 0, 15),
                datetime(2024, 1, 1, 0, 30),
            ],
            "point": ["PV-1"] * 3,
            "parameter": ["EG"] * 3,
            "value": [1.0, None, 2.0],
            "unit": ["kWh"] * 3,
        },
    )
    err = _rejected(path)
    assert [(p.row, p.field) for p in err.problems] == [(2, "value")]


def test_parquet_missing_a_column_is_refused(tmp_path: Path) -> None:
    path = _parquet(
        tmp_path,
        {"timestamp": [datetime(2024, 1, 1)], "point": ["PV-1"], "value": [1.0], "unit": ["kWh"]},
    )
    err = _rejected(path)
    assert [p.field for p in err.problems] == ["parameter"]


def test_parquet_typed_timestamps_with_zone_are_converted(tmp_path: Path) -> None:
    ts = pl.Series([datetime(2024, 1, 1, 7)]).dt.replace_time_zone("Asia/Bangkok")
    path = _parquet(
        tmp_path,
        {"timestamp": ts, "point": ["PV-1"], "parameter": ["EG"], "value": [3.0], "unit": ["MWh"]},
    )
    frame = read_monitoring_file(path, "UTC").frame.collect()
    assert frame["ts"][0].isoformat() == "2024-01-01T00:00:00+00:00"


def test_an_unsupported_file_type_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "m.txt"
    path.write_text("x")
    assert _rejected(path).problems[0].field == "file"


def test_a_parquet_column_of_the_wrong_type_is_refused_naming_the_column(tmp_path: Path) -> None:
    frame = pl.DataFrame(
        {
            "timestamp": [True, False],
            "point": [{"a": 1}, {"a": 2}],
            "parameter": ["EG", "EG"],
            "value": [[1], [2]],
            "unit": ["kWh", "kWh"],
        }
    )
    path = tmp_path / "typed.parquet"
    frame.write_parquet(path)
    with pytest.raises(ImportRejected) as refused:
        read_monitoring_file(path)
    problems = {p.field: p for p in refused.value.problems}
    assert set(problems) == {"timestamp", "point", "value"}
    assert "date-times or text" in problems["timestamp"].message_en
    assert "日時または文字列" in problems["timestamp"].message_ja
    assert "Boolean" in problems["timestamp"].message_en
