"""High-efficiency (once-through) boiler: PE = FC × NCV × EF_fuel; RE = PE × η_project ÷ η_ref.

The reference boiler would have burnt more fuel for the same heat, in the ratio of the two
efficiencies. Identified as GEN_EB001: a platform methodology, not a JC-approved ID.
"""

from __future__ import annotations

from decimal import Decimal

from jcm.mrv.methodologies.common import (
    SCOPE_ENERGY_DEMAND,
    gas_parameters,
    new_equipment_criterion,
)
from jcm.mrv.methodology import Criterion, Methodology, Parameter, Side, Source, Values


def project_emissions(fc: Decimal, ncv: Decimal, ef_fuel: Decimal) -> Decimal:
    """PE_p = FC_p × NCV × EF_fuel  [tCO2]."""
    return fc * ncv * ef_fuel


def reference_emissions(pe: Decimal, eta_project: Decimal, eta_reference: Decimal) -> Decimal:
    """RE_p = PE_p × η_project ÷ η_reference  [tCO2]."""
    return pe * eta_project / eta_reference


PARAMETERS = (
    *gas_parameters(ef="EF_fuel"),
    Parameter(
        "eta_project",
        "Efficiency of the project boiler (catalogue value)",
        "プロジェクトボイラの効率（カタログ値）",
        "1",
        Source.FIXED_EX_ANTE,
        Side.REFERENCE,
        minimum=Decimal("0.5"),
        maximum=Decimal(1),
    ),
    Parameter(
        "eta_reference",
        "Efficiency of the reference boiler (conservative default)",
        "リファレンスボイラの効率（保守的既定値）",
        "1",
        Source.DEFAULT,
        Side.PROJECT,
        minimum=Decimal("0.5"),
        maximum=Decimal(1),
        default=Decimal("0.89"),
    ),
)


def _pe(v: Values) -> Decimal:
    return project_emissions(v["FC"], v["NCV"], v["EF_fuel"])


METHODOLOGIES = [
    Methodology(
        id="GEN_EB001",
        version="1.0",
        family="efficient_boiler",
        title_en="Introduction of high-efficiency once-through boilers",
        title_ja="高効率貫流ボイラの導入",
        sectoral_scope=SCOPE_ENERGY_DEMAND,
        applicability=(
            Criterion(
                "The project replaces or avoids a lower-efficiency boiler with once-through "
                "boilers whose catalogue efficiency exceeds the reference efficiency.",
                "カタログ効率がリファレンス効率を上回る貫流ボイラを導入すること。",
            ),
            new_equipment_criterion(),
        ),
        parameters=PARAMETERS,
        reference=lambda v: reference_emissions(_pe(v), v["eta_project"], v["eta_reference"]),
        project=_pe,
        equations=(
            "PE_p = FC_p × NCV × EF_fuel",
            "RE_p = PE_p × η_project ÷ η_reference",
            "ER_p = RE_p − PE_p",
        ),
    )
]
