"""QA fast path: answer the per-series aggregate from the ingest catalogue where it proves that
no per-reading check can fire, and run the full per-reading QA only for the other series.

A series is answered from the catalogue only when it is written under one key (one unit, no
trimming merges), is an interval meter, has as many distinct timestamps as readings (no
duplicates), lies inside the period, has no negative value, whose largest reading is within
capacity (the same Float64 test as the per-reading check, which is monotonic in the value), and
is either free of calibration windows or inside one window from its first to its last reading.
Then every reading is valid and credited, and the aggregate is exactly what the per-reading
pass would produce. Everything else goes through the reference QA unchanged.
"""

from __future__ import annotations

from datetime import datetime

import polars as pl

from jcm.mrv import qa_frames as qf
from jcm.mrv.ingest import Catalogue
from jcm.mrv.inputs import PointKind

_ZERO_COUNTS = (
    "duplicates",
    "conflicts",
    "negative",
    "over_capacity",
    "resets",
    "rollovers",
    "out_of_calibration",
)
_FLAGS = ("neg", "over", "reset", "out_cal", "dup", "rolled")


def declared_keys(catalogue: Catalogue) -> pl.DataFrame:
    """Distinct trimmed (point, parameter) keys present in the file."""
    return catalogue.keys.select(qf.SERIES).unique()


def split(
    catalogue: Catalogue,
    spec: pl.DataFrame,
    unit_table: pl.DataFrame,
    start: datetime,
    end: datetime,
) -> tuple[pl.DataFrame, pl.DataFrame]:
    """(aggregate rows of the series proven clean, spec rows of the series still to check)."""
    keys = catalogue.keys
    k = sum(1 for c in spec.columns if c.startswith("cf"))
    per_series = keys.group_by(qf.SERIES).agg(pl.len().alias("raw_keys"))
    single = keys.join(per_series.filter(pl.col("raw_keys") == 1), on=qf.SERIES, how="semi")
    joined = single.join(spec, on=qf.SERIES, how="inner").join(unit_table, on="unit", how="left")
    over = (
        pl.col("vmax").cast(pl.Float64) * pl.col("unit_kwh")
        > pl.col("capacity_kw") * pl.col("interval_h") * 1.000001
    ).fill_null(False)
    covered = (
        pl.any_horizontal(
            (pl.col(f"cf{i}") <= pl.col("ts_min")) & (pl.col("ts_max") < pl.col(f"ct{i}"))
            for i in range(k)
        ).fill_null(False)
        if k
        else pl.lit(False)
    )
    clean = joined.filter(
        (pl.col("kind") == PointKind.INTERVAL.value)
        & (pl.col("unique_ts") == pl.col("n"))
        & (pl.col("ts_min") >= start)
        & (pl.col("ts_max") < end)
        & (pl.col("vmin") >= 0)
        & ~over
        & (~pl.col("checks_cal") | covered)
    )
    agg = clean.select(
        *qf.SERIES,
        pl.col("n").cast(pl.UInt32).alias("slots"),
        pl.col("unique_ts").cast(pl.UInt32),
        *[pl.lit(0, pl.UInt32).alias(c) for c in _ZERO_COUNTS],
        pl.lit(1, pl.UInt32).alias("unit_count"),
        "unit",
        pl.col("vsum").alias("sum_in"),
        pl.lit(None, qf.VALUE_TYPE).alias("sum_out"),
        pl.col("vmax").alias("max_ok"),
        *[pl.lit(None, pl.UInt64).alias(f"{f}_{e}") for f in _FLAGS for e in ("first", "last")],
    )
    present = spec.join(keys.select(qf.SERIES), on=qf.SERIES, how="semi")
    rest = present.join(clean.select(qf.SERIES), on=qf.SERIES, how="anti")
    return agg, rest


def raw_points(catalogue: Catalogue, series: list[tuple[str, str]]) -> list[str]:
    """The point names as written in the file for the given trimmed series."""
    wanted = pl.DataFrame(series, schema=qf.SERIES, orient="row")
    found = catalogue.keys.join(wanted, on=qf.SERIES, how="semi")
    return [str(p) for p in found["point_raw"].unique().to_list()]
