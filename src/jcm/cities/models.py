from __future__ import annotations

from sqlalchemy import Column, ForeignKey, Integer, String, Table, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from jcm.db import Base
from jcm.projects.models import Project
from jcm.reference.models import Country

city_pair_project = Table(
    "city_pair_project",
    Base.metadata,
    Column("city_pair_id", ForeignKey("city_pair.id", ondelete="CASCADE"), primary_key=True),
    Column("project_id", ForeignKey("project.id", ondelete="CASCADE"), primary_key=True),
)


class CityPair(Base):
    """A Japanese municipality working with a partner city or region in one fiscal year."""

    __tablename__ = "city_pair"

    id: Mapped[int] = mapped_column(primary_key=True)
    country_iso3: Mapped[str] = mapped_column(ForeignKey("country.iso3"), index=True)
    partner_city_en: Mapped[str] = mapped_column(String(200))
    partner_city_ja: Mapped[str] = mapped_column(String(200))
    japanese_municipality_en: Mapped[str] = mapped_column(String(200))
    japanese_municipality_ja: Mapped[str] = mapped_column(String(200))
    fiscal_year: Mapped[int] = mapped_column(Integer, index=True)
    theme_en: Mapped[str] = mapped_column(Text, default="")
    theme_ja: Mapped[str] = mapped_column(Text, default="")

    country: Mapped[Country] = relationship(lazy="raise")
    projects: Mapped[list[Project]] = relationship(secondary=city_pair_project, lazy="raise")
