"""Pure vintage rules: a monitoring period spanning calendar years is split into one part per
year of reduction, in proportion to each year's verified reductions (or its days). No I/O."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, timedelta
from decimal import Decimal
from fractions import Fraction


def days_by_year(start: date, end: date) -> dict[int, int]:
    """Days of the period [start, end] (both included) in each calendar year."""
    if end < start:
        raise ValueError(f"period ends {end} before it starts {start}")
    out: dict[int, int] = {}
    for year in range(start.year, end.year + 1):
        first, last = max(start, date(year, 1, 1)), min(end, date(year, 12, 31))
        out[year] = (last - first + timedelta(days=1)).days
    return out


def split_by_year(amount: int, weights: Mapping[int, int | Decimal]) -> dict[int, int]:
    """Whole tCO2 per vintage year, in proportion to ``weights`` (the year's verified
    reductions, or its days), summing exactly to ``amount``: floors first, then one each to
    the largest remainders, ties to the earlier year. Years of weight 0 get nothing."""
    if amount < 0 or any(w < 0 for w in weights.values()):
        raise ValueError("amounts and weights are never negative")
    total = sum(Fraction(w) for w in weights.values())
    if total == 0:
        raise ValueError("no reductions to split by")
    years = sorted(weights)
    quotas = {y: Fraction(amount) * Fraction(weights[y]) / total for y in years}
    parts = {y: int(q) for y, q in quotas.items()}
    left = amount - sum(parts.values())
    for y in sorted(years, key=lambda y: (-(quotas[y] - parts[y]), y))[:left]:
        parts[y] += 1
    return {y: n for y, n in parts.items() if n > 0}
