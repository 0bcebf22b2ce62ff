"""The calculation input (INPUT.json): monitoring period, points, parameters and QA policy.

Validated with pydantic; any problem becomes :class:`jcm.errors.ValidationFailed` naming the
JSON path of the field (e.g. ``points.0.capacity_kw``).
"""

from __future__ import annotations

import json
from datetime import datetime
from decimal import Decimal
from enum import StrEnum
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from jcm.errors import FieldProblem, ValidationFailed
from jcm.mrv import units


class Quantity(BaseModel):
    """A value with its unit, e.g. ``{"value": "0.533", "unit": "tCO2/MWh"}``."""

    model_config = ConfigDict(extra="forbid")
    value: Decimal
    unit: str
    source: str | None = None

    @field_validator("unit")
    @classmethod
    def _known(cls, unit: str) -> str:
        if not units.is_known(unit):
            raise ValueError(f"unknown unit '{unit}'")
        return unit


class PointKind(StrEnum):
    INTERVAL = "interval"  # each reading is the quantity of one interval
    CUMULATIVE = "cumulative"  # readings of a cumulative register
    TOTAL = "total"  # one period total


class CalibrationWindow(BaseModel):
    model_config = ConfigDict(extra="forbid")
    valid_from: datetime
    valid_to: datetime


class Point(BaseModel):
    """One monitoring point (a meter) measuring one parameter."""

    model_config = ConfigDict(extra="forbid")
    id: str = Field(min_length=1)
    parameter: str = Field(min_length=1)
    kind: PointKind = PointKind.INTERVAL
    interval_minutes: int = Field(default=15, gt=0, le=1440)
    capacity_kw: Decimal | None = Field(default=None, gt=0)
    rollover_at: Decimal | None = Field(default=None, gt=0)
    calibration: list[CalibrationWindow] = Field(default_factory=list)
    total: Quantity | None = None
    parameters: dict[str, Quantity] = Field(default_factory=dict)


class CalibrationPolicy(StrEnum):
    EXCLUDE = "exclude"
    DISCOUNT = "discount"


class QaPolicy(BaseModel):
    model_config = ConfigDict(extra="forbid")
    calibration_policy: CalibrationPolicy = CalibrationPolicy.EXCLUDE
    calibration_discount: Decimal = Field(default=Decimal("0.95"), gt=0, le=1)


class Period(BaseModel):
    model_config = ConfigDict(extra="forbid")
    start: datetime
    end: datetime


class EmissionFactorRef(BaseModel):
    """Take a parameter's value from the emission-factor table."""

    model_config = ConfigDict(extra="forbid")
    country: str
    grid: str
    case: str
    version: str | None = None
    parameter: str = "EF"


class CalcInput(BaseModel):
    """Everything a calculation needs besides the monitoring data file."""

    model_config = ConfigDict(extra="forbid")
    project_id: str | None = None
    monitoring_period: Period
    timezone: str = "UTC"
    emission_factor: EmissionFactorRef | None = None
    parameters: dict[str, Quantity] = Field(default_factory=dict)
    points: list[Point] = Field(default_factory=list)
    qa: QaPolicy = Field(default_factory=QaPolicy)

    @field_validator("timezone")
    @classmethod
    def _zone(cls, zone: str) -> str:
        try:
            ZoneInfo(zone)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError(f"unknown time zone '{zone}'") from None
        return zone

    def period_utc(self) -> tuple[datetime, datetime]:
        """Start and end of the monitoring period in UTC (naive times read in ``timezone``)."""
        zone = ZoneInfo(self.timezone)
        start, end = (
            (t if t.tzinfo else t.replace(tzinfo=zone)).astimezone(ZoneInfo("UTC"))
            for t in (self.monitoring_period.start, self.monitoring_period.end)
        )
        if end <= start:
            raise ValidationFailed.of(
                [
                    FieldProblem(
                        "monitoring_period.end",
                        "The period must end after it starts.",
                        "期間の終了は開始より後でなければなりません。",
                    )
                ]
            )
        return start, end


def parse_input(raw: str | bytes | dict[str, Any]) -> CalcInput:
    """Validate INPUT.json text (or an already-decoded object)."""
    try:
        data = json.loads(raw) if isinstance(raw, str | bytes) else raw
    except json.JSONDecodeError as exc:
        raise ValidationFailed.of(
            [
                FieldProblem(
                    "input",
                    f"Not valid JSON (line {exc.lineno}, column {exc.colno}): {exc.msg}.",
                    f"JSON として読めません（{exc.lineno} 行 {exc.colno} 列）：{exc.msg}。",
                )
            ]
        ) from None
    try:
        return CalcInput.model_validate(data)
    except ValidationError as exc:
        raise ValidationFailed.of(
            [
                FieldProblem(
                    ".".join(str(p) for p in err["loc"]) or "input",
                    err["msg"],
                    f"入力値が不正です：{err['msg']}",
                )
                for err in exc.errors()
            ]
        ) from None
