from decimal import Decimal

import pytest
from subsidy_factories import make_record

from jcm.errors import ValidationFailed
from jcm.subsidy.parsing import parse_application
from jcm.subsidy.settings import FY2022


def problems_of(record):
    with pytest.raises(ValidationFailed) as info:
        parse_application(record, FY2022)
    return {p.field: p for p in info.value.problems}


def test_durable_years_default_from_the_technology_table():
    assert parse_application(make_record(), FY2022).legal_durable_years == 17
    small_hydro = parse_application(make_record(technology="small_hydro"), FY2022)
    assert small_hydro.legal_durable_years == 22


def test_the_default_schedule_spreads_the_subsidy_by_months_in_whole_yen():
    app = parse_application(
        make_record(requested_subsidy_jpy=100_000_001, implementation_months=30), FY2022
    )
    assert app.schedule_jpy_by_fiscal_year == (
        (2022, 40_000_001),
        (2023, 40_000_000),
        (2024, 20_000_000),
    )
    assert sum(a for _, a in app.schedule_jpy_by_fiscal_year) == 100_000_001


def test_a_stated_schedule_is_kept():
    app = parse_application(make_record(schedule_jpy_by_fiscal_year={"2023": 100_000_000}), FY2022)
    assert app.schedule_jpy_by_fiscal_year == ((2023, 100_000_000),)


def test_cost_parts_must_add_up_to_the_initial_investment():
    found = problems_of(
        make_record(equipment_cost_jpy=300_000_000, construction_cost_jpy=99_999_999)
    )
    assert "initial_investment_jpy" in found
    ok = make_record(
        equipment_cost_jpy=300_000_000, construction_cost_jpy=90_000_000, office_cost_jpy=10_000_000
    )
    assert parse_application(ok, FY2022).office_cost_jpy == 10_000_000


def test_every_bad_field_is_named_in_english_and_japanese():
    found = problems_of(
        make_record(
            initial_investment_jpy="lots",
            requested_subsidy_jpy=Decimal("1.5"),
            partner_country="Vietnam",
            id=None,
        )
    )
    assert set(found) == {
        "initial_investment_jpy",
        "requested_subsidy_jpy",
        "partner_country",
        "id",
    }
    assert found["initial_investment_jpy"].message_ja


def test_an_unknown_technology_needs_stated_durable_years():
    assert "technology" in problems_of(make_record(technology="tidal"))
    assert (
        parse_application(
            make_record(technology="tidal", legal_durable_years=20), FY2022
        ).legal_durable_years
        == 20
    )


def test_an_override_of_similar_projects_needs_a_reason():
    assert "similar_projects_override_reason" in problems_of(
        make_record(similar_projects_in_country=2)
    )
    app = parse_application(
        make_record(similar_projects_in_country=2, similar_projects_override_reason="JC list 2021"),
        FY2022,
    )
    assert app.similar_projects_in_country == 2
    assert app.similar_projects_overridden


def test_similar_counts_from_the_platform_are_used_by_technology_family():
    counts = {("VNM", "solar_pv"): 3}
    app = parse_application(
        make_record(technology="solar_pv_ground"), FY2022, similar_adopted=counts
    )
    assert app.similar_projects_in_country == 3


def test_whole_numbers_written_with_commas_or_as_whole_floats_are_accepted():
    app = parse_application(
        make_record(initial_investment_jpy="400,000,000", annual_reduction_tco2=2000.0), FY2022
    )
    assert app.initial_investment_jpy == 400_000_000
    assert app.annual_reduction_tco2 == 2000


def test_the_json_form_reads_back_to_the_same_application():
    app = parse_application(make_record(eco_lease=True, note="ILL"), FY2022)
    assert parse_application(app.as_dict(), FY2022) == app
