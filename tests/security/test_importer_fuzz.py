"""Hypothesis feeds random bytes and random CSV to every importer: the only way a file may be
refused is the domain's ``ImportRejected`` / ``ValidationFailed``, never a crash."""

from __future__ import annotations

import csv
import io
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from jcm.errors import ValidationFailed
from jcm.mrv.ingest import COLUMNS, read_monitoring_file
from jcm.subsidy.io import applications_from_records, read_applications
from jcm.subsidy.service_selection import file_records
from jcm.subsidy.settings import FY2022

FUZZ = settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)

SUBSIDY_COLUMNS = [
    "id",
    "title",
    "country_iso3",
    "technology",
    "total_cost_jpy",
    "subsidy_requested_jpy",
    "expected_reduction_tco2_per_year",
    "schedule_jpy_fy2022",
    "schedule_jpy_fy2023",
]
cells = st.one_of(
    st.text(max_size=12),
    st.integers(-(10**12), 10**12).map(str),
    st.decimals(allow_nan=True, allow_infinity=True, places=3).map(str),
    st.sampled_from(["", " ", "NaN", "inf", "-1", "1e309", "2024-13-45", "=1+1", "\x00"]),
)


def _csv(header: list[str], rows: list[list[str]]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue().encode("utf-8", "surrogatepass")


def _csv_of(columns: list[str]) -> st.SearchStrategy[bytes]:
    header = st.lists(st.sampled_from(columns), min_size=1, max_size=len(columns) + 2)
    return header.flatmap(
        lambda h: st.lists(st.lists(cells, min_size=len(h), max_size=len(h)), max_size=6).map(
            lambda rows: _csv(h, rows)
        )
    )


def _write(suffix: str, data: bytes) -> Path:
    folder = Path(tempfile.mkdtemp(prefix="jcm-fuzz-"))
    path = folder / f"upload{suffix}"
    path.write_bytes(data)
    return path


SUFFIXES = [".csv", ".json", ".xlsx"]


@FUZZ
@given(suffix=st.sampled_from(SUFFIXES), data=st.binary(max_size=2000))
def test_random_bytes_never_crash_the_subsidy_importer(suffix: str, data: bytes) -> None:
    try:
        applications_from_records(file_records(f"a{suffix}", data), FY2022)
    except ValidationFailed:
        pass
    try:
        read_applications(_write(suffix, data), FY2022)
    except ValidationFailed:
        pass


@FUZZ
@given(data=_csv_of(SUBSIDY_COLUMNS))
def test_random_csv_never_crashes_the_subsidy_importer(data: bytes) -> None:
    try:
        applications_from_records(file_records("a.csv", data), FY2022)
    except ValidationFailed:
        pass


@FUZZ
@given(
    records=st.lists(
        st.dictionaries(
            st.sampled_from(SUBSIDY_COLUMNS),
            st.one_of(cells, st.none(), st.integers(), st.floats(), st.booleans()),
        ),
        max_size=4,
    )
)
def test_random_records_never_crash_the_subsidy_parser(records: list[dict[str, object]]) -> None:
    try:
        applications_from_records([(i + 2, r) for i, r in enumerate(records)], FY2022)
    except ValidationFailed:
        pass


@FUZZ
@given(suffix=st.sampled_from([".csv", ".xlsx", ".parquet"]), data=st.binary(max_size=2000))
def test_random_bytes_never_crash_the_monitoring_importer(suffix: str, data: bytes) -> None:
    try:
        read_monitoring_file(_write(suffix, data))
    except ValidationFailed:
        pass


MRV_CELLS = st.one_of(
    cells,
    st.sampled_from(
        ["2024-04-01 00:00", "2024-04-01T00:00:00+09:00", "2024-04-01Z", "kWh", "MWh", "p1"]
    ),
)


@FUZZ
@given(
    header=st.lists(st.sampled_from([*COLUMNS, "extra"]), min_size=1, max_size=7),
    rows=st.lists(st.lists(MRV_CELLS, min_size=7, max_size=7), max_size=6),
)
def test_random_csv_never_crashes_the_monitoring_importer(
    header: list[str], rows: list[list[str]]
) -> None:
    data = _csv(header, [r[: len(header)] for r in rows])
    try:
        read_monitoring_file(_write(".csv", data))
    except ValidationFailed:
        pass
