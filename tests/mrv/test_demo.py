from datetime import date

import polars as pl

from jcm.mrv import demo
from jcm.mrv.calc import calculate
from jcm.mrv.ingest import from_frame
from jcm.mrv.inputs import parse_input
from jcm.mrv.methodologies import REGISTRY


def test_pv_generation_is_zero_at_night_and_within_capacity() -> None:
    frame = demo.pv_readings(2, date(2024, 6, 1), 2).collect()
    assert frame.height == 2 * 2 * 96
    assert frame["value"].min() == 0
    assert frame["value"].max() <= 1000 * 0.25  # 1000 kW × 0.25 h


def test_pv_generation_is_reproducible_for_a_seed() -> None:
    a = demo.pv_readings(1, date(2024, 1, 1), 3, seed=7).collect()
    b = demo.pv_readings(1, date(2024, 1, 1), 3, seed=7).collect()
    assert a.equals(b)


def test_hydro_is_higher_in_the_wet_season() -> None:
    h = demo.hydro_readings().with_columns(month=pl.col("timestamp").dt.month())
    by_month = h.group_by("month").agg(pl.col("value").mean()).sort("month")["value"]
    assert by_month[7] > by_month[1]  # August above February


def test_the_qa_dataset_shows_every_kind_of_problem_once_it_is_checked() -> None:
    data, raw = demo.qa_problem_dataset()
    result = calculate(
        REGISTRY.get("TH_AM001"), parse_input(raw), from_frame(data, "qa.csv", "Asia/Bangkok")
    )
    counts = result.qa.counts()
    assert counts["gap"] == 16  # four hours of 15-minute intervals
    assert counts["negative"] == 1
    assert counts["duplicate_conflict"] == 1
    assert counts["meter_reset"] == 1
    assert counts["out_of_calibration_excluded"] == 64  # 15:00–24:00 Bangkok, 16 h × 4
