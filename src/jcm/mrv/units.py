"""Explicit unit conversion in exact arithmetic.

A unit is a simple unit (``MWh``, ``GJ``, ``t``) or a ratio of two (``tCO2/MWh``). Each simple
unit belongs to one dimension and has an exact factor to that dimension's base unit. Factors
are kept as :class:`fractions.Fraction`, so a conversion is exact whenever the result has a
terminating decimal expansion; otherwise it is rounded to 40 significant digits.
"""

from __future__ import annotations

from decimal import Context, Decimal
from fractions import Fraction

from jcm.errors import FieldProblem, ValidationFailed

_WH = Fraction(3600)  # joules in one watt-hour

# symbol -> (dimension, factor to the dimension's base unit)
_SIMPLE: dict[str, tuple[str, Fraction]] = {
    # energy, base J
    "J": ("energy", Fraction(1)),
    "kJ": ("energy", Fraction(10**3)),
    "MJ": ("energy", Fraction(10**6)),
    "GJ": ("energy", Fraction(10**9)),
    "TJ": ("energy", Fraction(10**12)),
    "Wh": ("energy", _WH),
    "kWh": ("energy", _WH * 10**3),
    "MWh": ("energy", _WH * 10**6),
    "GWh": ("energy", _WH * 10**9),
    # power, base W
    "W": ("power", Fraction(1)),
    "kW": ("power", Fraction(10**3)),
    "MW": ("power", Fraction(10**6)),
    # time, base h
    "h": ("time", Fraction(1)),
    "min": ("time", Fraction(1, 60)),
    # mass, base kg
    "g": ("mass", Fraction(1, 1000)),
    "kg": ("mass", Fraction(1)),
    "t": ("mass", Fraction(1000)),
    "Gg": ("mass", Fraction(10**6)),
    # volume, base m3 (actual conditions)
    "L": ("volume", Fraction(1, 1000)),
    "kL": ("volume", Fraction(1)),
    "m3": ("volume", Fraction(1)),
    # gas volume at normal conditions (0 °C, 101.325 kPa), base Nm3; not convertible to m3
    "Nm3": ("normal_volume", Fraction(1)),
    "kNm3": ("normal_volume", Fraction(1000)),
    # emissions as CO2 equivalent, base tCO2
    "kgCO2": ("co2", Fraction(1, 1000)),
    "tCO2": ("co2", Fraction(1)),
    "ktCO2": ("co2", Fraction(1000)),
    # methane mass, base tCH4
    "kgCH4": ("ch4", Fraction(1, 1000)),
    "tCH4": ("ch4", Fraction(1)),
    # dimensionless
    "1": ("ratio", Fraction(1)),
    "%": ("ratio", Fraction(1, 100)),
}
_ALIASES = {"tCO2e": "tCO2", "kgCO2e": "kgCO2", "-": "1", "": "1", "m³": "m3", "Nm³": "Nm3"}

_PRECISION = Context(prec=40)


class UnknownUnit(ValidationFailed):
    """A unit symbol the platform does not know."""

    code = "unknown_unit"

    def __init__(self, unit: str, field: str = "unit") -> None:
        super().__init__(
            f"Unknown unit '{unit}'.",
            f"単位 '{unit}' は使用できません。",
            field=field,
            problems=[FieldProblem(field, f"Unknown unit '{unit}'.", f"不明な単位 '{unit}'")],
        )
        self.unit = unit


class IncompatibleUnits(ValidationFailed):
    """Two units of different dimensions."""

    code = "incompatible_units"

    def __init__(self, source: str, target: str, field: str = "unit") -> None:
        en = f"Cannot convert {source} to {target}: different quantities."
        ja = f"{source} を {target} に換算できません（次元が異なります）。"
        super().__init__(en, ja, field=field, problems=[FieldProblem(field, en, ja)])


def _simple(symbol: str) -> tuple[str, Fraction]:
    key = _ALIASES.get(symbol, symbol)
    if key not in _SIMPLE:
        raise UnknownUnit(symbol)
    return _SIMPLE[key]


def dimension_and_factor(unit: str) -> tuple[str, Fraction]:
    """Dimension (``energy`` or ``co2/energy``) and exact factor to base units of ``unit``."""
    text = unit.strip()
    if text.count("/") > 1:
        raise UnknownUnit(unit)
    try:
        if "/" in text:
            num, den = text.split("/")
            dim_n, fac_n = _simple(num.strip())
            dim_d, fac_d = _simple(den.strip())
            return f"{dim_n}/{dim_d}", fac_n / fac_d
        return _simple(text)
    except UnknownUnit:
        raise UnknownUnit(unit) from None


def is_known(unit: str) -> bool:
    """True if ``unit`` can be parsed."""
    try:
        dimension_and_factor(unit)
    except UnknownUnit:
        return False
    return True


def factor(source: str, target: str, field: str = "unit") -> Fraction:
    """Exact multiplier taking a value in ``source`` to ``target``."""
    dim_s, fac_s = dimension_and_factor(source)
    dim_t, fac_t = dimension_and_factor(target)
    if dim_s != dim_t:
        raise IncompatibleUnits(source, target, field)
    return fac_s / fac_t


def to_decimal(value: Fraction) -> Decimal:
    """A fraction as a Decimal: exact when it terminates, else 40 significant digits."""
    den = value.denominator
    for p in (2, 5):
        while den % p == 0:
            den //= p
    if den == 1:
        # terminating: scale by a power of ten and divide exactly
        num, d = value.numerator, value.denominator
        k = 0
        while d != 1 and (10**k) % d != 0:
            k += 1
        return Decimal(f"{num * (10**k // d)}E-{k}")  # a string converts exactly, unrounded
    return _PRECISION.divide(Decimal(value.numerator), Decimal(value.denominator))


def convert(value: Decimal, source: str, target: str, field: str = "unit") -> Decimal:
    """``value`` in ``source`` expressed in ``target`` (e.g. ``convert(x, "kWh", "MWh")``)."""
    if source == target:
        return value
    return to_decimal(Fraction(value) * factor(source, target, field))


def known_units() -> list[str]:
    """The simple unit symbols (ratios of any two are also accepted)."""
    return sorted(_SIMPLE)
