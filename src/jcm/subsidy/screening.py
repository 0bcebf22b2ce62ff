"""Screening: one pure function per rule of the call, each returning a ``Check``.

``eligible`` means no rule failed. A "review" is not a failure: the application stays
eligible (and may be selected) but the secretariat must look at the flagged item before
the grant decision, e.g. an overridden similar-project count or an investment with no
net savings.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from fractions import Fraction
from typing import Any, Literal

from jcm.subsidy._format import fixed, rate_text, yen
from jcm.subsidy.application import Application
from jcm.subsidy.settings import CallSettings

Status = Literal["pass", "fail", "review"]
JsonScalar = int | str | bool | None


@dataclass(frozen=True)
class Check:
    """The outcome of one rule for one application."""

    rule: str
    status: Status
    value: JsonScalar
    limit: JsonScalar
    message_en: str
    message_ja: str

    def as_dict(self) -> dict[str, Any]:
        return {
            "rule": self.rule,
            "status": self.status,
            "value": self.value,
            "limit": self.limit,
            "message_en": self.message_en,
            "message_ja": self.message_ja,
        }


@dataclass(frozen=True)
class Screening:
    """All checks of one application, with the figures the secretariat reads first."""

    application: Application
    checks: tuple[Check, ...]
    rate_cap: Fraction
    max_subsidy_jpy: int
    cost_effectiveness_jpy_per_tco2: Fraction | None
    payback_years: Fraction | None

    @property
    def eligible(self) -> bool:
        return all(c.status != "fail" for c in self.checks)

    @property
    def needs_review(self) -> bool:
        return any(c.status == "review" for c in self.checks)

    @property
    def failed_rules(self) -> list[str]:
        return [c.rule for c in self.checks if c.status == "fail"]

    def as_dict(self) -> dict[str, Any]:
        """JSON form: rate as a decimal string; ratios as strings to 2 places, rounded
        against the applicant (cost-effectiveness up, payback down); None if undefined."""
        ce, payback = self.cost_effectiveness_jpy_per_tco2, self.payback_years
        return {
            "id": self.application.id,
            "eligible": self.eligible,
            "needs_review": self.needs_review,
            "max_subsidy_jpy": self.max_subsidy_jpy,
            "rate_cap": rate_text(self.rate_cap),
            "cost_effectiveness_jpy_per_tco2": None if ce is None else fixed(ce, round_up=True),
            "payback_years": None if payback is None else fixed(payback),
            "checks": [c.as_dict() for c in self.checks],
        }


def _ok(condition: bool) -> Status:
    return "pass" if condition else "fail"


def check_representative(app: Application, call: CallSettings) -> Check:
    """The representative participant must be a Japanese entity."""
    got, want = app.representative_participant_country, call.representative_country
    return Check(
        "representative_is_japanese",
        _ok(got == want),
        got,
        want,
        f"Representative participant country is {got}; {want} is required.",
        f"代表事業者の国は {got} です（{want} である必要があります）。",
    )


def check_country(app: Application, call: CallSettings) -> Check:
    """The project must be in a JCM partner country of the call."""
    country = app.partner_country
    ok = country in call.eligible_country_set
    return Check(
        "country_eligible",
        _ok(ok),
        country,
        f"{len(call.eligible_countries)} partner countries",
        f"{country} is {'' if ok else 'not '}a JCM partner country of the {call.call} call.",
        f"{country} は {call.call} 公募の JCM パートナー国{'です' if ok else 'ではありません'}。",
    )


def check_no_other_subsidy(app: Application, call: CallSettings) -> Check:
    """No other Japanese government subsidy may fund the same equipment."""
    other = app.other_public_subsidy
    return Check(
        "no_other_public_subsidy",
        _ok(not other),
        other,
        False,
        "Another Japanese public subsidy is used." if other else "No other public subsidy.",
        "他の国庫補助金を利用しています。" if other else "他の国庫補助金はありません。",
    )


def check_rate_cap(app: Application, call: CallSettings) -> Check:
    """The rate cap from the similar projects already adopted; an override needs review."""
    similar, rate = app.similar_projects_in_country, call.rate_cap(app.similar_projects_in_country)
    pct = rate_text(rate * 100)
    why_en = f" (stated by the applicant: {app.similar_projects_override_reason})"
    why_ja = f"（申請者による指定：{app.similar_projects_override_reason}）"
    overridden = app.similar_projects_overridden
    return Check(
        "rate_cap",
        "review" if overridden else "pass",
        similar,
        rate_text(rate),
        f"{similar} similar project(s) already adopted in {app.partner_country}: the subsidy "
        f"may cover up to {pct} % of the initial investment{why_en if overridden else ''}.",
        f"{app.partner_country} で採択済みの同種案件 {similar} 件：補助率上限は {pct}% です"
        f"{why_ja if overridden else ''}。",
    )


def max_subsidy(app: Application, call: CallSettings) -> int:
    """min(floor(rate cap × initial investment), per-project ceiling), in yen."""
    rate = call.rate_cap(app.similar_projects_in_country)
    by_rate = rate.numerator * app.initial_investment_jpy // rate.denominator
    return min(by_rate, call.ceiling_jpy)


def check_subsidy_within_rate(app: Application, call: CallSettings) -> Check:
    """The requested subsidy may not exceed the rate cap times the initial investment."""
    rate = call.rate_cap(app.similar_projects_in_country)
    limit = rate.numerator * app.initial_investment_jpy // rate.denominator
    asked = app.requested_subsidy_jpy
    return Check(
        "subsidy_within_rate_cap",
        _ok(asked <= limit),
        asked,
        limit,
        f"Requested {yen(asked)} yen; the rate cap allows {yen(limit)} yen.",
        f"申請額 {yen(asked)} 円、補助率上限による上限額 {yen(limit)} 円。",
    )


def check_subsidy_within_ceiling(app: Application, call: CallSettings) -> Check:
    """The requested subsidy may not exceed the per-project ceiling."""
    asked, limit = app.requested_subsidy_jpy, call.ceiling_jpy
    return Check(
        "subsidy_within_ceiling",
        _ok(asked <= limit),
        asked,
        limit,
        f"Requested {yen(asked)} yen; the per-project ceiling is {yen(limit)} yen.",
        f"申請額 {yen(asked)} 円、1件あたり上限 {yen(limit)} 円。",
    )


def cost_effectiveness(app: Application) -> Fraction | None:
    """Subsidy ÷ (annual reduction × durable years), yen per tCO2; None without a reduction."""
    lifetime = app.lifetime_reduction_tco2
    return Fraction(app.requested_subsidy_jpy, lifetime) if lifetime > 0 else None


def check_cost_effectiveness(app: Application, call: CallSettings) -> Check:
    """Cost-effectiveness must not exceed the threshold, unless the pair is excepted."""
    ce = cost_effectiveness(app)
    if ce is None:
        return Check(
            "cost_effectiveness",
            "fail",
            None,
            None,
            f"The annual reduction ({app.annual_reduction_tco2} tCO2) must be positive.",
            f"年間削減量（{app.annual_reduction_tco2} tCO2）は正の値である必要があります。",
        )
    exception = call.cost_effectiveness_exception(app.technology, app.partner_country)
    if exception is not None and exception.exempt:
        return Check(
            "cost_effectiveness",
            "pass",
            fixed(ce, round_up=True),
            "exempt",
            f"{app.technology} in {app.partner_country} is exempt from the threshold.",
            f"{app.partner_country} の {app.technology} は費用対効果基準の適用除外です。",
        )
    threshold = call.cost_effectiveness_threshold_jpy_per_tco2
    if exception is not None and exception.threshold_jpy_per_tco2 is not None:
        threshold = exception.threshold_jpy_per_tco2
    shown, limit = fixed(ce, round_up=True), fixed(threshold)
    return Check(
        "cost_effectiveness",
        _ok(ce <= threshold),
        shown,
        limit,
        f"{shown} yen/tCO2 against a threshold of {limit} yen/tCO2.",
        f"費用対効果 {shown} 円/tCO2（基準 {limit} 円/tCO2）。",
    )


def payback_years(app: Application, call: CallSettings) -> Fraction | None:
    """Years for net savings to repay the investment (per the call's formula); None if never."""
    if app.annual_net_savings_jpy <= 0:
        return None
    cost = app.initial_investment_jpy
    if call.payback_formula == "investment_minus_subsidy_over_savings":
        cost -= app.requested_subsidy_jpy
    return Fraction(max(cost, 0), app.annual_net_savings_jpy)


def check_payback(app: Application, call: CallSettings) -> Check:
    """Payback without subsidy must be at least the minimum, else no subsidy is needed."""
    years, minimum = payback_years(app, call), call.minimum_payback_years
    if years is None:
        return Check(
            "payback_period",
            "review",
            None,
            fixed(minimum),
            f"Net savings of {yen(app.annual_net_savings_jpy)} yen a year never repay the "
            "investment; the secretariat must review the business case.",
            f"年間純削減額 {yen(app.annual_net_savings_jpy)} 円では投資を回収できません。"
            "事務局の確認が必要です。",
        )
    ok = years >= minimum
    shown = fixed(years)
    return Check(
        "payback_period",
        "pass" if ok else call.payback_below_minimum,
        shown,
        fixed(minimum),
        f"Payback {shown} years; at least {fixed(minimum)} years is required.",
        f"投資回収年数 {shown} 年（{fixed(minimum)} 年以上が必要）。",
    )


def check_implementation(app: Application, call: CallSettings) -> Check:
    """Installation must finish within the call's maximum period."""
    months, limit = app.implementation_months, call.maximum_implementation_months
    return Check(
        "implementation_period",
        _ok(months <= limit),
        months,
        limit,
        f"Implementation takes {months} months; at most {limit} are allowed.",
        f"事業期間 {months} か月（上限 {limit} か月）。",
    )


def check_schedule(app: Application, call: CallSettings) -> Check:
    """The yearly schedule must sum to the request and lie within the call's fiscal years."""
    total = sum(amount for _, amount in app.schedule_jpy_by_fiscal_year)
    outside = sorted(
        y for y, a in app.schedule_jpy_by_fiscal_year if y not in call.budget_by_year and a
    )
    years = f"FY{call.fiscal_years[0]}-FY{call.fiscal_years[-1]}"
    if total != app.requested_subsidy_jpy:
        en = f"The schedule sums to {yen(total)} yen, not the requested {yen(app.requested_subsidy_jpy)} yen."
        ja = f"年度別内訳の合計 {yen(total)} 円が申請額 {yen(app.requested_subsidy_jpy)} 円と一致しません。"
    elif outside:
        listed = ", ".join(f"FY{y}" for y in outside)
        en = f"The schedule spends in {listed}, outside the call's {years}."
        ja = f"年度別内訳に公募期間（{years}）外の年度（{listed}）があります。"
    else:
        en, ja = (
            f"The schedule sums to the request within {years}.",
            f"年度別内訳は {years} の範囲で申請額と一致します。",
        )
    return Check(
        "schedule", _ok(total == app.requested_subsidy_jpy and not outside), total, years, en, ja
    )


RULES = (
    check_representative,
    check_country,
    check_no_other_subsidy,
    check_rate_cap,
    check_subsidy_within_rate,
    check_subsidy_within_ceiling,
    check_cost_effectiveness,
    check_payback,
    check_implementation,
    check_schedule,
)


def screen(app: Application, call: CallSettings) -> Screening:
    """Run every rule of the call on one application."""
    return Screening(
        application=app,
        checks=tuple(rule(app, call) for rule in RULES),
        rate_cap=call.rate_cap(app.similar_projects_in_country),
        max_subsidy_jpy=max_subsidy(app, call),
        cost_effectiveness_jpy_per_tco2=cost_effectiveness(app),
        payback_years=payback_years(app, call),
    )


def screen_all(apps: Iterable[Application], call: CallSettings) -> list[Screening]:
    """Screen a batch; the rules are independent, so this is a plain map."""
    return [screen(app, call) for app in apps]
