"""Waste-heat recovery / ORC power generation (ID_AM001 style): RE = EG_net × EF, PE = 0."""

from __future__ import annotations

from decimal import Decimal

from jcm.mrv.methodologies.common import (
    SCOPE_ENERGY_INDUSTRIES,
    electricity,
    grid_factor,
    metered_criterion,
    new_equipment_criterion,
)
from jcm.mrv.methodology import Criterion, Methodology, Values

ZERO = Decimal(0)


def reference_emissions(eg_net: Decimal, ef: Decimal) -> Decimal:
    """RE_p = EG_net,p × EF  [MWh × tCO2/MWh]."""
    return eg_net * ef


def _re(v: Values) -> Decimal:
    return reference_emissions(v["EG_net"], v["EF"])


METHODOLOGIES = [
    Methodology(
        id="ID_AM001",
        version="1.0",
        family="waste_heat_orc",
        title_en="Power generation by waste heat recovery (ORC)",
        title_ja="廃熱回収発電（ORC）",
        sectoral_scope=SCOPE_ENERGY_INDUSTRIES,
        applicability=(
            Criterion(
                "Electricity is generated only from waste heat that was previously vented, "
                "with no additional fossil fuel fired.",
                "従来放出されていた廃熱のみで発電し、追加の化石燃料を燃焼しないこと。",
            ),
            metered_criterion(),
            new_equipment_criterion(),
        ),
        parameters=(
            electricity(
                "EG_net",
                per_point=False,
                en="Net electricity generated (gross minus auxiliary)",
                ja="正味発電量（総発電量 − 所内消費）",
            ),
            grid_factor(per_point=False),
        ),
        reference=_re,
        project=lambda v: ZERO,
        equations=("RE_p = EG_net,p × EF", "PE_p = 0", "ER_p = RE_p − PE_p"),
    )
]
