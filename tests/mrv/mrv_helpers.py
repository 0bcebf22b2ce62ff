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
