from __future__ import annotations

from typing import Any

from jcm.projects.schemas import ProjectIn


def project_in(**overrides: Any) -> ProjectIn:
    data: dict[str, Any] = {
        "ref": "TH001",
        "partner_country": "THA",
        "title_en": "Rooftop solar PV at a parts factory",
        "title_ja": "部品工場への屋根置き太陽光発電",
        "technology": "solar_pv_rooftop",
        "capacity_mw": "4.3",
        "representative_participant": "Example Solar Co. Ltd.",
        "representative_participant_ja": "株式会社エグザンプルソーラー",
        "expected_reduction_tco2_per_year": 2_500,
        "fiscal_year": 2022,
    }
    data.update(overrides)
    return ProjectIn.model_validate(data)


CSV_HEADER = (
    "ref,partner_country,title_en,title_ja,technology,representative_participant,"
    "expected_reduction_tco2_per_year,fiscal_year\n"
)
