"""Small builders for MRV tests."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from jcm.mrv.inputs import CalcInput, parse_input


def total(point: str, parameter: str, value: str, unit: str) -> dict[str, Any]:
    return {
        "id": point,
        "parameter": parameter,
        "kind": "total",
        "total": {"value": value, "unit": unit},
    }


def q(value: str, unit: str) -> dict[str, str]:
    return {"value": value, "unit": unit}


def make_input(
    points: list[dict[str, Any]] | None = None,
    parameters: dict[str, Any] | None = None,
    **extra: Any,
) -> CalcInput:
    raw: dict[str, Any] = {
        "monitoring_period": {"start": "2024-01-01T00:00:00", "end": "2024-01-02T00:00:00"},
        "timezone": "UTC",
        "points": points or [],
        "parameters": parameters or {},
    }
    raw.update(extra)
    return parse_input(raw)


D = Decimal


def series(
    point: str,
    values: list[str | None],
    parameter: str = "EG",
    unit: str = "kWh",
    start_minute: int = 0,
    step: int = 15,
) -> list[tuple[str, str, str, str, str]]:
    """Readings of one point every ``step`` minutes from 2024-01-01 00:00 UTC; None = missing."""
    from datetime import datetime, timedelta

    t0 = datetime(2024, 1, 1) + timedelta(minutes=start_minute)
    return [
        ((t0 + timedelta(minutes=step * i)).isoformat() + "Z", point, parameter, v, unit)
        for i, v in enumerate(values)
        if v is not None
    ]


def frame_of(rows: list[tuple[str, str, str, str, str]]) -> Any:
    import polars as pl

    from jcm.mrv.ingest import from_frame

    df = pl.DataFrame(
        rows, schema=["timestamp", "point", "parameter", "value", "unit"], orient="row"
    )
    return from_frame(df, "test.csv", "UTC")


def hour_input(points: list[dict[str, Any]], hours: int = 1, **extra: Any) -> CalcInput:
    """A monitoring period of ``hours`` from 2024-01-01 00:00 UTC with EF 0.5 tCO2/MWh."""
    end = f"2024-01-01T{hours:02d}:00:00" if hours < 24 else "2024-01-02T00:00:00"
    raw: dict[str, Any] = {
        "monitoring_period": {"start": "2024-01-01T00:00:00", "end": end},
        "points": points,
        "parameters": {"EF": {"value": "0.5", "unit": "tCO2/MWh"}},
    }
    raw.update(extra)
    return parse_input(raw)
