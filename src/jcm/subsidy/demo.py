"""Illustrative applications for the FY2022 call, for demos and the web pages.

ILLUSTRATIVE: investment, subsidy and savings figures of JCM projects are not public. The
technologies, countries and reductions follow the FY2022 adoptions; every money figure is
made up from typical unit costs. Ids start with ``ILL-``.
"""

from __future__ import annotations

from jcm.subsidy.application import Application
from jcm.subsidy.parsing import parse_application
from jcm.subsidy.settings import FY2022, CallSettings

NOTE = "Illustrative figures, not real application data. / 例示用の架空データです。"

# id, country, technology, investment (million yen), annual tCO2, months, similar, payback y
_ROWS: tuple[tuple[str, str, str, int, int, int, int, int], ...] = (
    ("ILL-01", "KEN", "solar_pv_rooftop", 320, 2_454, 18, 0, 7),
    ("ILL-02", "KEN", "solar_pv_rooftop", 240, 1_735, 18, 1, 7),
    ("ILL-03", "VNM", "biomass_power", 6_000, 36_814, 30, 0, 8),
    ("ILL-04", "VNM", "small_hydro", 4_800, 16_910, 36, 2, 9),
    ("ILL-05", "VNM", "solar_pv_rooftop", 800, 2_634, 18, 5, 6),
    ("ILL-06", "VNM", "solar_pv_rooftop", 45, 156, 12, 6, 5),
    ("ILL-07", "IDN", "once_through_boiler", 420, 1_652, 18, 3, 6),
    ("ILL-08", "THA", "gas_cogeneration+solar_pv_rooftop", 5_200, 31_652, 30, 0, 7),
    ("ILL-09", "THA", "orc_waste_heat", 1_500, 7_845, 24, 0, 8),
    ("ILL-10", "THA", "solar_pv_rooftop", 450, 1_926, 18, 4, 6),
    ("ILL-11", "THA", "solar_pv_rooftop", 300, 1_150, 18, 5, 6),
    ("ILL-12", "THA", "solar_pv_rooftop", 110, 403, 12, 6, 6),
    ("ILL-13", "PHL", "geothermal_binary", 9_000, 76_220, 36, 0, 10),
    ("ILL-14", "PHL", "small_hydro", 5_500, 47_349, 36, 1, 9),
    ("ILL-15", "PHL", "solar_pv_ground", 950, 5_957, 18, 2, 7),
    ("ILL-16", "PHL", "solar_pv", 90, 544, 12, 3, 6),
    ("ILL-17", "MNG", "solar_pv_ground", 1_800, 9_800, 24, 2, 8),
    ("ILL-18", "LAO", "small_hydro", 2_600, 12_400, 30, 0, 9),
    ("ILL-19", "IDN", "waste_heat_orc", 2_100, 3_100, 24, 0, 2),
    ("ILL-20", "KHM", "solar_pv_rooftop", 600, 1_200, 18, 0, 7),
)


def _record(
    row: tuple[str, str, str, int, int, int, int, int], call: CallSettings
) -> dict[str, object]:
    app_id, country, tech, invest_m, tco2, months, similar, payback = row
    investment = invest_m * 1_000_000
    years = call.technology_by_code[tech].durable_years
    rate = call.rate_cap(similar)
    # Ask for what the rules allow, a little under the cost-effectiveness threshold, in
    # thousands of yen; ILL-20 asks for more than its reduction justifies, ILL-19 pays back
    # too fast, so the demo shows a failing application of each kind.
    by_ce = int(call.cost_effectiveness_threshold_jpy_per_tco2 * tco2 * years * 97 / 100)
    by_rate = min(rate.numerator * investment // rate.denominator, call.ceiling_jpy)
    subsidy = (min(by_rate, by_ce) // 1000) * 1000
    if app_id == "ILL-20":
        subsidy = (by_rate // 1000) * 1000
    record: dict[str, object] = {
        "id": app_id,
        "partner_country": country,
        "technology": tech,
        "representative_participant_country": "JPN",
        "initial_investment_jpy": investment,
        "requested_subsidy_jpy": subsidy,
        "annual_reduction_tco2": tco2,
        "annual_net_savings_jpy": investment // payback,
        "implementation_months": months,
        "eco_lease": app_id in ("ILL-06", "ILL-16"),
        "note": NOTE,
    }
    if similar:
        record["similar_projects_in_country"] = similar
        record["similar_projects_override_reason"] = "Illustrative count of earlier adoptions"
    return record


def demo_applications(call: CallSettings = FY2022) -> list[Application]:
    """About twenty illustrative applications (ids ``ILL-``) for a call; see ``NOTE``."""
    return [parse_application(_record(row, call), call) for row in _ROWS]
