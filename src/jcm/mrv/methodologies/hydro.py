"""Run-of-river hydro (PH_AM001): RE = EG × EF, or RE = (EG − EG_aux) × EF in the variant
that deducts auxiliary consumption. PE = 0 (run-of-river: no reservoir emissions).

Version 1.0 is the plain form; 1.1 is the platform's label for the auxiliary-deduction variant.
"""

from __future__ import annotations

from decimal import Decimal

from jcm.mrv.methodologies.common import (
    SCOPE_ENERGY_INDUSTRIES,
    electricity,
    grid_factor,
    metered_criterion,
    new_equipment_criterion,
)
from jcm.mrv.methodology import Criterion, Methodology, Side, Values

ZERO = Decimal(0)


def reference_emissions(eg: Decimal, ef: Decimal, eg_aux: Decimal = ZERO) -> Decimal:
    """RE_p = (EG_p − EG_aux,p) × EF  [MWh × tCO2/MWh]; never below zero."""
    return max(eg - eg_aux, ZERO) * ef


APPLICABILITY = (
    Criterion(
        "The project is a run-of-river hydropower plant without a new reservoir.",
        "新たな貯水池を伴わない流れ込み式水力発電所であること。",
    ),
    Criterion(
        "Power density exceeds 10 W/m² or the plant has no reservoir.",
        "出力密度が 10 W/m² を超える、又は貯水池を持たないこと。",
    ),
    metered_criterion(),
    new_equipment_criterion(),
)


def _base(version: str, with_aux: bool) -> Methodology:
    params = [electricity(per_point=False), grid_factor(per_point=False)]
    if with_aux:
        params.append(
            electricity(
                "EG_aux",
                per_point=False,
                side=Side.PROJECT,
                en="Auxiliary electricity consumed by the plant",
                ja="所内消費電力量",
            )
        )
    eqs = ["RE_p = (EG_p − EG_aux,p) × EF"] if with_aux else ["RE_p = EG_p × EF"]

    def _re(v: Values) -> Decimal:
        aux = v["EG_aux"] if with_aux else ZERO
        return reference_emissions(v["EG"], v["EF"], aux)

    return Methodology(
        id="PH_AM001",
        version=version,
        family="hydro",
        title_en="Run-of-river hydropower"
        + (" (auxiliary consumption deducted)" if with_aux else ""),
        title_ja="流れ込み式水力発電" + ("（所内消費電力控除）" if with_aux else ""),
        sectoral_scope=SCOPE_ENERGY_INDUSTRIES,
        applicability=APPLICABILITY,
        parameters=tuple(params),
        reference=_re,
        project=lambda v: ZERO,
        equations=(*eqs, "PE_p = 0", "ER_p = RE_p − PE_p"),
    )


METHODOLOGIES = [_base("1.0", with_aux=False), _base("1.1", with_aux=True)]
