"""Synthetic monitoring data for demonstrations and benchmarks: pure and seeded.

* PV: interval generation from a clear-sky curve set by latitude, longitude and day of year,
  times a daily cloudiness drawn per site (some days heavily overcast);
* hydro: hourly run-of-river generation following a monsoon flow season;
* a small dataset with QA problems (gaps, a meter reset, duplicates, a negative value and a
  meter whose calibration has expired), with its matching INPUT.json.

All figures are illustrative.
"""

from __future__ import annotations

import math
import random
from datetime import UTC, date, datetime, timedelta
from typing import Any

import polars as pl

PERFORMANCE_RATIO = 0.8


def _clouds(sites: int, days: int, seed: int) -> pl.DataFrame:
    rng = random.Random(seed)
    factors = [
        rng.uniform(0.1, 0.4) if rng.random() < 0.15 else rng.uniform(0.75, 1.0)
        for _ in range(sites * days)
    ]
    return pl.DataFrame(
        {
            "site": pl.Series([s for s in range(sites) for _ in range(days)], dtype=pl.Int32),
            "day": pl.Series([d for _ in range(sites) for d in range(days)], dtype=pl.Int32),
            "cloud": factors,
        }
    )


def pv_readings(
    sites: int = 3,
    start: date = date(2024, 1, 1),
    days: int = 7,
    *,
    interval_minutes: int = 15,
    latitude: float = 13.7,
    longitude: float = 100.5,
    capacity_kw: float = 1000.0,
    seed: int = 0,
) -> pl.LazyFrame:
    """Long-format PV readings (kWh per interval, UTC timestamps) for ``sites`` sites."""
    per_day = 24 * 60 // interval_minutes
    t0 = datetime(start.year, start.month, start.day, tzinfo=UTC)
    slots = pl.LazyFrame({"slot": pl.int_range(0, per_day * days, eager=True, dtype=pl.Int32)})
    site_ids = pl.LazyFrame({"site": pl.int_range(0, sites, eager=True, dtype=pl.Int32)})
    lat = math.radians(latitude)
    doy = pl.col("day") + start.timetuple().tm_yday
    decl = pl.lit(math.radians(23.44)) * ((2 * math.pi / 365) * (doy + 284)).sin()
    solar_hour = ((pl.col("slot") % per_day) * interval_minutes / 60 + longitude / 15) % 24
    hour_angle = (solar_hour - 12) * (math.pi / 12)
    elevation = decl.sin() * math.sin(lat) + decl.cos() * math.cos(lat) * hour_angle.cos()
    kwh = (
        pl.lit(capacity_kw * PERFORMANCE_RATIO * interval_minutes / 60)
        * elevation.clip(lower_bound=0)
        * pl.col("cloud")
    )
    return (
        site_ids.join(slots, how="cross")
        .with_columns(day=(pl.col("slot") // per_day).cast(pl.Int32))
        .join(
            _clouds(sites, days, seed).lazy(), on=["site", "day"], how="left", maintain_order="left"
        )
        .sort(["site", "slot"])
        .select(
            timestamp=pl.lit(t0) + pl.duration(minutes=pl.col("slot") * interval_minutes),
            point=pl.format("PV-{}", pl.col("site").cast(pl.String).str.zfill(4)),
            parameter=pl.lit("EG"),
            value=kwh.round(3),
            unit=pl.lit("kWh"),
        )
    )


def pv_input(
    sites: int,
    start: date,
    days: int,
    *,
    interval_minutes: int = 15,
    capacity_kw: float = 1000.0,
    timezone: str = "Asia/Bangkok",
) -> dict[str, Any]:
    """INPUT.json matching :func:`pv_readings` (Thai illustrative grid factor)."""
    end = start + timedelta(days=days)
    return {
        "project_id": "TH-DEMO",
        "monitoring_period": {"start": f"{start}T00:00:00+00:00", "end": f"{end}T00:00:00+00:00"},
        "timezone": timezone,
        "emission_factor": {"country": "THA", "grid": "national", "case": "grid"},
        "points": [
            {
                "id": f"PV-{s:04d}",
                "parameter": "EG",
                "interval_minutes": interval_minutes,
                "capacity_kw": str(capacity_kw),
            }
            for s in range(sites)
        ],
    }


def hydro_readings(
    days: int = 365, start: date = date(2024, 1, 1), *, capacity_kw: float = 16000.0, seed: int = 0
) -> pl.DataFrame:
    """Hourly run-of-river generation (kWh): wet season May–October, dry season low flow."""
    rng = random.Random(seed)
    noise = [rng.gauss(1.0, 0.08) for _ in range(days)]
    hours = pl.int_range(0, days * 24, eager=True)
    day = hours // 24
    season = ((day + start.timetuple().tm_yday - 120) * (2 * math.pi / 365)).sin()
    factor = (0.45 + 0.4 * season) * pl.Series(noise).gather(day)
    t0 = datetime(start.year, start.month, start.day, tzinfo=UTC)
    return pl.DataFrame(
        {
            "timestamp": pl.Series([t0 + timedelta(hours=h) for h in range(days * 24)]),
            "point": "HY-1",
            "parameter": "EG",
            "value": (factor.clip(0.05, 0.98) * capacity_kw).round(2),
            "unit": "kWh",
        }
    )


def qa_problem_dataset(seed: int = 0) -> tuple[pl.DataFrame, dict[str, Any]]:
    """One day of two PV meters with QA problems, and its INPUT.json.

    PV-A (interval meter): a four-hour gap, a negative reading and a conflicting duplicate.
    PV-B (cumulative register): a meter reset at noon and calibration that expires at 15:00.
    """
    start = date(2024, 3, 1)
    frame = pv_readings(2, start, 1, seed=seed).collect()
    a = frame.filter(pl.col("point") == "PV-0000").with_columns(point=pl.lit("PV-A"))
    b = frame.filter(pl.col("point") == "PV-0001")
    register = b.sort("timestamp").with_columns(
        point=pl.lit("PV-B"), value=pl.col("value").cum_sum() + 5000
    )
    noon = datetime(2024, 3, 1, 5, tzinfo=UTC)  # 12:00 in Bangkok
    register = register.with_columns(
        value=pl.when(pl.col("timestamp") >= noon)
        .then(pl.col("value") - pl.col("value").filter(pl.col("timestamp") == noon).first() + 3)
        .otherwise(pl.col("value"))
        .round(3)
    )
    gap = (pl.col("timestamp") >= datetime(2024, 3, 1, 1, tzinfo=UTC)) & (
        pl.col("timestamp") < datetime(2024, 3, 1, 5, tzinfo=UTC)
    )
    a = a.filter(~gap).with_columns(
        value=pl.when(pl.col("timestamp") == datetime(2024, 3, 1, 6, tzinfo=UTC))
        .then(-4.2)
        .otherwise(pl.col("value"))
    )
    dup = a.filter(pl.col("timestamp") == datetime(2024, 3, 1, 7, tzinfo=UTC)).with_columns(
        value=pl.col("value") * 1.1
    )
    data = pl.concat([a, dup, register]).with_columns(
        timestamp=pl.col("timestamp").dt.strftime("%Y-%m-%dT%H:%M:%S%:z")
    )
    inputs = pv_input(0, start, 1)
    inputs["points"] = [
        {"id": "PV-A", "parameter": "EG", "capacity_kw": "1000"},
        {
            "id": "PV-B",
            "parameter": "EG",
            "kind": "cumulative",
            "capacity_kw": "1000",
            "calibration": [
                {"valid_from": "2023-03-01T00:00:00", "valid_to": "2024-03-01T15:00:00"}
            ],
        },
    ]
    return data, inputs
