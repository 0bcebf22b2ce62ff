"""Technologies and their legal durable years (法定耐用年数), the default equipment life.

The durable years come from Japan's Ministerial Ordinance on the Useful Life of Depreciable
Assets (減価償却資産の耐用年数等に関する省令). Each row names the table it was read from.
Where the ordinance classifies equipment by the *user's* industry (boilers, waste-heat
units) the figure is our reading for a typical user and is marked so; an applicant may
state its own ``legal_durable_years``. Codes cover every technology of the FY2022 adopted
projects, including the spellings used in the published list.
"""

from __future__ import annotations

from dataclasses import dataclass

_ORD = "減価償却資産の耐用年数等に関する省令"
_ELEC = f"{_ORD} 別表第二 31 電気業用設備"


@dataclass(frozen=True)
class Technology:
    """One technology: its code, its family for similar-project counting and its life."""

    code: str
    family: str
    durable_years: int
    source: str
    name_en: str
    name_ja: str


_SOLAR_SRC = f"{_ELEC}「その他の設備 主として金属製のもの」17年"
_STEAM_SRC = f"{_ELEC}「汽力発電設備」15年"
_GAS_SRC = f"{_ELEC}「内燃力又はガスタービン発電設備」15年"
_BOILER_SRC = f"{_ORD} 別表第二（利用者の業種による区分）; 15年 is our reading for a typical user"
_ORC_SRC = f"{_ORD} 別表第二（利用者の業種による区分）; 13年 is our reading for a typical user"
_BUILDING_SRC = f"{_ORD} 別表第一「建物附属設備 冷房、暖房、通風又はボイラー設備」15年"

TECHNOLOGIES: tuple[Technology, ...] = (
    Technology("solar_pv", "solar_pv", 17, _SOLAR_SRC, "Solar PV", "太陽光発電"),
    Technology(
        "solar_pv_rooftop", "solar_pv", 17, _SOLAR_SRC, "Rooftop solar PV", "屋根置き太陽光発電"
    ),
    Technology(
        "solar_pv_ground",
        "solar_pv",
        17,
        _SOLAR_SRC,
        "Ground-mounted solar PV",
        "地上設置太陽光発電",
    ),
    Technology(
        "small_hydro",
        "small_hydro",
        22,
        f"{_ELEC}「水力発電設備」22年",
        "Small hydropower",
        "小水力発電",
    ),
    Technology("biomass_power", "biomass_power", 15, _STEAM_SRC, "Biomass power", "バイオマス発電"),
    Technology(
        "waste_to_energy", "waste_to_energy", 15, _STEAM_SRC, "Waste-to-energy", "廃棄物発電"
    ),
    Technology(
        "geothermal_binary",
        "geothermal",
        15,
        f"{_ELEC}「汽力発電設備」15年 (binary cycle read as steam-cycle plant)",
        "Geothermal binary power",
        "地熱バイナリー発電",
    ),
    Technology(
        "gas_cogeneration",
        "gas_cogeneration",
        15,
        _GAS_SRC,
        "Gas cogeneration",
        "ガスコージェネレーション",
    ),
    Technology(
        "gas_cogeneration+solar_pv_rooftop",
        "gas_cogeneration",
        15,
        f"{_GAS_SRC}; the shorter life of the two components, so the cost-effectiveness "
        "test stays conservative",
        "Gas cogeneration with rooftop solar PV",
        "ガスコージェネレーション及び屋根置き太陽光発電",
    ),
    Technology(
        "once_through_boiler",
        "boiler",
        15,
        _BOILER_SRC,
        "High-efficiency once-through boiler",
        "高効率貫流ボイラ",
    ),
    Technology(
        "efficient_boiler", "boiler", 15, _BOILER_SRC, "High-efficiency boiler", "高効率ボイラ"
    ),
    Technology(
        "orc_waste_heat",
        "orc_waste_heat",
        13,
        _ORC_SRC,
        "ORC waste-heat power",
        "ORC廃熱回収発電",
    ),
    Technology(
        "waste_heat_orc",
        "orc_waste_heat",
        13,
        _ORC_SRC,
        "ORC waste-heat power",
        "ORC廃熱回収発電",
    ),
    Technology("wind_power", "wind_power", 17, _SOLAR_SRC, "Wind power", "風力発電"),
    Technology(
        "efficient_chiller",
        "efficient_chiller",
        15,
        _BUILDING_SRC,
        "High-efficiency chiller",
        "高効率冷凍機",
    ),
    Technology(
        "led_lighting",
        "led_lighting",
        15,
        f"{_ORD} 別表第一「建物附属設備 電気設備（照明設備を含む。）その他のもの」15年",
        "LED lighting",
        "LED照明",
    ),
)
