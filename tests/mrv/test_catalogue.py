"""The catalogue's distinct-timestamp count is exact, whether proven from the one-pass line
sums or counted for the keys the proof leaves open."""

from datetime import UTC, datetime, timedelta
from unittest.mock import patch

import polars as pl
from hypothesis import given, settings
from hypothesis import strategies as st
from polars.testing import assert_frame_equal

from jcm.mrv import ingest
from jcm.mrv.ingest import _on_a_line, _on_the_step, from_frame

T0 = datetime(2024, 1, 1, tzinfo=UTC)


def _unique_ts(df: pl.DataFrame) -> dict[tuple[str, str], int]:
    data = from_frame(df, "t.parquet", "UTC")
    assert data.catalogue is not None
    keys = data.catalogue.keys
    return {(p, u): int(c) for p, u, c in keys.select("point_raw", "unit_raw", "unique_ts").rows()}


def _expected(df: pl.DataFrame) -> dict[tuple[str, str], int]:
    out = df.group_by("point", "unit").agg(pl.col("timestamp").n_unique())
    return {(p, u): int(c) for p, u, c in out.rows()}


def _frame(rows: list[tuple[int, str, str]]) -> pl.DataFrame:
    return pl.DataFrame(
        {
            "timestamp": [T0 + timedelta(minutes=15 * s) for s, _, _ in rows],
            "point": [p for _, p, _ in rows],
            "parameter": ["EG"] * len(rows),
            "value": [1.0] * len(rows),
            "unit": [u for _, _, u in rows],
        },
        schema_overrides={"timestamp": pl.Datetime("us", "UTC")},
    )


@settings(max_examples=150, deadline=None)
@given(
    rows=st.lists(
        st.tuples(st.integers(0, 12), st.sampled_from(["A", "B", "C"]), st.sampled_from(["kWh"])),
        max_size=30,
    ),
    order=st.sampled_from(["as drawn", "key then time", "time then key"]),
)
def test_distinct_timestamps_are_counted_exactly(
    rows: list[tuple[int, str, str]], order: str
) -> None:
    if order == "key then time":
        rows = sorted(rows, key=lambda r: (r[1], r[0]))
    elif order == "time then key":
        rows = sorted(rows)
    df = _frame(rows)
    assert _unique_ts(df) == _expected(df)


def test_regular_files_in_either_order_are_proven_without_counting() -> None:
    rows = [(s, p, "kWh") for p in ("A", "B") for s in range(8)]
    for ordered in (rows, sorted(rows)):
        df = _frame(ordered).with_row_index("r")
        for _, part in df.group_by("point"):
            r = part["r"].cast(pl.Int64).to_list()
            f = [int(t.timestamp()) for t in part["timestamp"]]
            n = len(r)
            sums = (sum(r), sum(x * x for x in r), sum(f), sum(x * x for x in f))
            assert _on_a_line(n, *sums, sum(a * b for a, b in zip(r, f, strict=True)))


def test_a_repeat_or_a_gap_leaves_the_proof_open() -> None:
    def proven(f: list[int]) -> bool:
        r = list(range(len(f)))
        return _on_a_line(
            len(f),
            sum(r),
            sum(x * x for x in r),
            sum(f),
            sum(x * x for x in f),
            sum(a * b for a, b in zip(r, f, strict=True)),
        )

    assert proven([0, 900, 1800, 2700])
    assert proven([2700, 1800, 900, 0])
    assert not proven([0, 900, 900, 2700])  # a repeat
    assert not proven([0, 900, 2700, 3600])  # a gap: counted exactly instead
    assert not proven([5, 5])
    assert proven([7])


def test_the_step_proof_needs_one_constant_and_a_small_enough_pace() -> None:
    def proven(f: list[int], rows: int = 1, micros: int = 900) -> bool:
        h = [rows * x - micros * r for r, x in enumerate(f)]
        return _on_the_step(len(f), min(h), max(h), micros, len(f))

    assert proven([0, 900, 1800, 2700])
    assert not proven([0, 900, 900, 2700])  # a repeat
    assert not proven([0, 900, 2700, 3600])  # a gap: counted exactly instead
    assert not proven([0, 0, 0], micros=0)
    assert proven([7])
    assert _on_the_step(2, 5, 5, 1 << 62, 1)
    # |pace| x rows must stay below 2^63, or a wrapped product could fake the constant
    assert not _on_the_step(2, 5, 5, 1 << 62, 2)


def _keys(df: pl.DataFrame) -> pl.DataFrame:
    data = from_frame(df, "t.parquet", "UTC")
    assert data.catalogue is not None
    return data.catalogue.keys.sort("point_raw", "parameter_raw", "unit_raw", nulls_last=True)


@settings(max_examples=60, deadline=None)
@given(
    rows=st.lists(
        st.tuples(
            st.integers(0, 12),
            st.sampled_from(["A", "B", " A"]),
            st.sampled_from(["EG", "EC"]),
            st.sampled_from(["kWh", "MWh"]),
        ),
        min_size=1,
        max_size=30,
    ),
    head=st.integers(1, 31),
)
def test_grouping_by_point_and_head_pair_gives_the_three_string_key_table(
    rows: list[tuple[int, str, str, str]], head: int
) -> None:
    df = pl.DataFrame(
        {
            "timestamp": [T0 + timedelta(minutes=15 * s) for s, _, _, _ in rows],
            "point": [p for _, p, _, _ in rows],
            "parameter": [q for _, _, q, _ in rows],
            "value": [float(s) for s, _, _, _ in rows],
            "unit": [u for _, _, _, u in rows],
        },
        schema_overrides={"timestamp": pl.Datetime("us", "UTC")},
    )
    with patch.object(ingest, "_MAX_PAIRS", 0):  # always the three-string group-by
        expected = _keys(df)
    with patch.object(ingest, "_HEAD", head):  # pairs past the head: the fallback
        assert_frame_equal(_keys(df), expected)
