from decimal import Decimal
from fractions import Fraction

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


def test_an_unknown_unit_names_itself_and_its_field_in_both_languages() -> None:
    with pytest.raises(units.UnknownUnit) as caught:
        units.convert(D(1), "furlong", "MWh", "points.p1.unit")
    e = caught.value
    assert (e.unit, e.field, e.code) == ("furlong", "unit", "unknown_unit")
    assert (e.message_en, e.message_ja) == (
        "Unknown unit 'furlong'.",
        "単位 'furlong' は使用できません。",
    )
    assert [p.as_dict() for p in e.problems] == [
        {
            "field": "unit",
            "message_en": "Unknown unit 'furlong'.",
            "message_ja": "不明な単位 'furlong'",
        }
    ]


def test_an_unknown_part_of_a_ratio_is_reported_as_the_whole_unit() -> None:
    with pytest.raises(units.UnknownUnit) as caught:
        units.dimension_and_factor("tCO2/furlong")
    assert caught.value.unit == "tCO2/furlong"
    assert caught.value.__suppress_context__


@pytest.mark.parametrize("unit", ["tCO2/MWh/h", "a/b/c", "//"])
def test_a_unit_with_more_than_one_slash_is_unknown(unit: str) -> None:
    with pytest.raises(units.UnknownUnit) as caught:
        units.dimension_and_factor(unit)
    assert caught.value.unit == unit
    assert not units.is_known(unit)


def test_incompatible_units_are_reported_for_the_field_given_or_unit() -> None:
    with pytest.raises(units.IncompatibleUnits) as caught:
        units.convert(D(1), "MWh", "t")
    assert caught.value.field == "unit"
    with pytest.raises(units.IncompatibleUnits) as caught:
        units.factor("MWh", "t")
    assert caught.value.field == "unit"
    with pytest.raises(units.IncompatibleUnits) as caught:
        units.convert(D(1), "MWh", "t", "points.p1.unit")
    assert caught.value.field == "points.p1.unit"
    assert units.IncompatibleUnits("MWh", "t").field == "unit"


def test_incompatible_units_name_both_and_the_field() -> None:
    with pytest.raises(units.IncompatibleUnits) as caught:
        units.factor("MWh", "t", "points.p1.unit")
    e = caught.value
    assert (e.field, e.code) == ("points.p1.unit", "incompatible_units")
    assert e.message_en == "Cannot convert MWh to t: different quantities."
    assert e.message_ja == "MWh を t に換算できません（次元が異なります）。"
    assert [p.as_dict() for p in e.problems] == [
        {"field": "points.p1.unit", "message_en": e.message_en, "message_ja": e.message_ja}
    ]


def test_a_ratio_has_the_dimension_of_both_sides_and_the_quotient_of_their_factors() -> None:
    assert units.dimension_and_factor(" kgCO2 / kWh ") == ("co2/energy", Fraction(1, 3_600_000_000))
    assert units.dimension_and_factor("tCO2e") == ("co2", Fraction(1))
    assert units.dimension_and_factor("m³") == ("volume", Fraction(1))
    assert units.dimension_and_factor("-") == ("ratio", Fraction(1))
    assert units.is_known("GJ/Nm3")
    assert units.dimension_and_factor("MWh/") == ("energy/ratio", Fraction(3_600_000_000))


def test_a_factor_is_the_exact_multiplier_from_source_to_target() -> None:
    assert units.factor("kWh", "MWh") == Fraction(1, 1000)
    assert units.factor("MWh", "GJ") == Fraction(18, 5)
    assert units.factor("min", "h") == Fraction(1, 60)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (Fraction(5), "5"),
        (Fraction(1, 8), "0.125"),
        (Fraction(-3, 4), "-0.75"),
        (Fraction(7, 20), "0.35"),
        (Fraction(1, 1000), "0.001"),
        (Fraction(1, 3), "0." + "3" * 40),
        (Fraction(2, 3), "0." + "6" * 39 + "7"),
        (Fraction(1, 6), "0.1" + "6" * 38 + "7"),
    ],
)
def test_a_fraction_becomes_an_exact_decimal_or_forty_significant_digits(
    value: Fraction, expected: str
) -> None:
    assert str(units.to_decimal(value)) == expected


def test_a_terminating_fraction_is_exact_however_many_digits_it_has() -> None:
    """Beyond the 28 digits of Decimal's default context (and the 40 of a non-terminating
    result): scaling a Decimal by a power of ten used to round it to 28."""
    assert str(units.to_decimal(Fraction(10**45 + 1, 1000))) == "1" + "0" * 42 + ".001"
    assert units.to_decimal(Fraction(1, 2**60)) == D(f"{5**60}E-60")
    assert str(units.to_decimal(Fraction(3, 10**400))) == "3E-400"
    kwh = D("12345678901234567890.123456789")  # a Decimal(38, 9) reading, 29 digits
    assert units.convert(kwh, "kWh", "MWh") == D("12345678901234567.890123456789")


def test_a_value_in_its_own_unit_is_returned_untouched() -> None:
    value = D("1.500")
    assert str(units.convert(value, "MWh", "MWh")) == "1.500"
    assert str(units.convert(D("1500"), "kWh", "MWh")) == "1.5"


def test_the_known_units_are_the_simple_symbols_in_order() -> None:
    known = units.known_units()
    assert known == sorted(known)
    assert {"MWh", "kWh", "GJ", "tCO2", "Nm3", "%", "1"} <= set(known)
    assert "tCO2e" not in known  # an alias, not a unit of its own
