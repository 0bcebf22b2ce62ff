from dataclasses import replace
from fractions import Fraction

import pytest
from subsidy_factories import make_app

from jcm.subsidy.screening import max_subsidy, screen
from jcm.subsidy.settings import FY2022, CostEffectivenessException


def check(app, rule, call=FY2022):
    return next(c for c in screen(app, call).checks if c.rule == rule)


def test_a_sound_application_passes_every_rule():
    result = screen(make_app(), FY2022)
    assert result.eligible
    assert not result.needs_review
    assert [c.status for c in result.checks] == ["pass"] * len(result.checks)


@pytest.mark.parametrize(
    ("similar", "rate"),
    [
        (0, Fraction(1, 2)),
        (1, Fraction(2, 5)),
        (3, Fraction(2, 5)),
        (4, Fraction(3, 10)),
        (9, Fraction(3, 10)),
    ],
)
def test_the_rate_cap_falls_with_similar_projects_already_adopted(similar, rate):
    assert FY2022.rate_cap(similar) == rate


def test_a_subsidy_of_exactly_half_the_investment_passes_for_a_first_project():
    app = make_app(requested_subsidy_jpy=200_000_000, annual_reduction_tco2=10_000)
    assert check(app, "subsidy_within_rate_cap").status == "pass"
    assert screen(app, FY2022).max_subsidy_jpy == 200_000_000


def test_one_yen_above_half_the_investment_fails():
    app = make_app(requested_subsidy_jpy=200_000_001, annual_reduction_tco2=10_000)
    assert check(app, "subsidy_within_rate_cap").status == "fail"
    assert not screen(app, FY2022).eligible


def test_with_one_similar_project_forty_percent_is_the_limit():
    at = make_app(similar_projects_in_country=1, requested_subsidy_jpy=160_000_000)
    over = make_app(similar_projects_in_country=1, requested_subsidy_jpy=160_000_001)
    assert check(at, "subsidy_within_rate_cap").status == "pass"
    assert check(over, "subsidy_within_rate_cap").status == "fail"


def test_with_four_similar_projects_thirty_percent_is_the_limit():
    at = make_app(similar_projects_in_country=4, requested_subsidy_jpy=120_000_000)
    over = make_app(similar_projects_in_country=4, requested_subsidy_jpy=120_000_001)
    assert check(at, "subsidy_within_rate_cap").status == "pass"
    assert check(over, "subsidy_within_rate_cap").status == "fail"


def test_the_rate_cap_rounds_down_to_whole_yen():
    app = make_app(initial_investment_jpy=333, requested_subsidy_jpy=166)
    assert max_subsidy(app, FY2022) == 166
    assert (
        check(
            make_app(initial_investment_jpy=333, requested_subsidy_jpy=167),
            "subsidy_within_rate_cap",
        ).status
        == "fail"
    )


def test_the_ceiling_of_two_billion_yen_caps_the_maximum_subsidy():
    big = dict(initial_investment_jpy=10_000_000_000, annual_reduction_tco2=1_000_000)
    assert max_subsidy(make_app(**big), FY2022) == 2_000_000_000
    assert (
        check(make_app(requested_subsidy_jpy=2_000_000_000, **big), "subsidy_within_ceiling").status
        == "pass"
    )
    assert (
        check(make_app(requested_subsidy_jpy=2_000_000_001, **big), "subsidy_within_ceiling").status
        == "fail"
    )


def test_cost_effectiveness_of_exactly_four_thousand_yen_passes():
    # 68,000,000 / (1,000 t × 17 y) = 4,000 yen/tCO2
    app = make_app(requested_subsidy_jpy=68_000_000, annual_reduction_tco2=1_000)
    c = check(app, "cost_effectiveness")
    assert (c.status, c.value, c.limit) == ("pass", "4000.00", "4000.00")


def test_cost_effectiveness_of_four_thousand_and_one_sen_fails():
    # 68,000,170 / 17,000 = 4,000.01 yen/tCO2
    app = make_app(requested_subsidy_jpy=68_000_170, annual_reduction_tco2=1_000)
    c = check(app, "cost_effectiveness")
    assert (c.status, c.value) == ("fail", "4000.01")


def test_cost_effectiveness_a_hair_above_the_threshold_fails_and_shows_rounded_up():
    app = make_app(requested_subsidy_jpy=68_000_001, annual_reduction_tco2=1_000)
    c = check(app, "cost_effectiveness")
    assert (c.status, c.value) == ("fail", "4000.01")


def test_a_zero_or_negative_reduction_fails_cost_effectiveness_without_dividing():
    for reduction in (0, -5):
        c = check(make_app(annual_reduction_tco2=reduction), "cost_effectiveness")
        assert c.status == "fail"
        assert "positive" in c.message_en


def test_an_exempt_technology_and_country_skips_the_threshold():
    call = replace(
        FY2022,
        cost_effectiveness_exceptions=(
            CostEffectivenessException("solar_pv_rooftop", "VNM", exempt=True),
        ),
    )
    app = make_app(requested_subsidy_jpy=190_000_000, annual_reduction_tco2=100)
    assert check(app, "cost_effectiveness").status == "fail"
    assert check(app, "cost_effectiveness", call).status == "pass"


def test_an_alternative_threshold_applies_to_any_technology_when_marked_with_a_star():
    call = replace(
        FY2022,
        cost_effectiveness_exceptions=(
            CostEffectivenessException("*", "VNM", threshold_jpy_per_tco2=Fraction(6000)),
        ),
    )
    app = make_app(requested_subsidy_jpy=102_000_000, annual_reduction_tco2=1_000)  # 6,000 exactly
    assert check(app, "cost_effectiveness", call).status == "pass"
    assert (
        check(
            make_app(requested_subsidy_jpy=102_000_001, annual_reduction_tco2=1_000),
            "cost_effectiveness",
            call,
        ).status
        == "fail"
    )


def test_a_payback_of_exactly_three_years_passes_and_a_yen_less_fails():
    at = make_app(initial_investment_jpy=300_000_000, annual_net_savings_jpy=100_000_000)
    under = make_app(initial_investment_jpy=300_000_000, annual_net_savings_jpy=100_000_001)
    assert check(at, "payback_period").status == "pass"
    assert check(at, "payback_period").value == "3.00"
    assert check(under, "payback_period").status == "fail"
    assert check(under, "payback_period").value == "2.99"


def test_payback_net_of_subsidy_is_a_call_setting():
    call = replace(FY2022, payback_formula="investment_minus_subsidy_over_savings")
    app = make_app(
        initial_investment_jpy=400_000_000,
        requested_subsidy_jpy=100_000_000,
        annual_net_savings_jpy=100_000_000,
    )
    assert check(app, "payback_period").status == "pass"  # 4 years
    assert check(app, "payback_period", call).status == "pass"  # exactly 3 years
    fast = make_app(
        initial_investment_jpy=400_000_000,
        requested_subsidy_jpy=100_000_000,
        annual_net_savings_jpy=100_000_001,
    )
    assert check(fast, "payback_period", call).status == "fail"


def test_a_short_payback_can_be_set_to_need_review_instead_of_failing():
    call = replace(FY2022, payback_below_minimum="review")
    app = make_app(annual_net_savings_jpy=400_000_000)
    result = screen(app, call)
    assert result.eligible
    assert result.needs_review


def test_no_net_savings_asks_for_review_rather_than_dividing_by_zero():
    for savings in (0, -1):
        result = screen(make_app(annual_net_savings_jpy=savings), FY2022)
        assert result.payback_years is None
        assert check(make_app(annual_net_savings_jpy=savings), "payback_period").status == "review"
        assert result.eligible


def test_implementation_of_thirty_six_months_passes_and_thirty_seven_fails():
    assert check(make_app(implementation_months=36), "implementation_period").status == "pass"
    assert check(make_app(implementation_months=37), "implementation_period").status == "fail"


def test_a_non_japanese_representative_fails():
    assert (
        check(
            make_app(representative_participant_country="THA"), "representative_is_japanese"
        ).status
        == "fail"
    )


def test_a_country_outside_the_partnership_fails():
    assert check(make_app(partner_country="IND"), "country_eligible").status == "fail"
    assert check(make_app(partner_country="UKR"), "country_eligible").status == "pass"


def test_another_public_subsidy_fails():
    assert check(make_app(other_public_subsidy=True), "no_other_public_subsidy").status == "fail"


def test_an_overridden_similar_count_is_flagged_for_review_but_stays_eligible():
    app = make_app(
        similar_projects_in_country=2,
        similar_projects_overridden=True,
        similar_projects_override_reason="JC list",
    )
    result = screen(app, FY2022)
    assert check(app, "rate_cap").status == "review"
    assert result.eligible
    assert result.needs_review


def test_a_schedule_that_misses_the_request_fails():
    app = make_app(schedule_jpy_by_fiscal_year=((2022, 50_000_000), (2023, 49_999_999)))
    assert check(app, "schedule").status == "fail"


def test_a_schedule_outside_the_call_years_fails():
    app = make_app(schedule_jpy_by_fiscal_year=((2022, 50_000_000), (2025, 50_000_000)))
    c = check(app, "schedule")
    assert c.status == "fail"
    assert "FY2025" in c.message_en


def test_the_json_form_carries_rate_and_ratios_as_exact_text():
    data = screen(make_app(), FY2022).as_dict()
    assert data["rate_cap"] == "0.5"
    assert data["max_subsidy_jpy"] == 200_000_000
    assert data["cost_effectiveness_jpy_per_tco2"] == "2941.18"
    assert data["payback_years"] == "8.00"
    assert {"rule", "status", "value", "limit", "message_en", "message_ja"} <= set(
        data["checks"][0]
    )
