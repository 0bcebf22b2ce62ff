from dataclasses import replace
from fractions import Fraction
from itertools import combinations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from subsidy_factories import make_app

from jcm.errors import RuleViolation, ValidationFailed
from jcm.subsidy.demo import demo_applications
from jcm.subsidy.policy import SelectionPolicy
from jcm.subsidy.selection import scale_budget, select_portfolio
from jcm.subsidy.selection_model import Cap
from jcm.subsidy.settings import FY2022

ONE_YEAR = replace(FY2022, fiscal_years=(2022,), budget_jpy_by_fiscal_year=((2022, 300_000_000),))


def app(app_id, subsidy, tco2=10_000, country="VNM", technology="solar_pv_rooftop"):
    return make_app(
        id=app_id,
        requested_subsidy_jpy=subsidy,
        initial_investment_jpy=subsidy * 4,
        annual_net_savings_jpy=subsidy // 2,
        annual_reduction_tco2=tco2,
        implementation_months=12,
        partner_country=country,
        technology=technology,
    )


def test_the_optimum_beats_the_cost_effectiveness_ranking_when_budget_is_lumpy():
    apps = [
        app("A", 200_000_000, 10_000),
        app("B", 150_000_000, 7_000),
        app("C", 150_000_000, 7_000),
    ]
    result = select_portfolio(apps, ONE_YEAR)
    assert result.portfolio.ids == ("B", "C")
    assert result.greedy.ids == ("A",)
    assert result.as_dict()["optimum_extra_lifetime_reduction_tco2"] == 4_000 * 17


def test_a_left_out_application_is_told_how_much_more_budget_it_needed():
    apps = [app("A", 200_000_000), app("B", 150_000_000, 5_000)]
    out = dict(select_portfolio(apps, ONE_YEAR).left_out)
    assert out["B"][0].message_en == "would need 50,000,000 yen more in FY2022"
    assert "50,000,000 円不足" in out["B"][0].message_ja


def test_a_country_cap_keeps_the_next_project_out_and_says_so():
    apps = [app("A", 10_000_000), app("B", 10_000_000, 9_000)]
    policy = SelectionPolicy(country_caps=(Cap("*", max_projects=1),))
    result = select_portfolio(apps, ONE_YEAR, policy)
    assert result.portfolio.ids == ("A",)
    assert "country cap reached" in dict(result.left_out)["B"][0].message_en
    assert [u.limit.name for u in result.binding] == ["country_projects_VNM"]


def test_a_technology_cap_in_yen_is_respected():
    apps = [app("A", 100_000_000), app("B", 100_000_000, 9_000)]
    policy = SelectionPolicy(technology_caps=(Cap("solar_pv_rooftop", max_jpy=150_000_000),))
    assert select_portfolio(apps, ONE_YEAR, policy).portfolio.ids == ("A",)


def test_must_exclude_is_honoured_and_given_as_the_reason():
    apps = [app("A", 10_000_000), app("B", 10_000_000)]
    result = select_portfolio(apps, ONE_YEAR, SelectionPolicy(must_exclude=frozenset({"A"})))
    assert result.portfolio.ids == ("B",)
    assert dict(result.left_out)["A"][0].message_en == "must-exclude"


def test_must_include_forces_a_worse_project_in():
    apps = [app("A", 200_000_000, 10_000), app("B", 150_000_000, 3_000)]
    result = select_portfolio(apps, ONE_YEAR, SelectionPolicy(must_include=frozenset({"B"})))
    assert result.portfolio.ids == ("B",)


def test_must_include_that_cannot_fit_is_a_clear_error():
    apps = [app("A", 200_000_000), app("B", 150_000_000)]
    with pytest.raises(RuleViolation) as info:
        select_portfolio(apps, ONE_YEAR, SelectionPolicy(must_include=frozenset({"A", "B"})))
    assert "budget_fy2022 exceeded by 50,000,000" in info.value.message_en


def test_must_include_of_an_unknown_or_ineligible_application_is_refused():
    apps = [
        app("A", 10_000_000),
        replace(app("B", 10_000_000), representative_participant_country="USA"),
    ]
    with pytest.raises(ValidationFailed):
        select_portfolio(apps, ONE_YEAR, SelectionPolicy(must_include=frozenset({"Z"})))
    with pytest.raises(RuleViolation) as info:
        select_portfolio(apps, ONE_YEAR, SelectionPolicy(must_include=frozenset({"B"})))
    assert "representative_is_japanese" in info.value.message_en


def test_ineligible_applications_are_listed_with_their_failed_rules():
    apps = [app("A", 10_000_000), replace(app("B", 10_000_000), implementation_months=40)]
    result = select_portfolio(apps, ONE_YEAR)
    assert result.ineligible == (("B", ("implementation_period",)),)


def test_a_first_of_its_kind_bonus_can_tip_the_choice():
    apps = [
        app("A", 200_000_000, 10_000),
        replace(app("B", 200_000_000, 9_000), similar_projects_in_country=2),
    ]
    apps[0] = replace(apps[0], similar_projects_in_country=2)
    apps.append(app("C", 200_000_000, 9_500))
    assert select_portfolio(apps, ONE_YEAR).portfolio.ids == ("A",)
    bonus = SelectionPolicy(first_of_kind_bonus=Fraction(6, 5))
    assert select_portfolio(apps, ONE_YEAR, bonus).portfolio.ids == ("C",)


def test_a_total_budget_override_is_split_over_the_years_in_exact_yen():
    assert scale_budget(FY2022, 10_000_000_001) == (
        (2022, 3_333_333_334),
        (2023, 3_333_333_334),
        (2024, 3_333_333_333),
    )
    assert scale_budget(FY2022, None) == FY2022.budget_jpy_by_fiscal_year


def test_sensitivity_reports_what_ten_percent_less_and_more_would_buy():
    result = select_portfolio(
        demo_applications(), FY2022, SelectionPolicy(budget_jpy=9_000_000_000)
    )
    runs = result.as_dict()["sensitivity"]
    assert [r["factor"] for r in runs] == ["0.9", "1.1"]
    assert [r["budget_jpy"] for r in runs] == [8_100_000_000, 9_900_000_000]
    assert (
        runs[0]["total_lifetime_reduction_tco2"] <= result.portfolio.total_lifetime_reduction_tco2
    )
    assert (
        runs[1]["total_lifetime_reduction_tco2"] >= result.portfolio.total_lifetime_reduction_tco2
    )


def test_the_lp_bound_is_never_below_the_optimum():
    result = select_portfolio(
        demo_applications(), FY2022, SelectionPolicy(budget_jpy=9_000_000_000)
    )
    assert result.lp_bound >= float(result.portfolio.weighted_value) - 1e-6


def test_no_applications_select_nothing():
    result = select_portfolio([], FY2022)
    assert result.portfolio.ids == ()
    assert result.as_dict()["total_subsidy_jpy"] == 0


COUNTRIES, TECHS = ("VNM", "THA", "PHL"), ("solar_pv_rooftop", "small_hydro", "biomass_power")


@st.composite
def instances(draw):
    years = tuple(range(2022, 2022 + draw(st.integers(2, 3))))
    call = replace(
        FY2022,
        fiscal_years=years,
        budget_jpy_by_fiscal_year=tuple((y, draw(st.integers(0, 400)) * 1_000_000) for y in years),
    )
    apps = []
    for k in range(draw(st.integers(0, 10))):
        shares = [draw(st.integers(0, 200)) * 1_000_000 for _ in years]
        subsidy = sum(shares) or 1_000_000
        shares[0] += subsidy - sum(shares)
        a = app(
            f"A{k}",
            subsidy,
            draw(st.integers(subsidy // 68_000 + 1, 50_000)),
            draw(st.sampled_from(COUNTRIES)),
            draw(st.sampled_from(TECHS)),
        )
        apps.append(
            replace(
                a,
                schedule_jpy_by_fiscal_year=tuple(zip(years, shares, strict=True)),
                similar_projects_in_country=draw(st.integers(0, 1)),
            )
        )
    caps = st.one_of(st.none(), st.integers(0, 3))
    yen_caps = st.one_of(st.none(), st.integers(0, 400).map(lambda m: m * 1_000_000))
    policy = SelectionPolicy(
        country_caps=(Cap("*", draw(caps), draw(yen_caps)),),
        technology_caps=(Cap(draw(st.sampled_from(TECHS)), draw(caps), draw(yen_caps)),),
        first_of_kind_bonus=draw(st.sampled_from([Fraction(1), Fraction(3, 2)])),
        mip_rel_gap=0.0,
        sensitivity_factors=(),
    )
    return call, apps, policy


def fits(chosen, call, policy):
    for y, budget in call.budget_jpy_by_fiscal_year:
        if sum(a.schedule.get(y, 0) for a in chosen) > budget:
            return False
    for cap, attr in (
        (policy.country_caps[0], "partner_country"),
        (policy.technology_caps[0], "technology"),
    ):
        keys = {getattr(a, attr) for a in chosen} if cap.key == "*" else {cap.key}
        for key in keys:
            group = [a for a in chosen if getattr(a, attr) == key]
            if cap.max_projects is not None and len(group) > cap.max_projects:
                return False
            if (
                cap.max_jpy is not None
                and sum(a.requested_subsidy_jpy for a in group) > cap.max_jpy
            ):
                return False
    return True


def brute_force(call, apps, policy):
    best = Fraction(0)
    for size in range(len(apps) + 1):
        for chosen in combinations(apps, size):
            if fits(chosen, call, policy):
                best = max(
                    best,
                    sum(
                        (policy.weight(a) * a.lifetime_reduction_tco2 for a in chosen), Fraction(0)
                    ),
                )
    return best


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(instances())
def test_the_solver_matches_brute_force_and_never_breaks_a_budget_or_cap(instance):
    call, apps, policy = instance
    result = select_portfolio(apps, call, policy)
    chosen = [a for a in apps if a.id in set(result.portfolio.ids)]
    assert fits(chosen, call, policy)
    assert result.portfolio.weighted_value >= brute_force(call, apps, policy)
    assert fits([a for a in apps if a.id in set(result.greedy.ids)], call, policy)
    for y, spend in result.portfolio.spend_by_fiscal_year:
        assert spend <= call.budget_by_year[y]
