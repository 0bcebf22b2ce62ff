"""QA report structures and the calibration decision shared by the QA steps."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from jcm.mrv.inputs import CalcInput, CalibrationPolicy
from jcm.mrv.methodology import Side
from jcm.mrv.qa_texts import DECISIONS


@dataclass(frozen=True)
class QaIssue:
    """One kind of problem found in one series."""

    check: str
    point: str
    parameter: str
    count: int
    examples: tuple[str, ...]
    decision_en: str
    decision_ja: str

    def as_dict(self) -> dict[str, Any]:
        return {
            "check": self.check,
            "point": self.point,
            "parameter": self.parameter,
            "count": self.count,
            "examples": list(self.examples),
            "decision_en": self.decision_en,
            "decision_ja": self.decision_ja,
        }


@dataclass(frozen=True)
class SeriesResult:
    """What one monitoring point contributes, in its parameter's unit."""

    point: str
    parameter: str
    unit: str
    readings: int
    expected_intervals: int | None
    credited: Decimal

    def as_dict(self) -> dict[str, Any]:
        return {
            "point": self.point,
            "parameter": self.parameter,
            "unit": self.unit,
            "readings": self.readings,
            "expected_intervals": self.expected_intervals,
            "credited": str(self.credited),
        }


@dataclass
class QaReport:
    """The QA/QC outcome of one calculation."""

    series: list[SeriesResult] = field(default_factory=list)
    issues: list[QaIssue] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def counts(self) -> dict[str, int]:
        out: dict[str, int] = {}
        for issue in self.issues:
            out[issue.check] = out.get(issue.check, 0) + issue.count
        return out

    def as_dict(self) -> dict[str, Any]:
        return {
            "counts": self.counts(),
            "issues": [i.as_dict() for i in self.issues],
            "series": [s.as_dict() for s in self.series],
            "notes": list(self.notes),
        }


def issue(check: str, point: str, parameter: str, count: int, examples: list[str]) -> QaIssue:
    en, ja = DECISIONS[check]
    return QaIssue(check, point, parameter, count, tuple(examples), en, ja)


def cal_check(side: Side, inputs: CalcInput) -> str:
    if side is Side.PROJECT:
        return "out_of_calibration_project"
    if inputs.qa.calibration_policy is CalibrationPolicy.DISCOUNT:
        return "out_of_calibration_discounted"
    return "out_of_calibration_excluded"


def calibration_adjust(value: Decimal, side: Side, inputs: CalcInput) -> Decimal:
    factor = inputs.qa.calibration_discount
    if side is Side.PROJECT:
        return value / factor
    if inputs.qa.calibration_policy is CalibrationPolicy.DISCOUNT:
        return value * factor
    return Decimal(0)
