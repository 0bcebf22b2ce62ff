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


# How an issuance's vintage and amount were found (``Issuance.vintage_basis``).
SINGLE_YEAR = "single_year"  # the period lies in one calendar year
REDUCTIONS = "reductions"  # split by the verified reductions of each year
DAYS = "days"  # split pro rata by the period's days in each year
PERIOD_END = "period_end"  # issued before vintages were split: the year the period ended
BASES = (SINGLE_YEAR, REDUCTIONS, DAYS, PERIOD_END)


def vintages(
    start: date, end: date, amount: int, reductions_by_year: Mapping[str, int] | None
) -> tuple[str, dict[int, int]]:
    """The vintages of ``amount`` credits for the period [start, end] and the basis of the
    split: one year as is; several by the verified reductions of each year when they are
    given (they must name exactly the period's years), else by days."""
    days = days_by_year(start, end)
    if len(days) == 1:
        return SINGLE_YEAR, {start.year: amount} if amount > 0 else {}
    if reductions_by_year:
        weights = {int(y): n for y, n in reductions_by_year.items()}
        if set(weights) != set(days):
            raise ValueError(
                f"reductions are given for {sorted(weights)}, the period covers {sorted(days)}"
            )
        if sum(weights.values()) > 0:
            return REDUCTIONS, split_by_year(amount, weights)
    return DAYS, split_by_year(amount, days)


def reductions_problem(
    start: date, end: date, verified_tco2: int, reductions_by_year: Mapping[str, int]
) -> tuple[str, str] | None:
    """Why verified reductions by year cannot stand for the period (English, Japanese), or
    None: they name each calendar year of the period once, each is a whole number of tCO2
    that is not negative, and they add up to the verified total."""
    years = sorted(days_by_year(start, end))
    listed = ", ".join(str(y) for y in years)
    try:
        given = {int(y): n for y, n in reductions_by_year.items()}
    except ValueError:
        return "a year is not a number", "年が数値ではありません"
    if sorted(given) != years:
        return (
            f"give the reductions of each year of the period: {listed}",
            f"期間の各年の削減量を記入してください: {listed}",
        )
    if any(isinstance(n, bool) or not isinstance(n, int) or n < 0 for n in given.values()):
        return (
            "each year's reductions are a whole number of tCO2, never negative",
            "各年の削減量は 0 以上の整数（tCO2）です",
        )
    total = sum(given.values())
    if total != verified_tco2:
        return (
            f"the years add up to {total:,} tCO2, not the verified {verified_tco2:,} tCO2",
            f"各年の合計が {total:,} tCO2 で、検証済みの {verified_tco2:,} tCO2 と一致しません",
        )
    return None
