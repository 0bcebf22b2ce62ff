from __future__ import annotations

from datetime import date, timedelta

from hypothesis import given
from hypothesis import strategies as st

from jcm.registry.rules_vintage import days_by_year, split_by_year


def test_a_period_from_july_to_june_has_two_vintages() -> None:
    days = days_by_year(date(2023, 7, 1), date(2024, 6, 30))
    assert days == {2023: 184, 2024: 182}
    assert split_by_year(1000, days) == {2023: 503, 2024: 497}


def test_measured_reductions_win_over_days() -> None:
    assert split_by_year(100, {2023: 3, 2024: 1}) == {2023: 75, 2024: 25}
    assert split_by_year(10, {2023: 0, 2024: 5}) == {2024: 10}


@given(
    st.integers(0, 10**9),
    st.dates(date(2013, 1, 1), date(2090, 1, 1)),
    st.integers(0, 3000),
)
def test_the_parts_are_whole_and_sum_to_the_amount(amount: int, start: date, length: int) -> None:
    end = start + timedelta(days=length)
    days = days_by_year(start, end)
    assert sum(days.values()) == length + 1
    parts = split_by_year(amount, days)
    assert sum(parts.values()) == amount
    assert set(parts) <= set(range(start.year, end.year + 1))
    for year, n in parts.items():  # never more than one off its exact share
        assert abs(n - amount * days[year] / (length + 1)) < 1 + 1e-6 * amount
