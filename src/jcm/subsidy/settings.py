"""Call settings: every number of a subsidy call year as data, FY2022 the default.

Nothing here reads files or the environment; ``settings_json`` loads and dumps these
objects so the secretariat can edit and version them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from fractions import Fraction
from functools import cached_property
from typing import Literal

from jcm.subsidy.countries import PARTNER_ISO3
from jcm.subsidy.technologies import TECHNOLOGIES, Technology

PaybackFormula = Literal["investment_over_savings", "investment_minus_subsidy_over_savings"]
PAYBACK_FORMULAS: tuple[PaybackFormula, ...] = (
    "investment_over_savings",
    "investment_minus_subsidy_over_savings",
)
Severity = Literal["fail", "review"]


@dataclass(frozen=True)
class RateTier:
    """From ``min_similar_projects`` similar projects upward, the subsidy may cover ``rate``."""

    min_similar_projects: int
    rate: Fraction


@dataclass(frozen=True)
class CostEffectivenessException:
    """A technology × country pair that is exempt or has its own threshold ("*" = any)."""

    technology: str
    partner_country: str
    exempt: bool = False
    threshold_jpy_per_tco2: Fraction | None = None
    note: str = ""

    def applies_to(self, technology: str, partner_country: str) -> bool:
        return self.technology in ("*", technology) and self.partner_country in (
            "*",
            partner_country,
        )


@dataclass(frozen=True)
class SimilarProjects:
    """How many projects of a technology family were already adopted in a country."""

    partner_country: str
    family: str
    count: int


@dataclass(frozen=True)
class CallSettings:
    """The rules and budget of one call year."""

    call: str
    fiscal_years: tuple[int, ...]
    budget_jpy_by_fiscal_year: tuple[tuple[int, int], ...]
    rate_tiers: tuple[RateTier, ...]
    ceiling_jpy: int
    cost_effectiveness_threshold_jpy_per_tco2: Fraction
    minimum_payback_years: Fraction
    maximum_implementation_months: int
    eligible_countries: tuple[str, ...]
    technologies: tuple[Technology, ...]
    cost_effectiveness_exceptions: tuple[CostEffectivenessException, ...] = ()
    similar_projects_adopted: tuple[SimilarProjects, ...] = ()
    payback_formula: PaybackFormula = "investment_over_savings"
    payback_below_minimum: Severity = "fail"
    representative_country: str = "JPN"
    budget_note: str = ""
    notes: tuple[str, ...] = field(default=())

    @cached_property
    def budget_by_year(self) -> dict[int, int]:
        return dict(self.budget_jpy_by_fiscal_year)

    @property
    def total_budget_jpy(self) -> int:
        return sum(amount for _, amount in self.budget_jpy_by_fiscal_year)

    @cached_property
    def eligible_country_set(self) -> frozenset[str]:
        return frozenset(self.eligible_countries)

    @cached_property
    def technology_by_code(self) -> dict[str, Technology]:
        return {t.code: t for t in self.technologies}

    @cached_property
    def similar_count_by_key(self) -> dict[tuple[str, str], int]:
        return {(s.partner_country, s.family): s.count for s in self.similar_projects_adopted}

    def rate_cap(self, similar_projects: int) -> Fraction:
        """The subsidy-rate cap for a country that already has ``similar_projects``."""
        best = self.rate_tiers[0]
        for tier in self.rate_tiers:
            if similar_projects >= tier.min_similar_projects:
                best = tier
        return best.rate

    def family_of(self, technology: str) -> str:
        known = self.technology_by_code.get(technology)
        return known.family if known else technology

    def similar_adopted(self, partner_country: str, technology: str) -> int:
        """Projects of the same family already adopted in the country, per these settings."""
        return self.similar_count_by_key.get((partner_country, self.family_of(technology)), 0)

    def cost_effectiveness_exception(
        self, technology: str, partner_country: str
    ) -> CostEffectivenessException | None:
        for exception in self.cost_effectiveness_exceptions:
            if exception.applies_to(technology, partner_country):
                return exception
        return None


FY2022 = CallSettings(
    call="FY2022",
    fiscal_years=(2022, 2023, 2024),
    # 17.1 billion yen over three years, split evenly: illustrative, the real split by
    # year is not public.
    budget_jpy_by_fiscal_year=((2022, 5_700_000_000), (2023, 5_700_000_000), (2024, 5_700_000_000)),
    budget_note=(
        "FY2022 call: 17.1 billion yen over FY2022-FY2024; the even split by year is "
        "illustrative. / 2022年度公募：3か年で171億円。年度別の均等配分は例示。"
    ),
    rate_tiers=(
        RateTier(0, Fraction(1, 2)),
        RateTier(1, Fraction(2, 5)),
        RateTier(4, Fraction(3, 10)),
    ),
    ceiling_jpy=2_000_000_000,
    cost_effectiveness_threshold_jpy_per_tco2=Fraction(4000),
    minimum_payback_years=Fraction(3),
    maximum_implementation_months=36,
    eligible_countries=PARTNER_ISO3,
    technologies=TECHNOLOGIES,
    notes=("Rate tiers 0 -> 50 %, 1-3 -> 40 %, >=4 -> 30 % are our reading of the guidelines.",),
)

CALLS: dict[str, CallSettings] = {FY2022.call: FY2022}
DEFAULT_CALL = FY2022.call


CALL_NAME = re.compile(r"^FY(\d{4})$")


def carry_forward(base: CallSettings, call: str) -> CallSettings:
    """A new call's first settings: ``base``'s rules, with its fiscal years and budget moved
    on by as many years as the names differ (FY2022 to FY2023 moves them one year on). The
    secretariat then edits the budget and anything else that changed."""
    new, old = CALL_NAME.match(call), CALL_NAME.match(base.call)
    if new is None or old is None:
        raise ValueError(f"call names look like FY2023, not {call!r} or {base.call!r}")
    shift = int(new.group(1)) - int(old.group(1))
    return replace(
        base,
        call=call,
        fiscal_years=tuple(y + shift for y in base.fiscal_years),
        budget_jpy_by_fiscal_year=tuple((y + shift, a) for y, a in base.budget_jpy_by_fiscal_year),
        budget_note=f"Carried forward from {base.call}. / {base.call}から引き継ぎ。",
    )
