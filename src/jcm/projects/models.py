from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from sqlalchemy import Boolean, ForeignKey, Index, Integer, Numeric, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from jcm.db import Base, UtcDateTime, utcnow
from jcm.reference.models import Country, Organisation, Technology


class Project(Base):
    __tablename__ = "project"
    __table_args__ = (
        Index("ix_project_filters", "partner_country", "technology", "fiscal_year"),
        Index("ix_project_fiscal_year_ref", "fiscal_year", "ref"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    ref: Mapped[str] = mapped_column(String(12), unique=True)
    partner_country: Mapped[str] = mapped_column(ForeignKey("country.iso3"))
    title_en: Mapped[str] = mapped_column(String(300))
    title_ja: Mapped[str] = mapped_column(String(300))
    technology: Mapped[str] = mapped_column(ForeignKey("technology.code"))
    capacity_mw: Mapped[Decimal | None] = mapped_column(Numeric(12, 3), nullable=True)
    representative_id: Mapped[int] = mapped_column(ForeignKey("organisation.id"))
    methodology_id: Mapped[str | None] = mapped_column(String(40), nullable=True)
    expected_reduction_tco2_per_year: Mapped[int] = mapped_column(Integer)
    fiscal_year: Mapped[int] = mapped_column(Integer, index=True)
    programme: Mapped[str] = mapped_column(String(20))
    latitude: Mapped[Decimal | None] = mapped_column(Numeric(9, 6), nullable=True)
    longitude: Mapped[Decimal | None] = mapped_column(Numeric(9, 6), nullable=True)
    status: Mapped[str] = mapped_column(String(20), index=True)
    illustrative: Mapped[bool] = mapped_column(Boolean, default=False)
    search_text: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow)

    country: Mapped[Country] = relationship(lazy="raise")
    tech: Mapped[Technology] = relationship(lazy="raise")
    representative: Mapped[Organisation] = relationship(lazy="raise")
    members: Mapped[list[ProjectMember]] = relationship(
        lazy="raise", cascade="all, delete-orphan", order_by="ProjectMember.id"
    )
    history: Mapped[list[StatusEvent]] = relationship(
        lazy="raise", cascade="all, delete-orphan", order_by="StatusEvent.id"
    )


class ProjectMember(Base):
    """A consortium member other than the representative participant."""

    __tablename__ = "project_member"

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(
        ForeignKey("project.id", ondelete="CASCADE"), index=True
    )
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisation.id"))
    role: Mapped[str] = mapped_column(String(30), default="co_participant")

    organisation: Mapped[Organisation] = relationship(lazy="raise")


class StatusEvent(Base):
    __tablename__ = "project_status_event"

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(
        ForeignKey("project.id", ondelete="CASCADE"), index=True
    )
    from_status: Mapped[str | None] = mapped_column(String(20), nullable=True)
    to_status: Mapped[str] = mapped_column(String(20))
    at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow)
    actor: Mapped[str] = mapped_column(String(120))
    reason: Mapped[str] = mapped_column(Text, default="")
