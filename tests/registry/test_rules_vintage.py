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


def test_a_period_in_one_year_keeps_its_year_and_a_split_says_its_basis() -> None:
    from jcm.registry.rules_vintage import DAYS, REDUCTIONS, SINGLE_YEAR, vintages

    assert vintages(date(2023, 1, 1), date(2023, 12, 31), 70, None) == (SINGLE_YEAR, {2023: 70})
    july_to_june = (date(2023, 7, 1), date(2024, 6, 30))
    assert vintages(*july_to_june, 1000, None) == (DAYS, {2023: 503, 2024: 497})
    assert vintages(*july_to_june, 1000, {"2023": 600, "2024": 400}) == (
        REDUCTIONS,
        {2023: 600, 2024: 400},
    )
    # fewer credits than verified: the same proportions
    assert vintages(*july_to_june, 500, {"2023": 600, "2024": 400}) == (
        REDUCTIONS,
        {2023: 300, 2024: 200},
    )
    # all reductions in one year: one vintage only
    assert vintages(*july_to_june, 10, {"2023": 0, "2024": 7}) == (REDUCTIONS, {2024: 10})


def test_reductions_by_year_must_name_the_periods_years_and_add_up() -> None:
    from jcm.registry.rules_vintage import reductions_problem

    start, end = date(2023, 7, 1), date(2024, 6, 30)
    assert reductions_problem(start, end, 1000, {"2023": 600, "2024": 400}) is None
    missing = reductions_problem(start, end, 1000, {"2023": 1000})
    assert missing is not None
    assert "2023, 2024" in missing[0]
    assert "2023, 2024" in missing[1]
    extra = reductions_problem(start, end, 1000, {"2022": 1, "2023": 599, "2024": 400})
    assert extra is not None
    short = reductions_problem(start, end, 1000, {"2023": 600, "2024": 399})
    assert short is not None
    assert "999" in short[0]
    assert "1,000" in short[0]
    assert "999" in short[1]
    negative = reductions_problem(start, end, 0, {"2023": 1, "2024": -1})
    assert negative is not None
    assert "negative" in negative[0]
    assert reductions_problem(start, end, 1, {"x": 1}) is not None
