from __future__ import annotations

from sqlalchemy import Boolean, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from jcm.db import Base


class Country(Base):
    __tablename__ = "country"

    iso3: Mapped[str] = mapped_column(String(3), primary_key=True)
    iso2: Mapped[str] = mapped_column(String(2), unique=True)
    name_en: Mapped[str] = mapped_column(String(120))
    name_ja: Mapped[str] = mapped_column(String(120))
    jcm_partner: Mapped[bool] = mapped_column(Boolean, default=False)
    partner_order: Mapped[int | None] = mapped_column(Integer, nullable=True)
    signed_year: Mapped[int | None] = mapped_column(Integer, nullable=True)


class Technology(Base):
    __tablename__ = "technology"

    code: Mapped[str] = mapped_column(String(40), primary_key=True)
    name_en: Mapped[str] = mapped_column(String(120))
    name_ja: Mapped[str] = mapped_column(String(120))
    category: Mapped[str] = mapped_column(String(40))
    sectoral_scope: Mapped[int] = mapped_column(Integer)


class Organisation(Base):
    __tablename__ = "organisation"

    id: Mapped[int] = mapped_column(primary_key=True)
    name_en: Mapped[str] = mapped_column(String(200), unique=True)
    name_ja: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(30))
    country_iso3: Mapped[str] = mapped_column(ForeignKey("country.iso3"))
