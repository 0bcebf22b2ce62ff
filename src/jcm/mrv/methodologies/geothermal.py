"""Geothermal binary power: RE = EG × EF; PE = CO2 from non-condensable gas + CH4 × GWP.

Identified as GEN_GB001: a platform methodology, not a JC-approved ID.
"""

from __future__ import annotations

from decimal import Decimal

from jcm.mrv.methodologies.common import (
    SCOPE_ENERGY_INDUSTRIES,
    electricity,
    grid_factor,
    metered_criterion,
)
from jcm.mrv.methodology import Criterion, Methodology, Parameter, Side, Source, Values


def reference_emissions(eg: Decimal, ef: Decimal) -> Decimal:
    """RE_p = EG_p × EF  [tCO2]."""
    return eg * ef


def project_emissions(m_co2: Decimal, m_ch4: Decimal, gwp_ch4: Decimal) -> Decimal:
    """PE_p = M_CO2,p + M_CH4,p × GWP_CH4  [tCO2 + tCH4 × tCO2/tCH4]."""
    return m_co2 + m_ch4 * gwp_ch4


def _re(v: Values) -> Decimal:
    return reference_emissions(v["EG"], v["EF"])


def _pe(v: Values) -> Decimal:
    return project_emissions(v["M_CO2"], v["M_CH4"], v["GWP_CH4"])


METHODOLOGIES = [
    Methodology(
        id="GEN_GB001",
        version="1.0",
        family="geothermal_binary",
        title_en="Binary-cycle power generation at an existing geothermal plant",
        title_ja="既設地熱発電所におけるバイナリー発電",
        sectoral_scope=SCOPE_ENERGY_INDUSTRIES,
        applicability=(
            Criterion(
                "The binary unit uses brine or steam from existing wells; no new wells.",
                "既存の井戸の熱水又は蒸気を利用し、新たな掘削を行わないこと。",
            ),
            metered_criterion(),
        ),
        parameters=(
            electricity(per_point=False),
            grid_factor(per_point=False),
            Parameter(
                "M_CO2",
                "CO2 in non-condensable gas released by the project",
                "プロジェクトから放出される不凝縮ガス中の CO2 量",
                "tCO2",
                Source.MONITORED,
                Side.PROJECT,
                option="C",
            ),
            Parameter(
                "M_CH4",
                "CH4 in non-condensable gas released by the project",
                "プロジェクトから放出される不凝縮ガス中の CH4 量",
                "tCH4",
                Source.MONITORED,
                Side.PROJECT,
                option="C",
            ),
            Parameter(
                "GWP_CH4",
                "Global warming potential of CH4 (IPCC AR5, 100 years)",
                "CH4 の地球温暖化係数（IPCC 第5次評価報告書、100年）",
                "tCO2/tCH4",
                Source.DEFAULT,
                Side.PROJECT,
                minimum=Decimal(1),
                default=Decimal(28),
            ),
        ),
        reference=_re,
        project=_pe,
        equations=("RE_p = EG_p × EF", "PE_p = M_CO2,p + M_CH4,p × GWP_CH4", "ER_p = RE_p − PE_p"),
    )
]
