"""The emission-reduction calculation for one monitoring period, with provenance.

ER_p = RE_p − PE_p in exact Decimal arithmetic, floored to whole tCO2 once, at the end, and
never below zero.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from decimal import Decimal, localcontext
from typing import Any

from jcm.errors import FieldProblem, ValidationFailed
from jcm.mrv.ingest import MonitoringData
from jcm.mrv.inputs import CalcInput
from jcm.mrv.methodology import Methodology, Values
from jcm.mrv.qa import QaReport, run_qa
from jcm.mrv.qa_report import issue
from jcm.mrv.resolve import ParameterValue, resolve_values

ZERO = Decimal(0)


@dataclass(frozen=True)
class InputFile:
    """A file that fed the calculation, by name and SHA-256 (and a CSV's text encoding)."""

    name: str
    sha256: str
    encoding: str | None = None

    def as_dict(self) -> dict[str, str]:
        out = {"name": self.name, "sha256": self.sha256}
        return out | ({"encoding": self.encoding} if self.encoding else {})


@dataclass(frozen=True)
class CalculationResult:
    """RE, PE and ER of one monitoring period, and everything needed to reproduce them."""

    methodology_id: str
    methodology_version: str
    project_id: str | None
    period_start_utc: str
    period_end_utc: str
    parameters: tuple[ParameterValue, ...]
    files: tuple[InputFile, ...]
    qa: QaReport
    reference_emissions: Decimal
    project_emissions: Decimal
    emission_reductions_exact: Decimal
    emission_reductions: int
    notes: tuple[str, ...] = field(default_factory=tuple)

    def provenance(self) -> dict[str, Any]:
        return {
            "methodology": {"id": self.methodology_id, "version": self.methodology_version},
            "project_id": self.project_id,
            "monitoring_period_utc": {"start": self.period_start_utc, "end": self.period_end_utc},
            "parameters": [p.as_dict() for p in self.parameters],
            "input_files": [f.as_dict() for f in self.files],
            "notes": list(self.notes),
        }

    def as_dict(self) -> dict[str, Any]:
        """The JSON shape printed by ``jcm mrv calc --json``."""
        return {
            "methodology": f"{self.methodology_id}:{self.methodology_version}",
            "reference_emissions_tco2": str(self.reference_emissions),
            "project_emissions_tco2": str(self.project_emissions),
            "emission_reductions_exact_tco2": str(self.emission_reductions_exact),
            "emission_reductions_tco2": self.emission_reductions,
            "qa": self.qa.as_dict(),
            "provenance": self.provenance(),
        }


def floor_credits(exact: Decimal) -> int:
    """Whole tonnes credited: the exact reduction floored, never negative."""
    return max(math.floor(exact), 0)


def calculate(
    methodology: Methodology,
    inputs: CalcInput,
    data: MonitoringData | None = None,
    *,
    input_files: tuple[InputFile, ...] = (),
    streaming: bool = False,
) -> CalculationResult:
    """Run QA on the monitoring data and compute RE, PE and ER for the period."""
    _check_declarations(methodology, inputs)
    report = run_qa(
        data.frame if data else None,
        inputs,
        methodology,
        streaming=streaming,
        catalogue=data.catalogue if data else None,
    )
    if data:
        report.notes.extend(data.notes)
        input_files = (*input_files, InputFile(data.name, data.sha256, data.encoding))
    values, provenance = resolve_values(methodology, inputs, report)
    with localcontext() as ctx:
        ctx.prec = 60
        re_, pe = _emissions(methodology, values)
        exact = re_ - pe
    if exact < 0:
        report.issues.append(issue("negative_result", "-", "ER", 1, [str(exact)]))
    start, end = inputs.period_utc()
    return CalculationResult(
        methodology.id,
        methodology.version,
        inputs.project_id,
        start.isoformat(),
        end.isoformat(),
        provenance,
        input_files,
        report,
        re_,
        pe,
        exact,
        floor_credits(exact),
    )


def _emissions(methodology: Methodology, values: Values) -> tuple[Decimal, Decimal]:
    return methodology.reference(values), methodology.project(values)


def _check_declarations(methodology: Methodology, inputs: CalcInput) -> None:
    symbols = {p.symbol for p in methodology.parameters}
    problems = [
        FieldProblem(
            f"parameters.{s}",
            f"'{s}' is not a parameter of {methodology.key}.",
            f"'{s}' は {methodology.key} のパラメータではありません。",
        )
        for s in inputs.parameters
        if s not in symbols
    ]
    for i, point in enumerate(inputs.points):
        if point.parameter not in symbols:
            problems.append(
                FieldProblem(
                    f"points.{i}.parameter",
                    f"'{point.parameter}' is not a parameter of {methodology.key}.",
                    f"'{point.parameter}' は {methodology.key} のパラメータではありません。",
                )
            )
    ids = [(p.id, p.parameter) for p in inputs.points]
    if len(set(ids)) != len(ids):
        problems.append(
            FieldProblem(
                "points",
                "A point is declared twice for one parameter.",
                "同じポイントが同じパラメータで重複して宣言されています。",
            )
        )
    if problems:
        raise ValidationFailed.of(problems)
