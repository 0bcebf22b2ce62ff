"""QA/QC decisions on small hand-made series (EF 0.5 tCO2/MWh, 15-minute intervals)."""

from datetime import UTC, datetime, timedelta
from decimal import Decimal

import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from mrv_helpers import frame_of, hour_input, series

from jcm.errors import ImportRejected, ValidationFailed
from jcm.mrv import qa_frames as qf
from jcm.mrv.calc import calculate
from jcm.mrv.methodologies import REGISTRY

PV = REGISTRY.get("TH_AM001")
D = Decimal


def _pv(values: list[str | None], **point: object) -> tuple[Decimal, dict[str, int]]:
    spec = {"id": "M1", "parameter": "EG", "capacity_kw": "1000", **point}
    r = calculate(PV, hour_input([spec]), frame_of(series("M1", values)))
    return r.reference_emissions, r.qa.counts()


def test_a_clean_hour_credits_all_four_intervals() -> None:
    re_, counts = _pv(["100", "200", "200", "100"])
    # 600 kWh = 0.6 MWh × 0.5 = 0.3 tCO2
    assert re_ == D("0.3")
    assert counts == {}


def test_a_missing_interval_earns_nothing_and_is_reported() -> None:
    re_, counts = _pv(["100", None, "200", "100"])
    assert re_ == D("0.2")  # 400 kWh × 0.5 / 1000
    assert counts == {"gap": 1}


def test_gap_examples_give_the_missing_interval_start() -> None:
    r = calculate(
        PV,
        hour_input([{"id": "M1", "parameter": "EG"}]),
        frame_of(series("M1", ["1", None, None, "1"])),
    )
    gap = r.qa.issues[0]
    assert gap.examples == ("2024-01-01T00:15:00+00:00",)
    assert gap.count == 2


def test_negative_and_impossible_readings_are_excluded() -> None:
    # capacity 1000 kW × 0.25 h = 250 kWh per interval: 300 is impossible
    re_, counts = _pv(["100", "-5", "300", "100"])
    assert re_ == D("0.1")
    assert counts == {"negative": 1, "over_capacity": 1}


def test_identical_duplicates_count_once() -> None:
    rows = series("M1", ["100", "100", "100", "100"]) + series("M1", ["100"])
    r = calculate(PV, hour_input([{"id": "M1", "parameter": "EG"}]), frame_of(rows))
    assert r.reference_emissions == D("0.2")
    assert r.qa.counts() == {"duplicate": 1}


def test_conflicting_duplicates_keep_the_lower_generation() -> None:
    rows = series("M1", ["100", "100", "100", "100"]) + series("M1", ["90"])
    r = calculate(PV, hour_input([{"id": "M1", "parameter": "EG"}]), frame_of(rows))
    assert r.reference_emissions == D("0.195")  # 390 kWh
    assert r.qa.counts() == {"duplicate": 1, "duplicate_conflict": 1}


def test_a_cumulative_meter_reset_loses_only_that_interval() -> None:
    # register: 1000, 1100, 1250, 20 (reset), 120 → deltas 100, 150, (excluded), 100
    rows = series("M1", ["1000", "1100", "1250", "20", "120"])
    r = calculate(
        PV,
        hour_input([{"id": "M1", "parameter": "EG", "kind": "cumulative"}], hours=2),
        frame_of(rows),
    )
    assert r.reference_emissions == D("0.175")  # 350 kWh
    assert r.qa.counts() == {"meter_reset": 1}


def test_a_cumulative_meter_rollover_is_unwrapped() -> None:
    # register rolls at 10000: 9900 → 50 means 150 kWh
    rows = series("M1", ["9800", "9900", "50"])
    point = {"id": "M1", "parameter": "EG", "kind": "cumulative", "rollover_at": "10000"}
    r = calculate(PV, hour_input([point]), frame_of(rows))
    assert r.reference_emissions == D("0.125")  # 100 + 150 = 250 kWh
    assert r.qa.counts() == {"meter_rollover": 1}


CAL = [{"valid_from": "2023-01-01T00:00:00", "valid_to": "2024-01-01T00:30:00"}]


def test_readings_after_calibration_expiry_are_excluded_by_default() -> None:
    re_, counts = _pv(["100", "100", "100", "100"], calibration=CAL)
    assert re_ == D("0.1")
    assert counts == {"out_of_calibration_excluded": 2}


def test_readings_after_calibration_expiry_can_be_discounted() -> None:
    spec = {"id": "M1", "parameter": "EG", "calibration": CAL}
    inputs = hour_input(
        [spec], qa={"calibration_policy": "discount", "calibration_discount": "0.9"}
    )
    r = calculate(PV, inputs, frame_of(series("M1", ["100", "100", "100", "100"])))
    # 200 kWh + 200 × 0.9 = 380 kWh → 0.19 tCO2
    assert r.reference_emissions == D("0.19")
    assert r.qa.counts() == {"out_of_calibration_discounted": 2}


def test_readings_outside_the_period_are_ignored() -> None:
    rows = series("M1", ["100", "100", "100", "100", "999"])
    r = calculate(PV, hour_input([{"id": "M1", "parameter": "EG"}]), frame_of(rows))
    assert r.reference_emissions == D("0.2")


def test_a_row_for_an_undeclared_point_is_refused_with_its_row() -> None:
    rows = series("M1", ["1"]) + series("X9", ["1"])
    with pytest.raises(ImportRejected) as err:
        calculate(PV, hour_input([{"id": "M1", "parameter": "EG"}]), frame_of(rows))
    assert [(p.row, p.field) for p in err.value.problems] == [(2, "point")]


def test_project_side_gaps_are_filled_with_the_highest_reading() -> None:
    cogen = REGISTRY.get("TH_AM009")
    rows = series("F", ["10", None, "30", "20"], parameter="FC", unit="Nm3")
    inputs = hour_input(
        [
            {"id": "F", "parameter": "FC"},
            {"id": "E", "parameter": "EC", "kind": "total", "total": {"value": "1", "unit": "MWh"}},
            {"id": "H", "parameter": "HG", "kind": "total", "total": {"value": "0", "unit": "GJ"}},
        ],
        parameters={"EF_elec": {"value": "0.5", "unit": "tCO2/MWh"}},
    )
    r = calculate(cogen, inputs, frame_of(rows))
    # FC = 10 + 30 + 20 + 30 (gap filled with max) = 90 Nm3; PE = 90 × 0.036 × 0.0561
    assert r.project_emissions == D(90) * D("0.036") * D("0.0561")
    assert r.qa.counts() == {"gap": 1, "gap_filled": 1}


def test_mixed_units_in_one_series_are_refused() -> None:
    rows = series("M1", ["100"]) + series("M1", [None, "0.1"], unit="MWh")
    with pytest.raises(ValidationFailed, match="mixes units"):
        calculate(PV, hour_input([{"id": "M1", "parameter": "EG"}]), frame_of(rows))


def test_mwh_readings_are_converted_once_per_series() -> None:
    rows = series("M1", ["0.1", "0.2", "0.2", "0.1"], unit="MWh")
    r = calculate(PV, hour_input([{"id": "M1", "parameter": "EG"}]), frame_of(rows))
    assert r.reference_emissions == D("0.3")


@settings(max_examples=80, deadline=None)
@given(
    slots=st.lists(st.tuples(st.sampled_from(["M1", "M2"]), st.integers(0, 9)), max_size=25),
)
def test_gap_starts_do_not_depend_on_repeated_timestamps(slots: list[tuple[str, int]]) -> None:
    t0 = datetime(2024, 1, 1, tzinfo=UTC)
    frame = pl.DataFrame(
        {
            "point": [p for p, _ in slots],
            "parameter": ["EG"] * len(slots),
            "ts": [t0 + timedelta(minutes=15 * s) for _, s in slots],
            "interval_h": [0.25] * len(slots),
        },
        schema={
            "point": pl.String,
            "parameter": pl.String,
            "ts": pl.Datetime("us", "UTC"),
            "interval_h": pl.Float64,
        },
    )
    wanted = [("M1", "EG"), ("M2", "EG")]
    end = t0 + timedelta(hours=2)
    once = qf.gap_starts(frame.unique().lazy(), wanted, t0, end)
    assert qf.gap_starts(frame.lazy(), wanted, t0, end) == once


def _gap_starts_by_hand(
    slots: list[tuple[str, int]], wanted: list[tuple[str, str]], t0: datetime, end: datetime
) -> dict[tuple[str, str], list[str]]:
    """Reference for ``gap_starts``: walk each series' distinct 15-minute slots in order."""
    step = timedelta(minutes=15)
    out: dict[tuple[str, str], list[str]] = {}
    for point, parameter in wanted:
        times = sorted({t0 + step * s for p, s in slots if p == point})
        if not times:
            continue
        gaps, expected = [], t0
        for t in times:
            if t > expected:
                gaps.append(expected)
            expected = t + step
        if expected < end:
            gaps.append(expected)
        out[(point, parameter)] = [g.isoformat() for g in sorted(gaps)[:3]]
    return out


@settings(max_examples=120, deadline=None)
@given(
    slots=st.lists(
        st.tuples(st.sampled_from(["M1", "M2", "M3"]), st.integers(-2, 11)), max_size=30
    ),
)
def test_gap_starts_agree_with_a_walk_over_each_series(slots: list[tuple[str, int]]) -> None:
    t0 = datetime(2024, 1, 1, tzinfo=UTC)
    end = t0 + timedelta(hours=2)
    frame = pl.DataFrame(
        {
            "point": [p for p, _ in slots],
            "parameter": ["EG"] * len(slots),
            "ts": [t0 + timedelta(minutes=15 * s) for _, s in slots],
            "interval_h": [0.25] * len(slots),
        },
        schema={
            "point": pl.String,
            "parameter": pl.String,
            "ts": pl.Datetime("us", "UTC"),
            "interval_h": pl.Float64,
        },
    ).filter((pl.col("ts") >= t0) & (pl.col("ts") < end))  # as ``prepared`` does
    inside = [(p, s) for p, s in slots if 0 <= s < 8]
    wanted = [("M1", "EG"), ("M2", "EG")]
    expected = _gap_starts_by_hand(inside, wanted, t0, end)
    assert qf.gap_starts(frame.lazy(), wanted, t0, end) == expected
