"""The selection model's exact limits (subsidy/selection_model.py), built and checked by hand."""

from __future__ import annotations

from fractions import Fraction

from subsidy_factories import make_app

from jcm.subsidy.selection_model import (
    Candidate,
    Cap,
    Limit,
    budget_limits,
    cap_limits,
    violations,
)

CANDIDATES = [
    Candidate(
        make_app(
            id="A",
            partner_country="VNM",
            technology="solar",
            requested_subsidy_jpy=30,
            schedule_jpy_by_fiscal_year=((2022, 10), (2023, 20)),
        ),
        Fraction(1),
    ),
    Candidate(
        make_app(
            id="B",
            partner_country="IDN",
            technology="solar",
            requested_subsidy_jpy=40,
            schedule_jpy_by_fiscal_year=((2023, 40),),
        ),
        Fraction(3, 2),
    ),
    Candidate(
        make_app(
            id="C",
            partner_country="VNM",
            technology="boiler",
            requested_subsidy_jpy=50,
            schedule_jpy_by_fiscal_year=((2022, 25), (2023, 0), (2024, 25)),
        ),
        Fraction(1),
    ),
]


def test_a_candidates_value_is_its_weighted_lifetime_reduction() -> None:
    app = make_app(annual_reduction_tco2=100, legal_durable_years=17)
    assert Candidate(app, Fraction(3, 2)).value == Fraction(2550)


def test_each_fiscal_year_limits_the_chosen_schedules_of_that_year() -> None:
    assert budget_limits(CANDIDATES, [(2022, 30), (2023, 55), (2025, 5)]) == [
        Limit("budget_fy2022", "budget", "2022", 30, {0: 10, 2: 25}),
        Limit("budget_fy2023", "budget", "2023", 55, {0: 20, 1: 40}),
        Limit("budget_fy2025", "budget", "2025", 5, {}),
    ]


def test_a_star_cap_applies_to_each_country_in_order() -> None:
    assert cap_limits(CANDIDATES, [Cap("*", max_projects=1)], "country") == [
        Limit("country_projects_IDN", "country_projects", "IDN", 1, {1: 1}),
        Limit("country_projects_VNM", "country_projects", "VNM", 1, {0: 1, 2: 1}),
    ]


def test_a_named_cap_counts_yen_and_projects_of_its_own_group_only() -> None:
    caps = [Cap("solar", max_projects=2, max_jpy=60), Cap("wind", max_jpy=5), Cap("boiler")]
    assert cap_limits(CANDIDATES, caps, "technology") == [
        Limit("technology_projects_solar", "technology_projects", "solar", 2, {0: 1, 1: 1}),
        Limit("technology_jpy_solar", "technology_jpy", "solar", 60, {0: 30, 1: 40}),
        Limit("technology_jpy_wind", "technology_jpy", "wind", 5, {}),
    ]


def test_a_limit_counts_only_its_members_and_is_exceeded_only_above_it() -> None:
    budget = Limit("budget_fy2022", "budget", "2022", 35, {0: 10, 2: 25})
    assert budget.used([0, 1, 2]) == 35
    assert budget.used([1]) == 0
    assert violations([budget], [0, 2]) == []  # at the limit
    over = Limit("budget_fy2022", "budget", "2022", 34, {0: 10, 2: 25})
    assert violations([budget, over], iter([0, 1, 2])) == [(over, 1)]
