"""Each methodology family's equations, by hand: inputs chosen so that every term shows.

Values are small distinct numbers, so swapping an operator, an operand or a symbol changes
the result; results are exact Decimals, compared exactly.
"""

from __future__ import annotations

from decimal import Decimal

import pytest

from jcm.mrv.methodologies import (
    REGISTRY,
    biomass,
    boiler,
    cogeneration,
    geothermal,
    hydro,
    solar,
    waste_heat,
)
from jcm.mrv.methodology import Values

D = Decimal


def test_solar_credits_each_point_at_its_own_factor() -> None:
    eg = {"a": D(3), "b": D(5)}
    ef = {"a": D("0.5"), "b": D("0.25"), "c": D(7)}  # a factor without generation adds nothing
    assert solar.reference_emissions(eg, ef) == D("2.75")
    assert solar.project_emissions() == 0
    m = REGISTRY.get("TH_AM001")
    v = Values(points={"EG": eg, "EF": ef})
    assert (m.reference(v), m.project(v)) == (D("2.75"), D(0))


def test_solar_without_generation_credits_a_decimal_zero() -> None:
    re = solar.reference_emissions({}, {})
    assert re == 0
    assert isinstance(re, Decimal)
    assert isinstance(solar.project_emissions(), Decimal)


def test_hydro_deducts_auxiliary_consumption_but_never_below_zero() -> None:
    assert hydro.reference_emissions(D(10), D("0.5")) == D(5)
    assert hydro.reference_emissions(D(10), D("0.5"), D(4)) == D(3)
    assert hydro.reference_emissions(D(10), D("0.5"), D(10)) == 0
    assert hydro.reference_emissions(D(10), D("0.5"), D(12)) == 0


def test_hydro_versions_differ_only_in_the_auxiliary_deduction() -> None:
    v = Values(scalars={"EG": D(10), "EF": D("0.5"), "EG_aux": D(4)})
    assert REGISTRY.get("PH_AM001", "1.0").reference(v) == D(5)
    assert REGISTRY.get("PH_AM001", "1.1").reference(v) == D(3)


def test_cogeneration_credits_electricity_and_heat_and_charges_the_gas() -> None:
    # RE = EC × EF_elec + HG × EF_fuel,ref ÷ η_ref = 3 × 2 + 10 × 3 ÷ 5 = 12
    assert cogeneration.reference_emissions(D(3), D(2), D(10), D(5), D(3)) == D(12)
    # PE = FC × NCV × EF_gas = 2 × 3 × 7
    assert cogeneration.project_emissions(D(2), D(3), D(7)) == D(42)
    m = REGISTRY.get("TH_AM009")
    symbols = ("EC", "EF_elec", "HG", "eta_ref", "EF_fuel_ref", "FC", "NCV", "EF_gas")
    v = Values(scalars=dict(zip(symbols, map(D, (3, 2, 10, 5, 3, 2, 11, 7)), strict=True)))
    assert (m.reference(v), m.project(v)) == (D(12), D(154))


def test_an_efficient_boiler_is_credited_what_a_less_efficient_one_would_burn() -> None:
    assert boiler.project_emissions(D(2), D(3), D(7)) == D(42)
    # RE = PE × η_project ÷ η_reference = 42 × 0.9 ÷ 0.7 = 54
    assert boiler.reference_emissions(D(42), D("0.9"), D("0.7")) == D(54)
    m = REGISTRY.get("GEN_EB001")
    v = Values(
        scalars={"FC": D(2), "NCV": D(3), "EF_fuel": D(7), "eta_project": D("0.9")}
        | {"eta_reference": D("0.7")}
    )
    assert (m.project(v), m.reference(v)) == (D(42), D(54))


def test_waste_heat_is_net_generation_times_the_factor() -> None:
    assert waste_heat.reference_emissions(D(8), D("0.25")) == D(2)
    m = REGISTRY.get("ID_AM001")
    v = Values(scalars={"EG_net": D(8), "EF": D("0.25"), "EG": D(100)})
    assert (m.reference(v), m.project(v)) == (D(2), D(0))


def test_geothermal_charges_the_released_co2_and_methane() -> None:
    assert geothermal.reference_emissions(D(8), D("0.25")) == D(2)
    assert geothermal.project_emissions(D(3), D(2), D(25)) == D(53)
    m = REGISTRY.get("GEN_GB001")
    v = Values(
        scalars={"EG": D(8), "EF": D("0.25"), "M_CO2": D(3), "M_CH4": D(2), "GWP_CH4": D(25)}
    )
    assert (m.reference(v), m.project(v)) == (D(2), D(53))


@pytest.mark.parametrize("mid", ["GEN_BM001", "GEN_WE001"])
def test_biomass_charges_the_fossil_fuel_and_the_fossil_carbon_of_the_waste(mid: str) -> None:
    # PE = FC × NCV × EF_fuel + W_fossil × FCC × 44/12 = 2 × 3 × 5 + 6 × 2 × 44 ÷ 12 = 74
    assert biomass.project_emissions(D(2), D(3), D(5), D(6), D(2)) == D(74)
    assert biomass.reference_emissions(D(8), D("0.25")) == D(2)
    v = Values(
        scalars={"EG_net": D(8), "EF": D("0.25"), "FC": D(2), "NCV": D(3), "EF_fuel": D(5)}
        | {"W_fossil": D(6), "FCC": D(2), "EG": D(100)}
    )
    m = REGISTRY.get(mid)
    assert (m.reference(v), m.project(v)) == (D(2), D(74))
