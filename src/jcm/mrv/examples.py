"""Example INPUT.json for each methodology, shown by ``jcm mrv methodologies ID``."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from jcm.mrv.methodology import Methodology, Parameter, Source

_EXAMPLE_VALUES = {
    "tCO2/MWh": "0.533",
    "MWh": "1250.5",
    "GJ": "8400",
    "Nm3": "2100000",
    "kL": "12.5",
    "t": "350",
    "tCO2": "420.7",
    "tCH4": "3.2",
    "1": "0.95",
}

INPUT_FORMAT = """\
INPUT.json fields:
  project_id            optional project identifier, e.g. "TH001"
  monitoring_period     {"start", "end"}: ISO 8601; naive times are read in "timezone"
  timezone              IANA zone for naive timestamps (default "UTC")
  emission_factor       optional {"country", "grid", "case", "version", "parameter"}: take a
                        parameter (default "EF") from the emission-factor table
  parameters            {SYMBOL: {"value": "decimal string", "unit": "...", "source": "..."}}
                        for fixed ex ante values; defaults apply when omitted
  points                monitoring points: {"id", "parameter", "kind": interval|cumulative|total,
                        "interval_minutes", "capacity_kw", "rollover_at",
                        "calibration": [{"valid_from", "valid_to"}],
                        "total": {"value", "unit"} (kind total without a data file),
                        "parameters": {SYMBOL: {...}} per-point values such as EF}
  qa                    {"calibration_policy": "exclude"|"discount", "calibration_discount": "0.95"}
The --data file is long format: timestamp, point, parameter, value, unit (CSV, XLSX, Parquet)."""


def _point(param: Parameter, pid: str) -> dict[str, Any]:
    point: dict[str, Any] = {
        "id": pid,
        "parameter": param.symbol,
        "kind": "total",
        "total": {"value": _EXAMPLE_VALUES.get(param.unit, "100"), "unit": param.unit},
    }
    return point


def example_input(methodology: Methodology) -> dict[str, Any]:
    """A complete, valid INPUT.json for ``methodology`` using period totals."""
    points: list[dict[str, Any]] = []
    parameters: dict[str, Any] = {}
    for p in methodology.parameters:
        if p.source is Source.MONITORED and p.default is None:
            ids = [f"{p.symbol}-1", f"{p.symbol}-2"] if p.per_point else [f"{p.symbol}-1"]
            points.extend(_point(p, i) for i in ids)
        elif p.default is None:
            value = _EXAMPLE_VALUES.get(p.unit, "1")
            if p.maximum is not None and Decimal(value) > p.maximum:
                value = str(p.maximum)
            parameters[p.symbol] = {"value": value, "unit": p.unit}
    return {
        "project_id": "XX001",
        "monitoring_period": {"start": "2024-01-01T00:00:00", "end": "2025-01-01T00:00:00"},
        "timezone": "Asia/Bangkok",
        "parameters": parameters,
        "points": points,
        "qa": {"calibration_policy": "exclude", "calibration_discount": "0.95"},
    }
