"""Reference data shipped with the package, read from CSV without touching a database."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import cache
from importlib.resources import files

ORGANISATION_KINDS = (
    "company",
    "municipality",
    "government",
    "third_party_entity",
    "association",
    "agency",
    "financial_institution",
)


@dataclass(frozen=True)
class CountryRow:
    iso3: str
    iso2: str
    name_en: str
    name_ja: str
    jcm_partner: bool
    partner_order: int | None
    signed_year: int | None


@dataclass(frozen=True)
class TechnologyRow:
    code: str
    name_en: str
    name_ja: str
    category: str
    sectoral_scope: int


def read_csv(name: str) -> list[dict[str, str]]:
    text = files("jcm.data").joinpath(name).read_text(encoding="utf-8")
    return list(csv.DictReader(text.splitlines()))


# Japan and countries that appear in demo data or applications but are not partners.
_OTHER_COUNTRIES = [
    CountryRow("JPN", "JP", "Japan", "日本", False, None, None),
    CountryRow("CHN", "CN", "China", "中国", False, None, None),
    CountryRow("IND", "IN", "India", "インド", False, None, None),
    CountryRow("MYS", "MY", "Malaysia", "マレーシア", False, None, None),
    CountryRow("USA", "US", "United States", "アメリカ合衆国", False, None, None),
    CountryRow("DEU", "DE", "Germany", "ドイツ", False, None, None),
    CountryRow("SGP", "SG", "Singapore", "シンガポール", False, None, None),
    CountryRow("KOR", "KR", "Republic of Korea", "韓国", False, None, None),
]


@cache
def countries() -> tuple[CountryRow, ...]:
    """The 29 JCM partner countries (as of 2024) and a few others."""
    partners = [
        CountryRow(
            iso3=r["iso3"],
            iso2=r["iso2"],
            name_en=r["name_en"],
            name_ja=r["name_ja"],
            jcm_partner=True,
            partner_order=int(r["order"]),
            signed_year=int(r["signed_year"]) if r["signed_year"].strip() else None,
        )
        for r in read_csv("jcm-partner-countries.csv")
    ]
    known = {c.iso3 for c in partners}
    return tuple(partners + [c for c in _OTHER_COUNTRIES if c.iso3 not in known])


@cache
def technologies() -> tuple[TechnologyRow, ...]:
    return tuple(
        TechnologyRow(
            r["code"], r["name_en"], r["name_ja"], r["category"], int(r["sectoral_scope"])
        )
        for r in read_csv("technologies.csv")
    )


def partner_iso3() -> frozenset[str]:
    return frozenset(c.iso3 for c in countries() if c.jcm_partner)
