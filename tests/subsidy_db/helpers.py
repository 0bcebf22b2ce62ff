from __future__ import annotations

from typing import Any

from jcm.subsidy.schemas import ApplicationIn

REPRESENTATIVE = "Example Energy Japan K.K."


def record(**overrides: Any) -> dict[str, Any]:
    """A valid application JSON: rooftop solar PV in Thailand, eligible on its own."""
    data: dict[str, Any] = {
        "id": "APP-001",
        "partner_country": "THA",
        "technology": "solar_pv_rooftop",
        "representative_participant_country": "JPN",
        "initial_investment_jpy": 400_000_000,
        "requested_subsidy_jpy": 120_000_000,
        "annual_reduction_tco2": 2_000,
        "annual_net_savings_jpy": 60_000_000,
        "implementation_months": 18,
    }
    data.update(overrides)
    return data


def application_in(**overrides: Any) -> ApplicationIn:
    data: dict[str, Any] = {
        "title_en": "Rooftop solar PV at a food factory",
        "title_ja": "食品工場への屋根置き太陽光発電",
        "representative": REPRESENTATIVE,
        "members": ["Siam Foods Co. Ltd."],
        "application": record(),
    }
    data.update(overrides)
    return ApplicationIn.model_validate(data)
