"""Gas-engine cogeneration (TH_AM009).

RE = EC × EF_elec + HG ÷ η_ref × EF_fuel,ref;  PE = FC × NCV × EF_gas.
"""

from __future__ import annotations

from decimal import Decimal

from jcm.mrv.methodologies.common import (
    SCOPE_ENERGY_INDUSTRIES,
    electricity,
    gas_parameters,
    grid_factor,
    metered_criterion,
    new_equipment_criterion,
)
from jcm.mrv.methodology import Criterion, Methodology, Parameter, Side, Source


def reference_emissions(
    ec: Decimal, ef_elec: Decimal, hg: Decimal, eta_ref: Decimal, ef_fuel_ref: Decimal
) -> Decimal:
    """RE_p = EC_p × EF_elec + HG_p ÷ η_ref × EF_fuel,ref  [tCO2]."""
    return ec * ef_elec + hg * ef_fuel_ref / eta_ref  # divide last: exact when it can be


def project_emissions(fc: Decimal, ncv: Decimal, ef_gas: Decimal) -> Decimal:
    """PE_p = FC_p × NCV × EF_gas  [Nm3 × GJ/Nm3 × tCO2/GJ = tCO2]."""
    return fc * ncv * ef_gas


PARAMETERS = (
    electricity(
        "EC",
        per_point=False,
        en="Electricity supplied by the cogeneration system",
        ja="コージェネレーションシステムから供給された電力量",
    ),
    grid_factor("EF_elec", per_point=False),
    Parameter(
        "HG",
        "Useful heat (steam/hot water) supplied",
        "供給された有効熱量",
        "GJ",
        Source.MONITORED,
        Side.REFERENCE,
        option="C",
    ),
    Parameter(
        "eta_ref",
        "Efficiency of the reference boiler (conservative default)",
        "リファレンスボイラの効率（保守的既定値）",
        "1",
        Source.DEFAULT,
        Side.REFERENCE,
        minimum=Decimal("0.5"),
        maximum=Decimal(1),
        default=Decimal("1.0"),
    ),
    Parameter(
        "EF_fuel_ref",
        "CO2 emission factor of the reference boiler fuel",
        "リファレンスボイラ燃料の CO2 排出係数",
        "tCO2/GJ",
        Source.DEFAULT,
        Side.REFERENCE,
        maximum=Decimal("0.2"),
        default=Decimal("0.0561"),
    ),
    *gas_parameters(),
)

METHODOLOGIES = [
    Methodology(
        id="TH_AM009",
        version="1.0",
        family="gas_cogeneration",
        title_en="Installation of a gas-engine cogeneration system",
        title_ja="ガスエンジンコージェネレーションシステムの導入",
        sectoral_scope=SCOPE_ENERGY_INDUSTRIES,
        applicability=(
            Criterion(
                "The project installs a natural-gas-fired engine cogeneration system supplying "
                "electricity and heat to a factory.",
                "工場に電力と熱を供給する天然ガス焚きエンジンコージェネレーションを導入すること。",
            ),
            metered_criterion(),
            new_equipment_criterion(),
        ),
        parameters=PARAMETERS,
        reference=lambda v: reference_emissions(
            v["EC"], v["EF_elec"], v["HG"], v["eta_ref"], v["EF_fuel_ref"]
        ),
        project=lambda v: project_emissions(v["FC"], v["NCV"], v["EF_gas"]),
        equations=(
            "RE_p = EC_p × EF_elec + HG_p ÷ η_ref × EF_fuel,ref",
            "PE_p = FC_p × NCV × EF_gas",
            "ER_p = RE_p − PE_p",
        ),
    )
]
