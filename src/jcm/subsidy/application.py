"""The subsidy application as a value object, resolved against one call's settings."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Application:
    """One application to the equipment subsidy. Money is integer yen.

    ``legal_durable_years``, ``similar_projects_in_country`` and
    ``schedule_jpy_by_fiscal_year`` are always filled in: when the applicant left them out,
    the parser took them from the call settings.
    """

    id: str
    partner_country: str
    technology: str
    representative_participant_country: str
    initial_investment_jpy: int
    requested_subsidy_jpy: int
    annual_reduction_tco2: int
    legal_durable_years: int
    annual_net_savings_jpy: int
    implementation_months: int
    schedule_jpy_by_fiscal_year: tuple[tuple[int, int], ...]
    similar_projects_in_country: int
    other_public_subsidy: bool = False
    similar_projects_overridden: bool = False
    similar_projects_override_reason: str = ""
    equipment_cost_jpy: int | None = None
    construction_cost_jpy: int | None = None
    office_cost_jpy: int | None = None
    eco_lease: bool = False
    note: str = ""

    @property
    def lifetime_reduction_tco2(self) -> int:
        """Reduction over the legal durable years of the equipment."""
        return self.annual_reduction_tco2 * self.legal_durable_years

    @property
    def schedule(self) -> dict[int, int]:
        return dict(self.schedule_jpy_by_fiscal_year)

    def as_dict(self) -> dict[str, Any]:
        """The JSON form, with the keys the parser reads."""
        out: dict[str, Any] = {
            "id": self.id,
            "partner_country": self.partner_country,
            "technology": self.technology,
            "representative_participant_country": self.representative_participant_country,
            "initial_investment_jpy": self.initial_investment_jpy,
            "requested_subsidy_jpy": self.requested_subsidy_jpy,
            "annual_reduction_tco2": self.annual_reduction_tco2,
            "legal_durable_years": self.legal_durable_years,
            "annual_net_savings_jpy": self.annual_net_savings_jpy,
            "implementation_months": self.implementation_months,
            "other_public_subsidy": self.other_public_subsidy,
            "schedule_jpy_by_fiscal_year": {
                str(year): amount for year, amount in self.schedule_jpy_by_fiscal_year
            },
            "eco_lease": self.eco_lease,
        }
        for key in ("equipment_cost_jpy", "construction_cost_jpy", "office_cost_jpy"):
            if getattr(self, key) is not None:
                out[key] = getattr(self, key)
        if self.similar_projects_overridden:
            out["similar_projects_in_country"] = self.similar_projects_in_country
            out["similar_projects_override_reason"] = self.similar_projects_override_reason
        if self.note:
            out["note"] = self.note
        return out
