from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from jcm.mrv import units

D = Decimal


def test_kwh_to_mwh_is_a_thousandth() -> None:
    assert units.convert(D("1234.5"), "kWh", "MWh") == D("1.2345")


def test_one_mwh_is_exactly_3_6_gj() -> None:
    assert units.convert(D(1), "MWh", "GJ") == D("3.6")


def test_kgco2_per_kwh_equals_tco2_per_mwh() -> None:
    assert units.convert(D("0.533"), "kgCO2/kWh", "tCO2/MWh") == D("0.533")


def test_ratio_units_convert_both_sides() -> None:
    # 56.1 tCO2/TJ = 0.0561 tCO2/GJ
    assert units.convert(D("56.1"), "tCO2/TJ", "tCO2/GJ") == D("0.0561")


def test_an_unknown_unit_is_refused_by_name() -> None:
    with pytest.raises(units.UnknownUnit, match="furlong"):
        units.convert(D(1), "furlong", "MWh")


def test_units_of_different_quantities_do_not_convert() -> None:
    with pytest.raises(units.IncompatibleUnits):
        units.convert(D(1), "MWh", "t")


def test_normal_cubic_metres_are_not_cubic_metres() -> None:
    with pytest.raises(units.IncompatibleUnits):
        units.convert(D(1), "Nm3", "m3")


UNIT_PAIRS = [
    ("kWh", "MWh"),
    ("Wh", "GWh"),
    ("MWh", "GJ"),
    ("MJ", "TJ"),
    ("L", "kL"),
    ("kg", "t"),
    ("kgCO2", "tCO2"),
    ("kgCO2/kWh", "tCO2/MWh"),
    ("GJ", "MWh"),
    ("tCO2/GJ", "kgCO2/MJ"),
    ("%", "1"),
    ("kNm3", "Nm3"),
]
decimals = st.decimals(
    min_value=D("-1e12"), max_value=D("1e12"), allow_nan=False, allow_infinity=False, places=6
)


@given(value=decimals, pair=st.sampled_from(UNIT_PAIRS))
def test_conversions_round_trip(value: Decimal, pair: tuple[str, str]) -> None:
    a, b = pair
    back = units.convert(units.convert(value, a, b), b, a)
    if units.factor(a, b).denominator in (1, 2, 4, 5, 8, 10, 1000, 10**6, 10**9):
        assert back == value  # terminating factor: exact both ways
    else:
        assert back.quantize(D("1e-6")) == value  # 40 significant digits, then exact to 1e-6
