"""Resolve every methodology parameter to a value in its own unit, recording where it came
from: monitored (after QA), given in the input, the emission-factor table, or the default.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from jcm.errors import FieldProblem, ValidationFailed
from jcm.mrv import factors, units
from jcm.mrv.inputs import CalcInput, Quantity
from jcm.mrv.methodology import Methodology, Parameter, Source, Values
from jcm.mrv.qa_report import QaReport


@dataclass(frozen=True)
class ParameterValue:
    """One parameter value used in the calculation, with unit and source."""

    symbol: str
    value: Decimal
    unit: str
    source: str
    detail: str = ""
    point: str | None = None
    detail_ja: str = ""  # the same in Japanese, for the pages and the report

    def as_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "symbol": self.symbol,
            "value": str(self.value),
            "unit": self.unit,
            "source": self.source,
            "detail": self.detail,
            "detail_ja": self.detail_ja or self.detail,
        }
        if self.point is not None:
            out["point"] = self.point
        return out


def _missing(field: str, symbol: str) -> ValidationFailed:
    return ValidationFailed.of(
        [
            FieldProblem(
                field,
                f"No value for parameter {symbol}: give it in the input or monitor it.",
                f"パラメータ {symbol} の値がありません。入力で与えるか計測してください。",
            )
        ]
    )


# (value, source, detail in English, detail in Japanese)
Found = tuple[Decimal, str, str, str]


def _given(q: Quantity, param: Parameter, field: str) -> Found:
    value = units.convert(q.value, q.unit, param.unit, f"{field}.unit")
    return (
        value,
        "input",
        q.source or f"given as {q.value} {q.unit}",
        q.source or f"{q.value} {q.unit} として入力",
    )


def _global(param: Parameter, inputs: CalcInput) -> Found | None:
    sym = param.symbol
    if sym in inputs.parameters:
        return _given(inputs.parameters[sym], param, f"parameters.{sym}")
    ref = inputs.emission_factor
    if ref is not None and ref.parameter == sym:
        ef = factors.lookup(ref.country, ref.grid, ref.case, ref.version)
        flag = " (illustrative)" if ef.illustrative else ""
        flag_ja = "（例示値）" if ef.illustrative else ""
        detail = f"{ef.country} {ef.grid} case {ef.case}, table {ef.version}{flag}: {ef.source}"
        detail_ja = (
            f"{ef.country} {ef.grid} ケース {ef.case}、表 {ef.version}{flag_ja}：{ef.source}"
        )
        value = units.convert(ef.value, ef.unit, param.unit)
        return value, "emission_factor_table", detail, detail_ja
    if param.default is not None:
        return param.default, "default", "methodology default", "方法論の既定値"
    return None


def _checked(param: Parameter, value: Decimal, field: str) -> Decimal:
    try:
        param.check_range(value)
    except ValidationFailed as exc:
        raise ValidationFailed.of(
            [FieldProblem(field, p.message_en, p.message_ja) for p in exc.problems]
        ) from None
    return value


def resolve_values(
    methodology: Methodology, inputs: CalcInput, report: QaReport
) -> tuple[Values, tuple[ParameterValue, ...]]:
    """Values for the equations and the provenance of each one."""
    scalars: dict[str, Decimal] = {}
    points: dict[str, dict[str, Decimal]] = {}
    trail: list[ParameterValue] = []
    per_point_ids = [s.point for s in report.series if methodology.parameter(s.parameter).per_point]
    for param in methodology.parameters:
        series = [s for s in report.series if s.parameter == param.symbol]
        if param.source is Source.MONITORED and series:
            for s in series:
                trail.append(
                    ParameterValue(
                        param.symbol,
                        s.credited,
                        param.unit,
                        "monitored",
                        f"{s.readings:,} reading(s) after QA",
                        s.point,
                        detail_ja=f"QA 後の計測値 {s.readings:,} 件",
                    )
                )
            if param.per_point:
                points[param.symbol] = {s.point: s.credited for s in series}
            else:
                scalars[param.symbol] = sum((s.credited for s in series), Decimal(0))
            continue
        if param.per_point:
            points[param.symbol] = _per_point(param, inputs, per_point_ids, trail)
            continue
        found = _global(param, inputs)
        if found is None:
            raise _missing(f"parameters.{param.symbol}", param.symbol)
        value = _checked(param, found[0], f"parameters.{param.symbol}")
        scalars[param.symbol] = value
        trail.append(
            ParameterValue(param.symbol, value, param.unit, found[1], found[2], detail_ja=found[3])
        )
    return Values(scalars, points), tuple(trail)


def _per_point(
    param: Parameter, inputs: CalcInput, point_ids: list[str], trail: list[ParameterValue]
) -> dict[str, Decimal]:
    by_id = {p.id: p for p in inputs.points}
    out: dict[str, Decimal] = {}
    fallback = _global(param, inputs)
    for pid in point_ids:
        own = by_id[pid].parameters.get(param.symbol) if pid in by_id else None
        field = f"points.{pid}.parameters.{param.symbol}"
        found = _given(own, param, field) if own else fallback
        if found is None:
            raise _missing(field, param.symbol)
        out[pid] = _checked(param, found[0], field if own else f"parameters.{param.symbol}")
        trail.append(
            ParameterValue(
                param.symbol, out[pid], param.unit, found[1], found[2], pid, detail_ja=found[3]
            )
        )
    return out
