"""Emission factors: a versioned table per country, grid and case, each value with its source.

Indonesia's JCM grid factors come from ``data/indonesia-grid-emission-factors.csv``: case 1
(grid only) and case 2 (the site also has captive power), where case 2 never exceeds
0.533 tCO2/MWh. Other countries' rows in ``data/emission-factors.csv`` are illustrative
defaults and are flagged so.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache
from importlib import resources

from jcm.errors import NotFound

INDONESIA_CASE2_CAP = Decimal("0.533")
INDONESIA_SOURCE = (
    "JCM Indonesia grid emission factors (JC-approved table, as reproduced in the platform's "
    "domain reference indonesia-grid-emission-factors.csv)"
)


@dataclass(frozen=True)
class EmissionFactor:
    """One emission-factor value with where it came from."""

    country: str
    grid: str
    case: str
    value: Decimal
    unit: str
    version: str
    source: str
    illustrative: bool = False

    def as_dict(self) -> dict[str, object]:
        return {
            "country": self.country,
            "grid": self.grid,
            "case": self.case,
            "value": str(self.value),
            "unit": self.unit,
            "version": self.version,
            "source": self.source,
            "illustrative": self.illustrative,
        }


def indonesia_case2(case1: Decimal) -> Decimal:
    """Case 2 (with captive power) factor: the case 1 factor, capped at 0.533 tCO2/MWh."""
    return min(case1, INDONESIA_CASE2_CAP)


def _read(name: str) -> list[dict[str, str]]:
    text = resources.files("jcm.mrv").joinpath("data").joinpath(name).read_text(encoding="utf-8")
    return list(csv.DictReader(text.splitlines()))


def _indonesia() -> list[EmissionFactor]:
    rows = []
    for r in _read("indonesia-grid-emission-factors.csv"):
        for case, col in (
            ("1", "case1_grid_only_tco2_per_mwh"),
            ("2", "case2_with_captive_tco2_per_mwh"),
        ):
            rows.append(
                EmissionFactor(
                    "IDN", r["grid"], case, Decimal(r[col]), "tCO2/MWh", "JCM-ID", INDONESIA_SOURCE
                )
            )
    return rows


def _others() -> list[EmissionFactor]:
    return [
        EmissionFactor(
            r["country"],
            r["grid"],
            r["case"],
            Decimal(r["value"]),
            r["unit"],
            r["version"],
            r["source"],
            r["illustrative"] == "true",
        )
        for r in _read("emission-factors.csv")
    ]


@lru_cache(maxsize=1)
def all_factors() -> tuple[EmissionFactor, ...]:
    """Every emission factor the platform knows, all versions."""
    return tuple(_indonesia() + _others())


def lookup(country: str, grid: str, case: str, version: str | None = None) -> EmissionFactor:
    """The factor for a country, grid and case; the last listed version unless one is named."""
    hits = [
        f
        for f in all_factors()
        if f.country == country
        and f.grid == grid
        and f.case == case
        and (version is None or f.version == version)
    ]
    if not hits:
        key = f"{country}/{grid}/case {case}" + (f"/{version}" if version else "")
        raise NotFound("Emission factor", key, "排出係数")
    return hits[-1]
