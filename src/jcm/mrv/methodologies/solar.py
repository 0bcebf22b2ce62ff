"""Solar PV supplying the grid and/or captive use: RE = Σ_i EG_i × EF_i, PE = 0.

Encoded for TH_AM001, VN_AM007, KE_AM002 and the PV path of ID_AM017. Version labels are the
platform's encoding versions; align them with the JC-approved version before use.
"""

from __future__ import annotations

from collections.abc import Mapping
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


def reference_emissions(eg: Mapping[str, Decimal], ef: Mapping[str, Decimal]) -> Decimal:
    """RE_p = Σ_i EG_i,p × EF_i  [MWh × tCO2/MWh = tCO2]."""
    return sum((eg[i] * ef[i] for i in eg), ZERO)


def project_emissions() -> Decimal:
    """PE_p = 0: a PV system emits nothing in operation."""
    return ZERO


APPLICABILITY = (
    Criterion(
        "The project installs solar PV system(s) connected to the grid and/or a captive network.",
        "系統及び/又は自家消費系統に接続する太陽光発電システムを導入すること。",
    ),
    Criterion(
        "PV modules are certified to IEC 61215 / IEC 61730 (or equivalent).",
        "太陽電池モジュールは IEC 61215 / IEC 61730（又は同等）の認証を受けていること。",
    ),
    metered_criterion(),
    new_equipment_criterion(),
)


def _re(v: Values) -> Decimal:
    return reference_emissions(v.per_point("EG"), v.per_point("EF"))


def pv(mid: str, version: str, country_en: str, country_ja: str) -> Methodology:
    """The PV methodology as approved for one partner country."""
    return Methodology(
        id=mid,
        version=version,
        family="solar_pv",
        title_en=f"Installation of solar PV system(s) ({country_en})",
        title_ja=f"太陽光発電システムの導入（{country_ja}）",
        sectoral_scope=SCOPE_ENERGY_INDUSTRIES,
        applicability=APPLICABILITY,
        parameters=(electricity(), grid_factor()),
        reference=_re,
        project=lambda v: project_emissions(),
        equations=("RE_p = Σ_i EG_i,p × EF_i", "PE_p = 0", "ER_p = RE_p − PE_p"),
    )


METHODOLOGIES = [
    pv("TH_AM001", "1.0", "Thailand", "タイ"),
    pv("VN_AM007", "1.0", "Viet Nam", "ベトナム"),
    pv("KE_AM002", "1.0", "Kenya", "ケニア"),
    pv("ID_AM017", "1.0", "Indonesia, PV path", "インドネシア、太陽光部分"),
]
