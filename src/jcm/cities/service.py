"""City-to-city collaborations."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from jcm.cities.models import CityPair
from jcm.reference.models import Country


def city_pairs(
    session: Session, *, country: str | None = None, fiscal_year: int | None = None
) -> list[dict[str, Any]]:
    q = (
        select(CityPair, Country)
        .join(Country, Country.iso3 == CityPair.country_iso3)
        .options(selectinload(CityPair.projects))
        .order_by(CityPair.fiscal_year.desc(), Country.partner_order, CityPair.id)
    )
    if country:
        q = q.where(CityPair.country_iso3 == country.upper())
    if fiscal_year:
        q = q.where(CityPair.fiscal_year == fiscal_year)
    return [
        {
            "id": cp.id,
            "country": cp.country_iso3,
            "country_en": c.name_en,
            "country_ja": c.name_ja,
            "partner_city_en": cp.partner_city_en,
            "partner_city_ja": cp.partner_city_ja,
            "japanese_municipality_en": cp.japanese_municipality_en,
            "japanese_municipality_ja": cp.japanese_municipality_ja,
            "fiscal_year": cp.fiscal_year,
            "theme_en": cp.theme_en,
            "theme_ja": cp.theme_ja,
            "projects": [p.ref for p in cp.projects],
        }
        for cp, c in session.execute(q)
    ]
