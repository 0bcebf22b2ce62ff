"""Column-wise QA building blocks in Polars: point specification, flags, de-duplication,
cumulative-meter deltas and the per-series aggregate. No Python loop touches a reading.
"""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import polars as pl

from jcm.mrv import units
from jcm.mrv.inputs import CalcInput, Point, PointKind
from jcm.mrv.methodology import Methodology, Side

SERIES = ["point", "parameter"]
VALUE_TYPE = pl.Decimal(38, 9)


def _utc(t: datetime, zone: str) -> datetime:
    return (t if t.tzinfo else t.replace(tzinfo=ZoneInfo(zone))).astimezone(ZoneInfo("UTC"))


def window_count(points: list[Point]) -> int:
    return max((len(p.calibration) for p in points), default=0)


def spec_frame(inputs: CalcInput, methodology: Methodology) -> pl.DataFrame:
    """One row per declared file-fed point: kind, capacity, side and calibration windows."""
    points = [p for p in inputs.points if not (p.kind is PointKind.TOTAL and p.total)]
    k = window_count(points)
    rows = []
    for p in points:
        param = methodology.parameter(p.parameter)
        row: dict[str, object] = {
            "point": p.id,
            "parameter": p.parameter,
            "kind": p.kind.value,
            "interval_h": p.interval_minutes / 60,
            "capacity_kw": float(p.capacity_kw) if p.capacity_kw and param.generation else None,
            "rollover": p.rollover_at,
            "project_side": param.side is Side.PROJECT,
            "checks_cal": bool(p.calibration),
        }
        for i in range(k):
            w = p.calibration[i] if i < len(p.calibration) else None
            row[f"cf{i}"] = _utc(w.valid_from, inputs.timezone) if w else None
            row[f"ct{i}"] = _utc(w.valid_to, inputs.timezone) if w else None
        rows.append(row)
    schema: dict[str, pl.DataType] = {
        "point": pl.String(),
        "parameter": pl.String(),
        "kind": pl.String(),
        "interval_h": pl.Float64(),
        "capacity_kw": pl.Float64(),
        "rollover": VALUE_TYPE,
        "project_side": pl.Boolean(),
        "checks_cal": pl.Boolean(),
    }
    for i in range(k):
        schema[f"cf{i}"] = pl.Datetime("us", "UTC")
        schema[f"ct{i}"] = pl.Datetime("us", "UTC")
    return pl.DataFrame(rows, schema=schema, orient="row")


def unit_frame(unit_list: list[str]) -> pl.DataFrame:
    """kWh per unit for energy units (null otherwise), for the capacity check."""
    kwh = []
    for u in unit_list:
        dim, _ = units.dimension_and_factor(u)
        kwh.append(float(units.factor(u, "kWh")) if dim == "energy" else None)
    return pl.DataFrame(
        {"unit": unit_list, "unit_kwh": kwh}, schema={"unit": pl.String, "unit_kwh": pl.Float64}
    )


def dedupe(frame: pl.LazyFrame) -> pl.LazyFrame:
    """One reading per (point, parameter, ts): the conservative one when they disagree.

    Deterministic whatever order the engine delivers the rows in: every kept column is chosen
    by value or by the lowest file row (spec columns are constant per series), never by arrival
    order; ``units`` counts the distinct units among the copies, so a duplicate written in
    another unit always reaches the mixed-units check.
    """
    spec_cols = [
        c
        for c in frame.collect_schema().names()
        if c not in {"row", "ts", "value", "unit", *SERIES}
    ]
    return frame.group_by([*SERIES, "ts"]).agg(
        pl.when(pl.col("project_side").first())
        .then(pl.col("value").max())
        .otherwise(pl.col("value").min())
        .alias("value"),
        pl.col("row").min(),
        pl.col("unit").sort_by("row").first(),
        pl.col("unit").n_unique().alias("units"),
        pl.len().alias("copies"),
        pl.col("value").n_unique().alias("versions"),
        *[pl.col(c).first() for c in spec_cols],
    )


def cumulative_deltas(frame: pl.LazyFrame) -> pl.LazyFrame:
    """Turn register readings into interval quantities, handling rollovers and resets."""
    prev, raw = pl.col("prev"), pl.col("value") - pl.col("prev")
    rolled = (
        raw.lt(0)
        & pl.col("rollover").is_not_null()
        & (prev.cast(pl.Float64) >= pl.col("rollover").cast(pl.Float64) * 0.9)
    )
    return (
        frame.sort([*SERIES, "ts"])
        .with_columns(
            prev=pl.col("value").shift(1).over(SERIES), prev_ts=pl.col("ts").shift(1).over(SERIES)
        )
        .filter(pl.col("prev").is_not_null())
        .with_columns(
            reset=raw.lt(0) & ~rolled,
            rolled=rolled,
            hours=(pl.col("ts") - pl.col("prev_ts")).dt.total_seconds() / 3600,
            value=pl.when(rolled)
            .then(pl.col("value") + pl.col("rollover") - prev)
            .when(raw.lt(0))
            .then(pl.lit(0))
            .otherwise(raw)
            .cast(VALUE_TYPE),
        )
        .drop("prev", "prev_ts")
    )


def in_calibration(k: int) -> pl.Expr:
    """True when the reading's meter had no declared windows or one covers it."""
    if k == 0:
        return pl.lit(True)
    covered = pl.any_horizontal(
        (pl.col("ts") >= pl.col(f"cf{i}")) & (pl.col("ts") < pl.col(f"ct{i}")) for i in range(k)
    )
    return ~pl.col("checks_cal") | covered.fill_null(False)


def flagged(frame: pl.LazyFrame, k: int) -> pl.LazyFrame:
    """Add the per-reading QA flags: negative, over capacity, reset, out of calibration."""
    names = frame.collect_schema().names()
    hours = pl.coalesce("hours", "interval_h") if "hours" in names else pl.col("interval_h")
    energy_kwh = pl.col("value").cast(pl.Float64) * pl.col("unit_kwh")
    over = (energy_kwh > pl.col("capacity_kw") * hours * 1.000001).fill_null(False)
    neg = pl.col("value") < 0
    reset = pl.col("reset").fill_null(False) if "reset" in names else pl.lit(False)
    return frame.with_columns(
        neg=neg,
        over=over & ~neg,
        reset=reset,
        incal=in_calibration(k),
        ok=~neg & ~over & ~reset,
    )


def _rows_where(flag: str) -> list[pl.Expr]:
    return [
        pl.col("row").filter(pl.col(flag)).min().alias(f"{flag}_first"),
        pl.col("row").filter(pl.col(flag)).max().alias(f"{flag}_last"),
    ]


def aggregate(frame: pl.LazyFrame) -> pl.LazyFrame:
    """Per-series counts, credited sums (in the file's unit) and example rows."""
    names = frame.collect_schema().names()
    copies = pl.col("copies").fill_null(1) if "copies" in names else pl.lit(1, pl.UInt32)
    versions = pl.col("versions").fill_null(1) if "versions" in names else pl.lit(1, pl.UInt32)
    unit_versions = pl.col("units").fill_null(1) if "units" in names else pl.lit(1, pl.UInt32)
    rolled = pl.col("rolled").fill_null(False) if "rolled" in names else pl.lit(False)
    out_cal = pl.col("ok") & ~pl.col("incal")
    return (
        frame.with_columns(out_cal=out_cal, dup=copies > 1, rolled=rolled)
        .group_by(SERIES)
        .agg(
            pl.len().alias("slots"),
            pl.col("ts").n_unique().alias("unique_ts"),
            (copies - 1).sum().alias("duplicates"),
            (versions > 1).sum().alias("conflicts"),
            pl.max_horizontal(pl.col("unit").n_unique(), unit_versions.max()).alias("unit_count"),
            pl.col("unit").sort_by("row").first(),
            pl.col("neg").sum().alias("negative"),
            pl.col("over").sum().alias("over_capacity"),
            pl.col("reset").sum().alias("resets"),
            pl.col("rolled").sum().alias("rollovers"),
            pl.col("out_cal").sum().alias("out_of_calibration"),
            pl.col("value").filter(pl.col("ok") & pl.col("incal")).sum().alias("sum_in"),
            pl.col("value").filter(pl.col("out_cal")).sum().alias("sum_out"),
            pl.col("value").filter(pl.col("ok")).max().alias("max_ok"),
            *_rows_where("neg"),
            *_rows_where("over"),
            *_rows_where("reset"),
            *_rows_where("out_cal"),
            *_rows_where("dup"),
            *_rows_where("rolled"),
        )
    )


def prepared(
    frame: pl.LazyFrame,
    spec: pl.DataFrame,
    unit_table: pl.DataFrame,
    start: datetime,
    end: datetime,
) -> pl.LazyFrame:
    """Readings of declared points inside the period, joined with their point spec."""
    return (
        frame.filter((pl.col("ts") >= start) & (pl.col("ts") < end))
        .join(spec.lazy(), on=SERIES, how="inner")
        .join(unit_table.lazy(), on="unit", how="left")
    )


def gap_starts(
    frame: pl.LazyFrame,
    series: list[tuple[str, str]],
    start: datetime,
    end: datetime,
    limit: int = 3,
) -> dict[tuple[str, str], list[str]]:
    """First few missing-interval start times of the named series (ISO, UTC)."""
    if not series:
        return {}
    keys = pl.DataFrame(series, schema=SERIES, orient="row").lazy()
    step = pl.duration(seconds=pl.col("interval_h") * 3600)
    prev_end = pl.col("ts").shift(1).over(SERIES) + step
    tail = (pl.col("ts").max() + step.first()).alias("ts")
    # The readings are read once. No de-duplication needed: a repeated timestamp follows its
    # twin, whose end lies after it, so it opens no gap, and the next distinct timestamp sees the
    # same previous one. Sorting by time alone is enough: ``over`` takes each series apart and
    # keeps the rows' order within it.
    readings = (
        frame.join(keys, on=SERIES, how="semi").select([*SERIES, "ts", "interval_h"]).collect()
    ).lazy()
    found = (
        readings.sort("ts")
        .with_columns(gap=pl.coalesce(prev_end, pl.lit(start, pl.Datetime("us", "UTC"))))
        .filter(pl.col("ts") > pl.col("gap"))
        .select([*SERIES, "gap"])
    )
    ends = readings.group_by(SERIES).agg(tail).filter(pl.col("ts") < end).rename({"ts": "gap"})
    rows = (
        pl.concat([found, ends])
        .sort([*SERIES, "gap"])
        .group_by(SERIES, maintain_order=True)
        .agg(pl.col("gap").head(limit))
        .collect()
    )
    return {
        (str(r["point"]), str(r["parameter"])): [t.isoformat() for t in r["gap"]]
        for r in rows.iter_rows(named=True)
    }
