"""Biomass power and waste-to-energy: RE = EG_net × EF; PE = fossil fuel + fossil-waste CO2.

PE_p = FC_p × NCV × EF_fuel + W_fossil,p × FCC × 44/12. Identified as GEN_BM001 (biomass) and
GEN_WE001 (waste-to-energy): platform methodologies, not JC-approved IDs.
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
from jcm.mrv.methodology import Criterion, Methodology, Parameter, Side, Source, Values

# 44/12 is applied as × 44 ÷ 12, last, so that exact inputs give exact results.
CO2_MASS, C_MASS = Decimal(44), Decimal(12)


def reference_emissions(eg_net: Decimal, ef: Decimal) -> Decimal:
    """RE_p = EG_net,p × EF  [tCO2]."""
    return eg_net * ef


def project_emissions(
    fc: Decimal, ncv: Decimal, ef_fuel: Decimal, w_fossil: Decimal, fcc: Decimal
) -> Decimal:
    """PE_p = FC_p × NCV × EF_fuel + W_fossil,p × FCC × 44/12  [tCO2]."""
    return fc * ncv * ef_fuel + w_fossil * fcc * CO2_MASS / C_MASS


def _params(with_waste: bool) -> tuple[Parameter, ...]:
    return (
        electricity(
            "EG_net",
            per_point=False,
            en="Net electricity supplied to the grid",
            ja="系統への正味供給電力量",
        ),
        grid_factor(per_point=False),
        Parameter(
            "FC",
            "Fossil fuel (diesel) co-fired or used for start-up",
            "混焼又は起動用の化石燃料（軽油）消費量",
            "kL",
            Source.MONITORED,
            Side.PROJECT,
            option="B",
        ),
        Parameter(
            "NCV",
            "Net calorific value of diesel",
            "軽油の真発熱量",
            "GJ/kL",
            Source.DEFAULT,
            Side.PROJECT,
            default=Decimal("35.8"),
        ),
        Parameter(
            "EF_fuel",
            "CO2 emission factor of diesel (IPCC 2006: 74.1 tCO2/TJ)",
            "軽油の CO2 排出係数（IPCC 2006：74.1 tCO2/TJ）",
            "tCO2/GJ",
            Source.DEFAULT,
            Side.PROJECT,
            default=Decimal("0.0741"),
        ),
        Parameter(
            "W_fossil",
            "Waste of fossil origin incinerated (e.g. plastics)",
            "焼却された化石由来廃棄物（プラスチック等）",
            "t",
            Source.MONITORED,
            Side.PROJECT,
            option="C",
            default=None if with_waste else Decimal(0),
        ),
        Parameter(
            "FCC",
            "Fossil carbon content of that waste",
            "当該廃棄物の化石炭素含有率",
            "1",
            Source.DEFAULT,
            Side.PROJECT,
            maximum=Decimal(1),
            default=Decimal("0.75") if with_waste else Decimal(0),
        ),
    )


def _re(v: Values) -> Decimal:
    return reference_emissions(v["EG_net"], v["EF"])


def _pe(v: Values) -> Decimal:
    return project_emissions(v["FC"], v["NCV"], v["EF_fuel"], v["W_fossil"], v["FCC"])


def _make(mid: str, family: str, en: str, ja: str, fuel_en: str, fuel_ja: str) -> Methodology:
    return Methodology(
        id=mid,
        version="1.0",
        family=family,
        title_en=en,
        title_ja=ja,
        sectoral_scope=SCOPE_ENERGY_INDUSTRIES,
        applicability=(Criterion(fuel_en, fuel_ja), metered_criterion(), new_equipment_criterion()),
        parameters=_params(family == "waste_to_energy"),
        reference=_re,
        project=_pe,
        equations=(
            "RE_p = EG_net,p × EF",
            "PE_p = FC_p × NCV × EF_fuel + W_fossil,p × FCC × 44/12",
            "ER_p = RE_p − PE_p",
        ),
    )


METHODOLOGIES = [
    _make(
        "GEN_BM001",
        "biomass_power",
        "Biomass power generation",
        "バイオマス発電",
        "The plant fires residual biomass (e.g. rice husk); fossil fuel only for start-up.",
        "残渣バイオマス（籾殻等）を燃料とし、化石燃料は起動用のみであること。",
    ),
    _make(
        "GEN_WE001",
        "waste_to_energy",
        "Waste-to-energy power generation",
        "廃棄物発電",
        "The plant incinerates municipal solid waste that would otherwise be landfilled.",
        "埋立処分されるはずの一般廃棄物を焼却して発電すること。",
    ),
]
