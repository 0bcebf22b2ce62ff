from __future__ import annotations

import pytest

from jcm.subsidy.settings import FY2022, carry_forward


def test_the_next_call_moves_the_fiscal_years_and_budget_on_by_one_year() -> None:
    nxt = carry_forward(FY2022, "FY2023")
    assert nxt.call == "FY2023"
    assert nxt.fiscal_years == (2023, 2024, 2025)
    assert nxt.budget_jpy_by_fiscal_year == (
        (2023, 5_700_000_000),
        (2024, 5_700_000_000),
        (2025, 5_700_000_000),
    )
    assert nxt.total_budget_jpy == FY2022.total_budget_jpy
    assert nxt.rate_tiers == FY2022.rate_tiers
    assert nxt.ceiling_jpy == FY2022.ceiling_jpy
    assert "FY2022" in nxt.budget_note


def test_a_call_three_years_later_moves_them_three_years() -> None:
    assert carry_forward(FY2022, "FY2025").fiscal_years == (2025, 2026, 2027)


@pytest.mark.parametrize("name", ["2023", "FY23", "next", "FY2023-b"])
def test_a_call_not_named_by_its_fiscal_year_is_refused(name: str) -> None:
    with pytest.raises(ValueError, match="call names look like"):
        carry_forward(FY2022, name)
