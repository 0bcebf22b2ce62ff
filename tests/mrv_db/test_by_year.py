"""A monitoring period that spans calendar years: each year's reductions are recomputed from
the period's stored monitoring data (the engine run per year), and the registry's verified
period takes the verified total split in those proportions; without monitoring data the
issuance falls back to days."""

from __future__ import annotations

import json
from datetime import date, datetime
from decimal import Decimal

import polars as pl
from sqlalchemy import update

from jcm.db import Database
from jcm.mrv import periods
from jcm.mrv.by_year import exact_reductions_by_year, year_slices
from jcm.mrv.demo import pv_input, pv_readings
from jcm.mrv.models import MonitoringPeriod
from jcm.registry import rules_vintage
from jcm.registry.from_mrv import record_verified_period_from_mrv
from tests.mrv_db.helpers import CTX, solar_project

START = date(2023, 12, 30)
DAYS = 4  # 30 and 31 December 2023, 1 and 2 January 2024


def test_a_period_is_cut_at_each_new_year() -> None:
    start, end = datetime(2023, 7, 1, 6), datetime(2025, 2, 1)
    assert year_slices(start, end) == {
        2023: (start, datetime(2024, 1, 1)),
        2024: (datetime(2024, 1, 1), datetime(2025, 1, 1)),
        2025: (datetime(2025, 1, 1), end),
    }
    assert list(year_slices(datetime(2024, 1, 1), datetime(2024, 12, 31))) == [2024]


def _spanning_period(database: Database) -> int:
    with database.write() as s:
        owner = solar_project(s)
        period = periods.create_period(s, CTX, owner, "TH001", START, date(2024, 1, 2))
        frame = (
            pv_readings(2, START, DAYS)
            .collect()
            .with_columns(timestamp=pl.col("timestamp").dt.strftime("%Y-%m-%dT%H:%M:%S%:z"))
        )
        periods.store_calculation(
            s,
            CTX,
            owner,
            period.id,
            filename="pv.csv",
            content=frame.write_csv().encode(),
            input_json=json.dumps(pv_input(2, START, DAYS)),
        )
        return period.id


def test_each_years_reductions_come_from_its_own_monitoring_data(database: Database) -> None:
    period_id = _spanning_period(database)
    with database.read() as s:
        period = s.get_one(MonitoringPeriod, period_id)
        by_year = exact_reductions_by_year(s, period)
        claimed = period.claimed_er
    assert by_year is not None
    assert set(by_year) == {2023, 2024}
    assert all(v > 0 for v in by_year.values())
    assert claimed is not None
    # the two slices add up to the whole period's exact result (nothing lost at the cut)
    assert abs(sum(by_year.values()) - claimed) < 2

    verified = claimed - 3  # the verifier's figure
    with database.write() as s:
        s.execute(
            update(MonitoringPeriod)
            .where(MonitoringPeriod.id == period_id)
            .values(status="verified", verified_er=verified)
        )
    with database.write() as s:
        recorded = record_verified_period_from_mrv(s, CTX, period_id, "JC-30", date(2024, 3, 1))
        stored = recorded.reductions_by_year
    expected = rules_vintage.split_by_year(verified, by_year)
    assert stored == {"2023": expected[2023], "2024": expected[2024]}
    assert sum(stored.values()) == verified
    # asked again with nothing typed, the same figures follow: a replay, not a conflict
    with database.write() as s:
        again = record_verified_period_from_mrv(s, CTX, period_id, "JC-30", date(2024, 3, 1))
        assert again.id == recorded.id


def test_figures_from_the_verification_report_take_precedence(database: Database) -> None:
    period_id = _spanning_period(database)
    with database.write() as s:
        s.execute(
            update(MonitoringPeriod)
            .where(MonitoringPeriod.id == period_id)
            .values(status="verified", verified_er=10)
        )
    with database.write() as s:
        recorded = record_verified_period_from_mrv(
            s, CTX, period_id, "JC-31", date(2024, 3, 1), {"2023": 4, "2024": 6}
        )
        assert recorded.reductions_by_year == {"2023": 4, "2024": 6}


def test_a_year_without_reductions_gets_no_vintage() -> None:
    assert rules_vintage.split_by_year(10, {2023: Decimal(0), 2024: Decimal("3.5")}) == {2024: 10}
