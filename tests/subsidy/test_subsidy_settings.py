import csv
import json
from pathlib import Path

import pytest

from jcm.errors import ValidationFailed
from jcm.subsidy.countries import PARTNER_ISO3
from jcm.subsidy.settings import FY2022
from jcm.subsidy.settings_json import (
    call_settings_from_json,
    call_settings_to_json,
    dump_call_settings,
    load_call_settings,
)

SHARED = Path("/work/shared/domain")


def test_fy2022_settings_round_trip_through_json():
    assert call_settings_from_json(call_settings_to_json(FY2022)) == FY2022


def test_fy2022_budget_is_seventeen_point_one_billion_over_three_years():
    assert FY2022.total_budget_jpy == 17_100_000_000
    assert FY2022.fiscal_years == (2022, 2023, 2024)


def test_a_bad_setting_is_named_by_its_path():
    data = dump_call_settings(FY2022)
    data["rate_tiers"][1]["rate"] = "forty percent"
    data["ceiling_jpy"] = -1
    data["payback_formula"] = "guess"
    with pytest.raises(ValidationFailed) as info:
        load_call_settings(data)
    fields = {p.field for p in info.value.problems}
    assert fields == {"rate_tiers[1].rate", "ceiling_jpy", "payback_formula"}


def test_a_budget_year_outside_the_fiscal_years_is_refused():
    data = dump_call_settings(FY2022)
    data["budget_jpy_by_fiscal_year"]["2030"] = 1
    with pytest.raises(ValidationFailed) as info:
        load_call_settings(data)
    assert info.value.problems[0].field == "budget_jpy_by_fiscal_year.2030"


def test_invalid_json_text_is_a_validation_error():
    with pytest.raises(ValidationFailed):
        call_settings_from_json("{not json")


def test_rates_and_thresholds_are_written_as_exact_text():
    data = json.loads(call_settings_to_json(FY2022))
    assert [t["rate"] for t in data["rate_tiers"]] == ["0.5", "0.4", "0.3"]
    assert data["cost_effectiveness_threshold_jpy_per_tco2"] == "4000"


def test_the_partner_countries_are_the_twenty_nine_of_the_platform_list():
    assert len(PARTNER_ISO3) == 29
    if (SHARED / "jcm-partner-countries.csv").exists():
        with (SHARED / "jcm-partner-countries.csv").open(encoding="utf-8") as f:
            assert tuple(r["iso3"] for r in csv.DictReader(f)) == PARTNER_ISO3


def test_every_technology_of_the_fy2022_adoptions_has_durable_years_and_a_source():
    path = Path(__file__).parents[2] / "src/jcm/data/jcm-model-projects-fy2022.csv"
    with path.open(encoding="utf-8") as f:
        used = {r["technology"] for r in csv.DictReader(f)}
    table = FY2022.technology_by_code
    for code in used | {"solar_pv_ground", "once_through_boiler", "orc_waste_heat"}:
        assert table[code].durable_years > 0
        assert "別表" in table[code].source
