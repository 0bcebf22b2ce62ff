"""Turn one series' aggregate into its credited quantity and its QA issues."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any

from jcm.errors import FieldProblem, ValidationFailed
from jcm.mrv import units
from jcm.mrv.inputs import CalcInput, CalibrationPolicy, PointKind
from jcm.mrv.methodology import Methodology, Side
from jcm.mrv.qa_report import QaReport, SeriesResult, cal_check, calibration_adjust, issue

ZERO = Decimal(0)
_FLAGS = (
    ("negative", "neg"),
    ("over_capacity", "over"),
    ("meter_reset", "reset"),
    ("meter_rollover", "rolled"),
    ("duplicate", "dup"),
)


def _examples(a: dict[str, Any], flag: str) -> list[str]:
    rows = {int(r) for r in (a.get(f"{flag}_first"), a.get(f"{flag}_last")) if r is not None}
    return [f"row {r}" for r in sorted(rows)]


def _dec(value: object) -> Decimal:
    return ZERO if value is None else Decimal(str(value))


def credit_series(
    spec: dict[str, Any],
    agg: dict[tuple[str, str], dict[str, Any]],
    gaps: dict[tuple[str, str], list[str]],
    inputs: CalcInput,
    methodology: Methodology,
    report: QaReport,
    start: datetime,
    end: datetime,
) -> SeriesResult:
    """Credited quantity of one file-fed series, recording every QA decision on ``report``."""
    point, parameter = spec["point"], spec["parameter"]
    param = methodology.parameter(parameter)
    a: dict[str, Any] = agg.get((point, parameter), {})
    _check_units(a, point)
    for check, flag in _FLAGS:
        count = int(
            a.get(
                {
                    "meter_reset": "resets",
                    "meter_rollover": "rollovers",
                    "duplicate": "duplicates",
                }.get(check, check),
                0,
            )
            or 0
        )
        if count:
            report.issues.append(issue(check, point, parameter, count, _examples(a, flag)))
    if int(a.get("conflicts", 0) or 0):
        report.issues.append(
            issue("duplicate_conflict", point, parameter, int(a["conflicts"]), _examples(a, "dup"))
        )
    credited = _dec(a.get("sum_in")) + _out_of_calibration(a, param.side, inputs, report, spec)
    expected = None
    if spec["kind"] == PointKind.INTERVAL.value:
        expected = int((end - start).total_seconds() // round(spec["interval_h"] * 3600))
        credited += _gaps(a, expected, param.side, report, spec, gaps)
    unit = a.get("unit") or param.unit
    value = units.convert(credited, unit, param.unit, f"points.{point}.unit")
    if value == 0:  # one zero whatever the scale it was summed at (0, not 0E-9)
        value = ZERO
    return SeriesResult(point, parameter, param.unit, int(a.get("slots", 0) or 0), expected, value)


def _check_units(a: dict[str, Any], point: str) -> None:
    if int(a.get("unit_count", 0) or 0) > 1:
        raise ValidationFailed.of(
            [
                FieldProblem(
                    "unit",
                    f"Point {point} mixes units in one series; use one unit per point.",
                    f"ポイント {point} の系列に複数の単位が混在しています。1 ポイント 1 単位にしてください。",
                )
            ]
        )


def _out_of_calibration(
    a: dict[str, Any], side: Side, inputs: CalcInput, report: QaReport, spec: dict[str, Any]
) -> Decimal:
    count = int(a.get("out_of_calibration", 0) or 0)
    if not count:
        return ZERO
    check = cal_check(side, inputs)
    report.issues.append(
        issue(check, spec["point"], spec["parameter"], count, _examples(a, "out_cal"))
    )
    if side is Side.REFERENCE and inputs.qa.calibration_policy is CalibrationPolicy.EXCLUDE:
        return ZERO
    return calibration_adjust(_dec(a.get("sum_out")), side, inputs)


def _gaps(
    a: dict[str, Any],
    expected: int,
    side: Side,
    report: QaReport,
    spec: dict[str, Any],
    gaps: dict[tuple[str, str], list[str]],
) -> Decimal:
    """Record missing intervals; return the conservative fill (project side only)."""
    point, parameter = spec["point"], spec["parameter"]
    missing = max(expected - int(a.get("unique_ts", 0) or 0), 0)
    if missing:
        examples = gaps.get((point, parameter)) or ["whole period"]
        report.issues.append(issue("gap", point, parameter, missing, examples))
    if side is Side.REFERENCE:
        return ZERO
    excluded = sum(int(a.get(k, 0) or 0) for k in ("negative", "over_capacity"))
    if not missing + excluded:
        return ZERO
    if a.get("max_ok") is None:
        raise ValidationFailed.of(
            [
                FieldProblem(
                    f"points.{point}",
                    f"No valid readings for project-side parameter {parameter}.",
                    f"プロジェクト側パラメータ {parameter} の有効な計測値がありません。",
                )
            ]
        )
    report.issues.append(issue("gap_filled", point, parameter, missing + excluded, []))
    return _dec(a["max_ok"]) * (missing + excluded)
