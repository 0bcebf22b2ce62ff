"""The QA decisions for one series (mrv/qa_series.py, mrv/qa_report.py), from its aggregate.

The aggregate is what the Polars pipeline hands over per (point, parameter); building it by
hand tests every decision on its own, without running a query.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

import pytest
from mrv_helpers import make_input

from jcm.errors import FieldProblem, ValidationFailed
from jcm.mrv.inputs import CalcInput
from jcm.mrv.methodology import Methodology, Parameter, Side, Source
from jcm.mrv.qa_report import (
    QaIssue,
    QaReport,
    SeriesResult,
    cal_check,
    calibration_adjust,
    issue,
)
from jcm.mrv.qa_series import credit_series
from jcm.mrv.qa_texts import DECISIONS
from jcm.mrv.units import IncompatibleUnits

D = Decimal
START, END = datetime(2024, 1, 1, 0, 0), datetime(2024, 1, 1, 1, 0)  # four 15-minute slots
METHODOLOGY = Methodology(
    id="XX_AM001",
    version="1.0",
    family="test",
    title_en="t",
    title_ja="t",
    sectoral_scope="1",
    applicability=(),
    parameters=(
        Parameter("EG", "e", "e", "MWh", Source.MONITORED, Side.REFERENCE),
        Parameter("FC", "f", "f", "Nm3", Source.MONITORED, Side.PROJECT),
    ),
    reference=lambda v: v["EG"],
    project=lambda v: v["FC"],
    equations=(),
)
EXCLUDE = make_input()
DISCOUNT = make_input(qa={"calibration_policy": "discount", "calibration_discount": "0.8"})


def _credit(
    agg: dict[str, Any],
    *,
    parameter: str = "EG",
    kind: str = "interval",
    inputs: CalcInput = EXCLUDE,
    gaps: dict[tuple[str, str], list[str]] | None = None,
) -> tuple[SeriesResult, list[QaIssue]]:
    report = QaReport()
    spec = {"point": "p1", "parameter": parameter, "kind": kind, "interval_h": 0.25}
    result = credit_series(
        spec, {("p1", parameter): agg}, gaps or {}, inputs, METHODOLOGY, report, START, END
    )
    return result, report.issues


def _issue(check: str, count: int, examples: list[str], parameter: str = "EG") -> QaIssue:
    return issue(check, "p1", parameter, count, examples)


def test_a_clean_series_is_credited_in_its_parameters_unit() -> None:
    result, issues = _credit({"sum_in": D(4000), "unique_ts": 4, "slots": 4, "unit": "kWh"})
    assert result == SeriesResult("p1", "EG", "MWh", 4, 4, D(4))
    assert issues == []


def test_a_series_without_a_unit_of_its_own_is_in_the_parameters_unit() -> None:
    result, _ = _credit({"sum_in": D("2.5"), "unique_ts": 4, "slots": 4})
    assert result.credited == D("2.5")


def test_each_flag_is_reported_with_its_count_and_first_and_last_rows() -> None:
    agg = {
        "sum_in": D(1),
        "unique_ts": 4,
        "slots": 6,
        "negative": 2,
        "neg_first": 5,
        "neg_last": 9,
        "over_capacity": 1,
        "over_first": 3,
        "over_last": 3,
        "resets": 1,
        "reset_first": 11,
        "rollovers": 1,
        "rolled_first": 12,
        "rolled_last": None,
        "duplicates": 3,
        "dup_first": 2,
        "dup_last": 8,
        "conflicts": 1,
    }
    _, issues = _credit(agg)
    assert issues == [
        _issue("negative", 2, ["row 5", "row 9"]),
        _issue("over_capacity", 1, ["row 3"]),
        _issue("meter_reset", 1, ["row 11"]),
        _issue("meter_rollover", 1, ["row 12"]),
        _issue("duplicate", 3, ["row 2", "row 8"]),
        _issue("duplicate_conflict", 1, ["row 2", "row 8"]),
    ]


def test_counts_of_zero_or_null_are_not_issues() -> None:
    agg = {"sum_in": D(1), "unique_ts": 4, "negative": 0, "duplicates": None, "conflicts": None}
    assert _credit(agg)[1] == []


def test_missing_intervals_of_a_reference_series_earn_nothing() -> None:
    result, issues = _credit(
        {"sum_in": D(2), "unique_ts": 2, "slots": 2, "max_ok": D(9)},
        gaps={("p1", "EG"): ["2024-01-01T00:30:00Z"]},
    )
    assert result == SeriesResult("p1", "EG", "MWh", 2, 4, D(2))
    assert issues == [_issue("gap", 2, ["2024-01-01T00:30:00Z"])]


def test_a_series_with_no_readings_is_a_gap_over_the_whole_period() -> None:
    report = QaReport()
    spec = {"point": "p1", "parameter": "EG", "kind": "interval", "interval_h": 0.25}
    result = credit_series(spec, {}, {}, EXCLUDE, METHODOLOGY, report, START, END)
    assert result == SeriesResult("p1", "EG", "MWh", 0, 4, D(0))
    assert report.issues == [_issue("gap", 4, ["whole period"])]


def test_project_side_gaps_and_exclusions_are_filled_with_the_highest_reading() -> None:
    agg = {"sum_in": D(5), "unique_ts": 3, "slots": 3, "negative": 1, "over_capacity": 2}
    result, issues = _credit(agg | {"max_ok": D(4)}, parameter="FC")
    # one interval missing and three excluded: 5 + 4 × (1 + 3)
    assert result == SeriesResult("p1", "FC", "Nm3", 3, 4, D(21))
    assert issues[-2:] == [
        _issue("gap", 1, ["whole period"], "FC"),
        _issue("gap_filled", 4, [], "FC"),
    ]


def test_as_many_gaps_as_exclusions_are_still_filled() -> None:
    agg = {"sum_in": D(5), "unique_ts": 3, "negative": 1, "max_ok": D(4)}
    result, _ = _credit(agg, parameter="FC")
    assert result.credited == D(13)  # 5 + 4 × (1 missing + 1 excluded)


def test_a_complete_project_side_series_is_not_filled() -> None:
    result, issues = _credit({"sum_in": D(5), "unique_ts": 4, "max_ok": D(4)}, parameter="FC")
    assert (result.credited, issues) == (D(5), [])


def test_a_project_side_series_with_no_valid_reading_cannot_be_filled() -> None:
    with pytest.raises(ValidationFailed) as caught:
        _credit({"sum_in": D(0), "unique_ts": 3, "max_ok": None}, parameter="FC")
    assert caught.value.problems == [
        FieldProblem(
            "points.p1",
            "No valid readings for project-side parameter FC.",
            "プロジェクト側パラメータ FC の有効な計測値がありません。",
        )
    ]


def test_a_cumulative_series_has_no_expected_interval_count() -> None:
    result, issues = _credit({"sum_in": D(7), "unique_ts": 1, "slots": 2}, kind="cumulative")
    assert result == SeriesResult("p1", "EG", "MWh", 2, None, D(7))
    assert issues == []


def test_a_series_mixing_units_is_refused() -> None:
    with pytest.raises(ValidationFailed) as caught:
        _credit({"sum_in": D(1), "unique_ts": 4, "unit_count": 2})
    assert caught.value.problems == [
        FieldProblem(
            "unit",
            "Point p1 mixes units in one series; use one unit per point.",
            "ポイント p1 の系列に複数の単位が混在しています。1 ポイント 1 単位にしてください。",
        )
    ]
    _credit({"sum_in": D(1), "unique_ts": 4, "unit_count": 1})  # one unit is fine


def test_a_zero_sum_is_credited_as_a_plain_zero() -> None:
    result, _ = _credit({"sum_in": D("0E-9"), "unique_ts": 4, "unit": "MWh"})
    assert str(result.credited) == "0"
    one, _ = _credit({"sum_in": D("1.000"), "unique_ts": 4, "unit": "MWh"})
    assert str(one.credited) == "1.000"


def test_a_series_in_a_unit_of_another_quantity_is_refused_for_its_point() -> None:
    with pytest.raises(IncompatibleUnits) as caught:
        _credit({"sum_in": D(1), "unique_ts": 4, "unit": "t"})
    assert caught.value.field == "points.p1.unit"


@pytest.mark.parametrize("minutes", [15, 31, 33, 62, 125, 1440])
def test_every_interval_of_a_period_is_expected_whatever_its_length(minutes: int) -> None:
    """31 minutes is 0.51666… h: as a float, × 3600 is a hair above 1860 s, and a period of
    n such intervals was once expected to hold n − 1 (one missing interval unreported)."""
    report = QaReport()
    spec = {"point": "p1", "parameter": "FC", "kind": "interval", "interval_h": minutes / 60}
    agg = {("p1", "FC"): {"sum_in": D(6), "unique_ts": 2, "max_ok": D(3)}}
    end = START + timedelta(minutes=3 * minutes)
    result = credit_series(spec, agg, {}, EXCLUDE, METHODOLOGY, report, START, end)
    assert result.expected_intervals == 3
    assert result.credited == D(9)  # the missing third interval filled with the highest reading


OUT = {"sum_in": D(10), "sum_out": D(5), "unique_ts": 4, "out_of_calibration": 2}


def test_uncalibrated_reference_readings_are_excluded_by_default() -> None:
    result, issues = _credit(OUT | {"out_cal_first": 1, "out_cal_last": 4})
    assert result.credited == D(10)
    assert issues == [_issue("out_of_calibration_excluded", 2, ["row 1", "row 4"])]


def test_uncalibrated_reference_readings_can_be_discounted() -> None:
    result, issues = _credit(OUT, inputs=DISCOUNT)
    assert result.credited == D(14)  # 10 + 5 × 0.8
    assert issues == [_issue("out_of_calibration_discounted", 2, [])]


@pytest.mark.parametrize("inputs", [EXCLUDE, DISCOUNT])
def test_uncalibrated_project_readings_are_kept_and_divided_by_the_factor(
    inputs: CalcInput,
) -> None:
    result, issues = _credit(OUT, parameter="FC", inputs=inputs)
    factor = inputs.qa.calibration_discount
    assert result.credited == D(10) + D(5) / factor
    assert issues == [_issue("out_of_calibration_project", 2, [], "FC")]


def test_the_calibration_decision_by_side_and_policy() -> None:
    assert cal_check(Side.PROJECT, DISCOUNT) == "out_of_calibration_project"
    assert cal_check(Side.REFERENCE, DISCOUNT) == "out_of_calibration_discounted"
    assert cal_check(Side.REFERENCE, EXCLUDE) == "out_of_calibration_excluded"
    assert calibration_adjust(D(8), Side.PROJECT, DISCOUNT) == D(10)
    assert calibration_adjust(D(8), Side.REFERENCE, DISCOUNT) == D("6.4")
    assert calibration_adjust(D(8), Side.REFERENCE, EXCLUDE) == 0


def test_an_issue_carries_the_decision_in_both_languages() -> None:
    found = issue("gap", "p1", "EG", 3, ["row 1"])
    assert found == QaIssue("gap", "p1", "EG", 3, ("row 1",), *DECISIONS["gap"])
    assert found.as_dict() == {
        "check": "gap",
        "point": "p1",
        "parameter": "EG",
        "count": 3,
        "examples": ["row 1"],
        "decision_en": "Missing intervals earn no credit.",
        "decision_ja": "欠測区間はクレジットの対象外としました。",
    }


def test_a_report_counts_each_check_over_its_series() -> None:
    report = QaReport(
        series=[SeriesResult("p1", "EG", "MWh", 4, 4, D("1.5"))],
        issues=[
            issue("gap", "p1", "EG", 3, []),
            issue("gap", "p2", "EG", 2, []),
            issue("negative", "p1", "EG", 1, []),
        ],
        notes=["a note"],
    )
    assert report.counts() == {"gap": 5, "negative": 1}
    assert report.as_dict() == {
        "counts": {"gap": 5, "negative": 1},
        "issues": [i.as_dict() for i in report.issues],
        "series": [
            {
                "point": "p1",
                "parameter": "EG",
                "unit": "MWh",
                "readings": 4,
                "expected_intervals": 4,
                "credited": "1.5",
            }
        ],
        "notes": ["a note"],
    }
