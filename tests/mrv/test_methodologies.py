"""Each methodology against a hand-computed case (arithmetic written out)."""

from decimal import Decimal

import pytest
from mrv_helpers import make_input, q, total

from jcm.errors import NotFound, ValidationFailed
from jcm.mrv.calc import calculate, floor_credits
from jcm.mrv.methodologies import REGISTRY, solar

D = Decimal


def test_pv_sums_generation_times_factor_over_points() -> None:
    inputs = make_input(
        [
            total("roof-A", "EG", "1200.5", "MWh"),
            total("roof-B", "EG", "800000", "kWh") | {"parameters": {"EF": q("0.533", "tCO2/MWh")}},
        ],
        {"EF": q("0.619", "tCO2/MWh")},
    )
    r = calculate(REGISTRY.get("ID_AM017"), inputs)
    # 1200.5 × 0.619 = 743.1095; 800 × 0.533 = 426.4; RE = 1169.5095
    assert r.reference_emissions == D("1169.5095")
    assert r.project_emissions == 0
    assert r.emission_reductions_exact == D("1169.5095")
    assert r.emission_reductions == 1169


def test_pv_equation_is_a_pure_function() -> None:
    assert solar.reference_emissions({"a": D(2), "b": D(3)}, {"a": D("0.5"), "b": D(1)}) == 4


def test_pv_takes_the_grid_factor_from_the_indonesian_table() -> None:
    inputs = make_input(
        [total("pv", "EG", "1000", "MWh")],
        emission_factor={"country": "IDN", "grid": "Barito", "case": "2"},
    )
    r = calculate(REGISTRY.get("ID_AM017"), inputs)
    # Barito case 2 = min(0.653, 0.533) = 0.533; 1000 × 0.533 = 533
    assert r.reference_emissions == 533
    ef = [p for p in r.parameters if p.symbol == "EF"][0]
    assert ef.source == "emission_factor_table"


def test_hydro_plain_version_credits_gross_generation() -> None:
    inputs = make_input([total("G1", "EG", "50000", "MWh")], {"EF": q("0.7122", "tCO2/MWh")})
    r = calculate(REGISTRY.get("PH_AM001", "1.0"), inputs)
    # 50000 × 0.7122 = 35610
    assert r.emission_reductions == 35610


def test_hydro_variant_deducts_auxiliary_consumption() -> None:
    inputs = make_input(
        [total("G1", "EG", "50000", "MWh"), total("AUX", "EG_aux", "1250", "MWh")],
        {"EF": q("0.7122", "tCO2/MWh")},
    )
    r = calculate(REGISTRY.get("PH_AM001", "1.1"), inputs)
    # (50000 − 1250) × 0.7122 = 48750 × 0.7122 = 34719.75
    assert r.emission_reductions_exact == D("34719.75")
    assert r.emission_reductions == 34719


def test_versions_coexist_and_latest_is_default() -> None:
    assert REGISTRY.get("PH_AM001").version == "1.1"
    assert REGISTRY.parse("PH_AM001:1.0").version == "1.0"


def test_gas_cogeneration_credits_power_and_heat_minus_gas_burnt() -> None:
    inputs = make_input(
        [
            total("E", "EC", "40000", "MWh"),
            total("H", "HG", "90000", "GJ"),
            total("F", "FC", "9000000", "Nm3"),
        ],
        {"EF_elec": q("0.5113", "tCO2/MWh"), "eta_ref": q("0.9", "1")},
    )
    r = calculate(REGISTRY.get("TH_AM009"), inputs)
    # RE = 40000 × 0.5113 + 90000 ÷ 0.9 × 0.0561 = 20452 + 5610 = 26062
    # PE = 9000000 × 0.0360 × 0.0561 = 18176.4
    # ER = 26062 − 18176.4 = 7885.6 → 7885
    assert r.reference_emissions == D("26062")
    assert r.project_emissions == D("18176.4")
    assert r.emission_reductions == 7885


def test_efficient_boiler_scales_project_emissions_by_efficiency_ratio() -> None:
    inputs = make_input([total("F", "FC", "1000000", "Nm3")], {"eta_project": q("0.98", "1")})
    r = calculate(REGISTRY.get("GEN_EB001"), inputs)
    # PE = 1000000 × 0.0360 × 0.0561 = 2019.6
    # RE = 2019.6 × 0.98 ÷ 0.89 = 1979.208 ÷ 0.89 = 2223.829213...
    # ER = 204.229213... → 204
    assert r.project_emissions == D("2019.6")
    assert r.reference_emissions.quantize(D("0.0001")) == D("2223.8292")
    assert r.emission_reductions == 204


def test_waste_heat_orc_credits_net_generation() -> None:
    inputs = make_input([total("ORC", "EG_net", "15000", "MWh")], {"EF": q("0.5113", "tCO2/MWh")})
    r = calculate(REGISTRY.get("ID_AM001"), inputs)
    # 15000 × 0.5113 = 7669.5 → 7669
    assert r.emission_reductions == 7669


def test_geothermal_binary_deducts_non_condensable_gas() -> None:
    inputs = make_input(
        [
            total("G", "EG", "120000", "MWh"),
            total("NCG-CO2", "M_CO2", "5000", "tCO2"),
            total("NCG-CH4", "M_CH4", "10", "tCH4"),
        ],
        {"EF": q("0.7122", "tCO2/MWh")},
    )
    r = calculate(REGISTRY.get("GEN_GB001"), inputs)
    # RE = 120000 × 0.7122 = 85464; PE = 5000 + 10 × 28 = 5280; ER = 80184
    assert (r.reference_emissions, r.project_emissions) == (85464, 5280)
    assert r.emission_reductions == 80184


def test_biomass_deducts_start_up_diesel() -> None:
    inputs = make_input(
        [total("G", "EG_net", "100000", "MWh"), total("D", "FC", "20", "kL")],
        {"EF": q("0.6766", "tCO2/MWh")},
    )
    r = calculate(REGISTRY.get("GEN_BM001"), inputs)
    # RE = 100000 × 0.6766 = 67660; PE = 20 × 35.8 × 0.0741 = 53.0556; ER = 67606.9444
    assert r.project_emissions == D("53.0556")
    assert r.emission_reductions == 67606


def test_waste_to_energy_counts_fossil_carbon_in_waste() -> None:
    inputs = make_input(
        [
            total("G", "EG_net", "30000", "MWh"),
            total("D", "FC", "0", "kL"),
            total("P", "W_fossil", "1200", "t"),
        ],
        {"EF": q("0.6766", "tCO2/MWh")},
    )
    r = calculate(REGISTRY.get("GEN_WE001"), inputs)
    # RE = 30000 × 0.6766 = 20298; PE = 1200 × 0.75 × 44/12 = 3300; ER = 16998
    assert r.project_emissions.quantize(D("0.000001")) == D("3300")
    assert r.emission_reductions == 16998


def test_negative_reductions_credit_nothing_and_say_so() -> None:
    inputs = make_input([total("F", "FC", "1000000", "Nm3")], {"eta_project": q("0.5", "1")})
    r = calculate(REGISTRY.get("GEN_EB001"), inputs)
    assert r.emission_reductions_exact < 0
    assert r.emission_reductions == 0
    assert r.qa.counts()["negative_result"] == 1


def test_credits_are_floored_once_at_the_end() -> None:
    assert floor_credits(D("10.9999")) == 10
    assert floor_credits(D("-3.2")) == 0


def test_a_parameter_outside_its_range_is_refused_by_symbol() -> None:
    inputs = make_input([total("pv", "EG", "10", "MWh")], {"EF": q("5", "tCO2/MWh")})
    with pytest.raises(ValidationFailed) as err:
        calculate(REGISTRY.get("TH_AM001"), inputs)
    assert err.value.field == "parameters.EF"


def test_a_missing_fixed_parameter_is_named() -> None:
    with pytest.raises(ValidationFailed, match="EF"):
        calculate(REGISTRY.get("PH_AM001", "1.0"), make_input([total("G", "EG", "1", "MWh")]))


def test_an_unknown_parameter_in_the_input_is_refused() -> None:
    inputs = make_input([total("G", "EG", "1", "MWh")], {"XYZ": q("1", "1")})
    with pytest.raises(ValidationFailed, match="XYZ"):
        calculate(REGISTRY.get("PH_AM001", "1.0"), inputs)


def test_an_unknown_methodology_is_not_found() -> None:
    with pytest.raises(NotFound):
        REGISTRY.parse("XX_AM999")


def test_every_methodology_has_bilingual_titles_and_applicability() -> None:
    for m in REGISTRY.all():
        assert m.title_en
        assert m.title_ja
        assert m.applicability
        assert m.parameters
        assert all(c.en and c.ja for c in m.applicability)
