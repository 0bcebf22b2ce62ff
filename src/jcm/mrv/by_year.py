"""The emission reductions of each calendar year of a monitoring period, recomputed from the
period's stored monitoring data: the same engine run once per year's slice of the period
(local time of the project). The registry splits a period that spans years into vintages
in these proportions; without a stored calculation it falls back to days."""

from __future__ import annotations

import tempfile
from datetime import datetime
from decimal import Decimal
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from jcm.mrv.api import REGISTRY, calculate, read_monitoring_file
from jcm.mrv.inputs import CalcInput
from jcm.mrv.models import Calculation, MonitoringPeriod


def year_slices(start: datetime, end: datetime) -> dict[int, tuple[datetime, datetime]]:
    """[start, end] cut at each new year (in the times' own zone or naive local time)."""
    out: dict[int, tuple[datetime, datetime]] = {}
    for year in range(start.year, end.year + 1):
        first = max(
            start,
            start.replace(year=year, month=1, day=1, hour=0, minute=0, second=0, microsecond=0),
        )
        last = min(
            end,
            start.replace(year=year + 1, month=1, day=1, hour=0, minute=0, second=0, microsecond=0),
        )
        if last > first:
            out[year] = (first, last)
    return out


def exact_reductions_by_year(
    session: Session, period: MonitoringPeriod
) -> dict[int, Decimal] | None:
    """Each year's exact reductions (never below zero) from the period's latest calculation,
    or None when it has none or its data lies in one year."""
    calc = session.scalar(
        select(Calculation)
        .where(Calculation.period_id == period.id)
        .order_by(Calculation.id.desc())
        .limit(1)
    )
    if calc is None:
        return None
    inputs = CalcInput.model_validate(calc.input_json)
    slices = year_slices(inputs.monitoring_period.start, inputs.monitoring_period.end)
    if len(slices) < 2:
        return None
    methodology = REGISTRY.get(calc.methodology_id, calc.methodology_version)
    out: dict[int, Decimal] = {}
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / Path(calc.file_name).name
        path.write_bytes(calc.file_bytes)
        data = read_monitoring_file(path, inputs.timezone)
        for year, (first, last) in slices.items():
            part = inputs.model_copy(
                update={
                    "monitoring_period": inputs.monitoring_period.model_copy(
                        update={"start": first, "end": last}
                    )
                }
            )
            out[year] = max(
                calculate(methodology, part, data).emission_reductions_exact, Decimal(0)
            )
    return out
