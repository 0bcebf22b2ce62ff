from __future__ import annotations

import pytest

from jcm.reporting.rules import (
    ForecastParams,
    Goals,
    PipelineProject,
    first_open_vintage,
    fiscal_year_of,
    forecast,
    funnel,
    goal_share,
    issued_by_fy,
    partners_by_year,
    realisation,
    yen_per_tco2,
)

PARAMS = ForecastParams(
    implementation_years=2, durable_years=3, verification_lag_years=1, band_low=0.5, band_high=1.5
)


def test_a_credited_project_counts_at_every_stage_of_the_funnel() -> None:
    assert funnel({"credited": 2}) == [
        ("applied", 2),
        ("adopted", 2),
        ("registered", 2),
        ("credited", 2),
    ]


def test_withdrawn_and_idea_projects_never_pass_application() -> None:
    stages = dict(funnel({"withdrawn": 3, "idea": 5, "adopted": 1}))
    assert stages == {"applied": 4, "adopted": 1, "registered": 0, "credited": 0}


def test_realisation_uses_the_default_without_enough_history() -> None:
    assert realisation(10, 20, PARAMS) == PARAMS.default_realisation


def test_realisation_is_verified_over_expected_with_history() -> None:
    assert realisation(80_000, 100_000, PARAMS) == pytest.approx(0.8)


def test_a_project_credits_its_durable_years_after_commissioning_and_the_lag() -> None:
    issued = issued_by_fy(PipelineProject(2022, 1000), PARAMS, 1.0)
    assert issued == {2024: 1000, 2025: 1000, 2026: 1000}


def test_years_already_issued_are_not_forecast_again() -> None:
    issued = issued_by_fy(PipelineProject(2022, 1000, credited_through_fy=2025), PARAMS, 1.0)
    assert issued == {2026: 1000}


def test_forecast_adds_the_pipeline_to_issued_history_with_a_band() -> None:
    points = forecast(
        [PipelineProject(2022, 1000)],
        {2023: 500},
        PARAMS,
        1.0,
        until_fy=2027,
        this_fy=2025,
    )
    by_fy = {p.fiscal_year: p for p in points}
    assert by_fy[2023].actual == 500
    assert by_fy[2024].central == 500
    assert by_fy[2025].actual is None
    assert by_fy[2027].central == 2500
    assert (by_fy[2027].low, by_fy[2027].high) == (1500, 3500)


def test_the_band_is_empty_for_the_years_already_issued() -> None:
    points = forecast([], {2020: 100}, PARAMS, 1.0, until_fy=2021, this_fy=2021)
    assert points[0].low == points[0].high == points[0].central == 100


def test_the_vintages_of_the_verification_lag_are_still_open() -> None:
    assert first_open_vintage(2025, PARAMS) == 2024


def test_goal_share_is_the_fraction_of_100_million_tonnes() -> None:
    assert goal_share(25_000_000, Goals()) == 0.25


def test_partner_countries_accumulate_by_the_year_they_signed() -> None:
    assert partners_by_year([2013, 2013, 2015], 2013, 2015) == [(2013, 2), (2014, 2), (2015, 3)]


def test_cost_per_tonne_divides_by_lifetime_reductions() -> None:
    assert yen_per_tco2(4_000_000, 100, 10) == 4000
    assert yen_per_tco2(1, 0, 10) is None


def test_the_fiscal_year_starts_in_april() -> None:
    assert (fiscal_year_of(2023, 3), fiscal_year_of(2023, 4)) == (2022, 2023)
