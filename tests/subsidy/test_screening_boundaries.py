"""Screening (subsidy/screening.py) as the applicant and the secretariat read it: every rule's
outcome, figures and words for a sound application, and each failing branch in full."""

from __future__ import annotations

from dataclasses import replace
from fractions import Fraction
from typing import Any

from subsidy_factories import make_app

from jcm.subsidy.application import Application
from jcm.subsidy.screening import (
    Check,
    cost_effectiveness,
    payback_years,
    screen,
    screen_all,
)
from jcm.subsidy.settings import FY2022, CallSettings, CostEffectivenessException


def _check(app: Application, rule: str, call: CallSettings = FY2022) -> dict[str, Any]:
    return next(c for c in screen(app, call).checks if c.rule == rule).as_dict()


def _rule(rule: str, status: str, value: object, limit: object, en: str, ja: str) -> dict[str, Any]:
    return {
        "rule": rule,
        "status": status,
        "value": value,
        "limit": limit,
        "message_en": en,
        "message_ja": ja,
    }


def test_a_sound_application_reads_in_full() -> None:
    assert screen(make_app(), FY2022).as_dict() == {
        "id": "APP-1",
        "eligible": True,
        "needs_review": False,
        "max_subsidy_jpy": 200_000_000,
        "rate_cap": "0.5",
        "cost_effectiveness_jpy_per_tco2": "2941.18",
        "payback_years": "8.00",
        "checks": [
            _rule(
                "representative_is_japanese",
                "pass",
                "JPN",
                "JPN",
                "Representative participant country is JPN; JPN is required.",
                "代表事業者の国は JPN です（JPN である必要があります）。",
            ),
            _rule(
                "country_eligible",
                "pass",
                "VNM",
                "29 partner countries",
                "VNM is a JCM partner country of the FY2022 call.",
                "VNM は FY2022 公募の JCM パートナー国です。",
            ),
            _rule(
                "no_other_public_subsidy",
                "pass",
                False,
                False,
                "No other public subsidy.",
                "他の国庫補助金はありません。",
            ),
            _rule(
                "rate_cap",
                "pass",
                0,
                "0.5",
                "0 similar project(s) already adopted in VNM: the subsidy may cover up to 50 % "
                "of the initial investment.",
                "VNM で採択済みの同種案件 0 件：補助率上限は 50% です。",
            ),
            _rule(
                "subsidy_within_rate_cap",
                "pass",
                100_000_000,
                200_000_000,
                "Requested 100,000,000 yen; the rate cap allows 200,000,000 yen.",
                "申請額 100,000,000 円、補助率上限による上限額 200,000,000 円。",
            ),
            _rule(
                "subsidy_within_ceiling",
                "pass",
                100_000_000,
                2_000_000_000,
                "Requested 100,000,000 yen; the per-project ceiling is 2,000,000,000 yen.",
                "申請額 100,000,000 円、1件あたり上限 2,000,000,000 円。",
            ),
            _rule(
                "cost_effectiveness",
                "pass",
                "2941.18",
                "4000.00",
                "2941.18 yen/tCO2 against a threshold of 4000.00 yen/tCO2.",
                "費用対効果 2941.18 円/tCO2（基準 4000.00 円/tCO2）。",
            ),
            _rule(
                "payback_period",
                "pass",
                "8.00",
                "3.00",
                "Payback 8.00 years; at least 3.00 years is required.",
                "投資回収年数 8.00 年（3.00 年以上が必要）。",
            ),
            _rule(
                "implementation_period",
                "pass",
                24,
                36,
                "Implementation takes 24 months; at most 36 are allowed.",
                "事業期間 24 か月（上限 36 か月）。",
            ),
            _rule(
                "schedule",
                "pass",
                100_000_000,
                "FY2022-FY2024",
                "The schedule sums to the request within FY2022-FY2024.",
                "年度別内訳は FY2022-FY2024 の範囲で申請額と一致します。",
            ),
        ],
    }


def test_a_country_outside_the_call_is_refused_in_words() -> None:
    assert _check(make_app(partner_country="IND"), "country_eligible") == _rule(
        "country_eligible",
        "fail",
        "IND",
        "29 partner countries",
        "IND is not a JCM partner country of the FY2022 call.",
        "IND は FY2022 公募の JCM パートナー国ではありません。",
    )


def test_a_foreign_representative_is_refused_with_both_countries() -> None:
    app = make_app(representative_participant_country="THA")
    assert _check(app, "representative_is_japanese") == _rule(
        "representative_is_japanese",
        "fail",
        "THA",
        "JPN",
        "Representative participant country is THA; JPN is required.",
        "代表事業者の国は THA です（JPN である必要があります）。",
    )


def test_another_public_subsidy_is_refused_in_words() -> None:
    assert _check(make_app(other_public_subsidy=True), "no_other_public_subsidy") == _rule(
        "no_other_public_subsidy",
        "fail",
        True,
        False,
        "Another Japanese public subsidy is used.",
        "他の国庫補助金を利用しています。",
    )


def test_no_reduction_fails_cost_effectiveness_without_a_figure() -> None:
    app = make_app(annual_reduction_tco2=0)
    assert cost_effectiveness(app) is None
    assert _check(app, "cost_effectiveness") == _rule(
        "cost_effectiveness",
        "fail",
        None,
        None,
        "The annual reduction (0 tCO2) must be positive.",
        "年間削減量（0 tCO2）は正の値である必要があります。",
    )
    assert screen(app, FY2022).as_dict()["cost_effectiveness_jpy_per_tco2"] is None


def test_a_reduction_of_one_tonne_a_year_has_a_cost_effectiveness() -> None:
    app = make_app(annual_reduction_tco2=1, legal_durable_years=1, requested_subsidy_jpy=3)
    assert cost_effectiveness(app) == Fraction(3)


def test_an_exempt_pair_passes_and_says_so() -> None:
    call = replace(
        FY2022,
        cost_effectiveness_exceptions=(
            CostEffectivenessException("solar_pv_rooftop", "VNM", exempt=True),
        ),
    )
    assert _check(make_app(), "cost_effectiveness", call) == _rule(
        "cost_effectiveness",
        "pass",
        "2941.18",
        "exempt",
        "solar_pv_rooftop in VNM is exempt from the threshold.",
        "VNM の solar_pv_rooftop は費用対効果基準の適用除外です。",
    )


def test_an_exception_without_its_own_threshold_keeps_the_calls() -> None:
    call = replace(
        FY2022,
        cost_effectiveness_exceptions=(CostEffectivenessException("solar_pv_rooftop", "VNM"),),
    )
    assert _check(make_app(), "cost_effectiveness", call)["limit"] == "4000.00"


def test_no_net_savings_asks_for_review_in_words() -> None:
    app = make_app(annual_net_savings_jpy=0)
    assert _check(app, "payback_period") == _rule(
        "payback_period",
        "review",
        None,
        "3.00",
        "Net savings of 0 yen a year never repay the investment; the secretariat must review "
        "the business case.",
        "年間純削減額 0 円では投資を回収できません。事務局の確認が必要です。",
    )
    assert screen(app, FY2022).as_dict()["payback_years"] is None


def test_one_yen_of_savings_a_year_has_a_payback() -> None:
    assert payback_years(make_app(annual_net_savings_jpy=1), FY2022) == Fraction(400_000_000)


def test_a_subsidy_above_the_investment_pays_back_at_once_net_of_subsidy() -> None:
    call = replace(FY2022, payback_formula="investment_minus_subsidy_over_savings")
    app = make_app(initial_investment_jpy=100, requested_subsidy_jpy=150)
    assert payback_years(app, call) == 0
    assert payback_years(app, FY2022) == Fraction(100, 50_000_000)


def test_an_overridden_similar_count_reads_with_the_applicants_reason() -> None:
    app = make_app(
        similar_projects_in_country=2,
        similar_projects_overridden=True,
        similar_projects_override_reason="JC list",
    )
    assert _check(app, "rate_cap") == _rule(
        "rate_cap",
        "review",
        2,
        "0.4",
        "2 similar project(s) already adopted in VNM: the subsidy may cover up to 40 % of the "
        "initial investment (stated by the applicant: JC list).",
        "VNM で採択済みの同種案件 2 件：補助率上限は 40% です（申請者による指定：JC list）。",
    )


def test_a_schedule_that_misses_the_request_reads_both_sums() -> None:
    app = make_app(schedule_jpy_by_fiscal_year=((2022, 50_000_000), (2023, 49_999_999)))
    assert _check(app, "schedule") == _rule(
        "schedule",
        "fail",
        99_999_999,
        "FY2022-FY2024",
        "The schedule sums to 99,999,999 yen, not the requested 100,000,000 yen.",
        "年度別内訳の合計 99,999,999 円が申請額 100,000,000 円と一致しません。",
    )


def test_a_schedule_outside_the_call_lists_every_year_that_spends() -> None:
    schedule = ((2021, 2), (2022, 49_999_998), (2025, 25_000_000), (2026, 25_000_000), (2027, 0))
    assert _check(make_app(schedule_jpy_by_fiscal_year=schedule), "schedule") == _rule(
        "schedule",
        "fail",
        100_000_000,
        "FY2022-FY2024",
        "The schedule spends in FY2021, FY2025, FY2026, outside the call's FY2022-FY2024.",
        "年度別内訳に公募期間（FY2022-FY2024）外の年度（FY2021, FY2025, FY2026）があります。",
    )


def test_eligibility_review_and_failed_rules_follow_the_checks() -> None:
    result = screen(make_app(implementation_months=40, other_public_subsidy=True), FY2022)
    assert not result.eligible
    assert not result.needs_review
    assert result.failed_rules == ["no_other_public_subsidy", "implementation_period"]
    review = replace(
        result,
        checks=(Check("x", "review", None, None, "", ""), Check("y", "pass", None, None, "", "")),
    )
    assert review.eligible
    assert review.needs_review
    assert review.failed_rules == []


def test_a_batch_is_screened_one_by_one_in_order() -> None:
    apps = [make_app(id="A"), make_app(id="B", partner_country="IND")]
    assert [(s.application.id, s.eligible) for s in screen_all(apps, FY2022)] == [
        ("A", True),
        ("B", False),
    ]
