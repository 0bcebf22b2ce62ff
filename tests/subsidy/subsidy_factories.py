"""Small builders for subsidy tests: a valid application and a record to parse."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from jcm.subsidy.application import Application
from jcm.subsidy.schedule import default_schedule


def make_app(**changes: Any) -> Application:
    """A first-of-its-kind rooftop solar project in Viet Nam that passes every rule.

    Subsidy 100,000,000 yen on 400,000,000 yen (25 %), 2,000 t/year × 17 years
    = 2,941.18 yen/tCO2, payback 400 M / 50 M = 8 years, 24 months.
    """
    base = Application(
        id="APP-1",
        partner_country="VNM",
        technology="solar_pv_rooftop",
        representative_participant_country="JPN",
        initial_investment_jpy=400_000_000,
        requested_subsidy_jpy=100_000_000,
        annual_reduction_tco2=2_000,
        legal_durable_years=17,
        annual_net_savings_jpy=50_000_000,
        implementation_months=24,
        schedule_jpy_by_fiscal_year=default_schedule(100_000_000, 2022, 24),
        similar_projects_in_country=0,
    )
    app = replace(base, **changes)
    if "requested_subsidy_jpy" in changes and "schedule_jpy_by_fiscal_year" not in changes:
        schedule = default_schedule(app.requested_subsidy_jpy, 2022, app.implementation_months)
        app = replace(app, schedule_jpy_by_fiscal_year=schedule)
    return app


def make_record(**changes: Any) -> dict[str, Any]:
    """The JSON form of a valid application, as an applicant would send it."""
    record: dict[str, Any] = {
        "id": "APP-1",
        "partner_country": "VNM",
        "technology": "solar_pv_rooftop",
        "representative_participant_country": "JPN",
        "initial_investment_jpy": 400_000_000,
        "requested_subsidy_jpy": 100_000_000,
        "annual_reduction_tco2": 2_000,
        "annual_net_savings_jpy": 50_000_000,
        "implementation_months": 24,
        "other_public_subsidy": False,
    }
    record.update(changes)
    return {k: v for k, v in record.items() if v is not None}
