import csv
from decimal import Decimal
from importlib import resources

import pytest

from jcm.errors import NotFound
from jcm.mrv import factors


def _indonesia_rows() -> list[dict[str, str]]:
    text = (
        resources.files("jcm.mrv")
        .joinpath("data")
        .joinpath("indonesia-grid-emission-factors.csv")
        .read_text(encoding="utf-8")
    )
    return list(csv.DictReader(text.splitlines()))


def test_every_indonesian_case2_factor_is_case1_capped_at_0_533() -> None:
    rows = _indonesia_rows()
    assert len(rows) == 12
    for r in rows:
        case1 = Decimal(r["case1_grid_only_tco2_per_mwh"])
        case2 = Decimal(r["case2_with_captive_tco2_per_mwh"])
        assert case2 == factors.indonesia_case2(case1) == min(case1, Decimal("0.533"))
        assert case2 <= Decimal("0.533")


def test_jamali_case1_and_case2_are_looked_up_with_their_source() -> None:
    grid = "Jamali, 3 Nusa, Karimun Jawa"
    assert factors.lookup("IDN", grid, "1").value == Decimal("0.619")
    case2 = factors.lookup("IDN", grid, "2")
    assert case2.value == Decimal("0.533")
    assert "JCM Indonesia" in case2.source
    assert not case2.illustrative


def test_other_countries_defaults_are_flagged_illustrative() -> None:
    for country in ("THA", "VNM", "KEN", "PHL"):
        found = [f for f in factors.all_factors() if f.country == country]
        assert found
        assert all(f.illustrative and f.source for f in found)


def test_an_unknown_grid_is_not_found() -> None:
    with pytest.raises(NotFound, match="Atlantis"):
        factors.lookup("IDN", "Atlantis", "1")
