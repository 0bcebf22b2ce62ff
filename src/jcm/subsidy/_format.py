"""Exact numbers as JSON-safe text: rates as decimals, ratios to two places."""

from __future__ import annotations

from fractions import Fraction


def fixed(value: Fraction, places: int = 2, *, round_up: bool = False) -> str:
    """``value`` to ``places`` decimals, rounded down (or up) rather than to nearest.

    Screening rounds against the applicant: a cost-effectiveness shown as 4000.00 never
    hides 4000.001, and a payback shown as 3.00 is never really 2.999.
    """
    # integer arithmetic on numerator and denominator: screening formats ~8 ratios per
    # application, and Fraction multiplication is the slow part
    num, den = value.numerator * 10**places, value.denominator
    whole = -(-num // den) if round_up else num // den
    sign = "-" if whole < 0 else ""
    digits = str(abs(whole)).rjust(places + 1, "0")
    return f"{sign}{digits[:-places]}.{digits[-places:]}" if places else f"{sign}{digits}"


def rate_text(value: Fraction) -> str:
    """A rate such as 1/2 as "0.5"; exact when the decimal terminates, else 6 places."""
    den = value.denominator
    while den % 2 == 0:
        den //= 2
    while den % 5 == 0:
        den //= 5
    if den != 1:
        return fixed(value, 6)
    return fixed(value, 12).rstrip("0").rstrip(".")


def ratio_text(value: Fraction) -> str:
    """Any exact ratio as text that ``Fraction()`` reads back: "4000", "0.4" or "1/3"."""
    if value.denominator == 1:
        return str(value.numerator)
    rate = rate_text(value)
    return rate if Fraction(rate) == value else f"{value.numerator}/{value.denominator}"


def yen(amount: int) -> str:
    return f"{amount:,}"
