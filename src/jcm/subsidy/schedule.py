"""Spreading money over fiscal years in whole yen that always sum exactly."""

from __future__ import annotations

from collections.abc import Sequence

MONTHS_PER_FISCAL_YEAR = 12


def split_proportionally(total: int, weights: Sequence[int]) -> list[int]:
    """Split ``total`` yen in proportion to ``weights`` by largest remainder; sums exactly.

    Ties in the remainder go to the earlier position, so the result is deterministic.
    """
    weight_sum = sum(weights)
    if weight_sum <= 0:
        raise ValueError("weights must have a positive sum")
    shares = [total * w // weight_sum for w in weights]
    remainders = [total * w % weight_sum for w in weights]
    left = total - sum(shares)
    order = sorted(range(len(weights)), key=lambda i: (-remainders[i], i))
    for i in order[:left]:
        shares[i] += 1
    return shares


def months_by_fiscal_year(first_fiscal_year: int, months: int) -> list[tuple[int, int]]:
    """Implementation months falling in each fiscal year, starting at the first's April."""
    out: list[tuple[int, int]] = []
    year, left = first_fiscal_year, max(months, 1)
    while left > 0:
        in_year = min(left, MONTHS_PER_FISCAL_YEAR)
        out.append((year, in_year))
        year, left = year + 1, left - in_year
    return out


def default_schedule(
    subsidy_jpy: int, first_fiscal_year: int, implementation_months: int
) -> tuple[tuple[int, int], ...]:
    """The subsidy spread evenly over the implementation months, by fiscal year.

    We assume work starts at the beginning of the call's first fiscal year; a project that
    runs past the call's years gets a schedule the screening then flags.
    """
    months = months_by_fiscal_year(first_fiscal_year, implementation_months)
    amounts = split_proportionally(subsidy_jpy, [m for _, m in months])
    return tuple((year, amount) for (year, _), amount in zip(months, amounts, strict=True))
