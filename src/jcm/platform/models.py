"""Platform tables: members, the technology list, partner needs and inquiries, city-to-city
activities, Environment Week events, registrations and 1:1 meetings."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Date,
    Float,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from jcm.db import Base, UtcDateTime, utcnow


class PlatformMember(Base):
    """A Japanese company, municipality or association taking part in the platform."""

    __tablename__ = "platform_member"

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisation.id"), unique=True)
    contact_name: Mapped[str] = mapped_column(String(200), default="")
    contact_email: Mapped[str] = mapped_column(String(200), default="")
    seminars: Mapped[list[str]] = mapped_column(JSON, default=list)
    task_forces: Mapped[list[str]] = mapped_column(JSON, default=list)


class PlatformTechnology(Base):
    """One entry of the technology list, drafted by a member and published by the secretariat."""

    __tablename__ = "platform_technology"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(40), unique=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("platform_member.id"), index=True)
    sector: Mapped[str] = mapped_column(String(40), index=True)
    technology_code: Mapped[str] = mapped_column(ForeignKey("technology.code"))
    name_en: Mapped[str] = mapped_column(String(300))
    name_ja: Mapped[str] = mapped_column(String(300))
    description_en: Mapped[str] = mapped_column(Text, default="")
    description_ja: Mapped[str] = mapped_column(Text, default="")
    performance_en: Mapped[str] = mapped_column(Text, default="")
    performance_ja: Mapped[str] = mapped_column(Text, default="")
    references_en: Mapped[str] = mapped_column(Text, default="")
    references_ja: Mapped[str] = mapped_column(Text, default="")
    co2_reduction_t_per_year: Mapped[int] = mapped_column(Integer, default=0)
    price_min_jpy: Mapped[int | None] = mapped_column(BigInteger, nullable=True)
    price_max_jpy: Mapped[int | None] = mapped_column(BigInteger, nullable=True)
    capacity_min: Mapped[float | None] = mapped_column(Float, nullable=True)
    capacity_max: Mapped[float | None] = mapped_column(Float, nullable=True)
    capacity_unit: Mapped[str] = mapped_column(String(20), default="")
    countries: Mapped[list[str]] = mapped_column(JSON, default=list)
    climates: Mapped[list[str]] = mapped_column(JSON, default=list)
    status: Mapped[str] = mapped_column(String(20), default="draft", index=True)


class PlatformNeed(Base):
    """A need of a partner city, government or company, as brought to the platform."""

    __tablename__ = "platform_need"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(40), unique=True)
    requester_id: Mapped[int] = mapped_column(ForeignKey("organisation.id"), index=True)
    requester_kind: Mapped[str] = mapped_column(String(20))
    country_iso3: Mapped[str] = mapped_column(ForeignKey("country.iso3"), index=True)
    sector: Mapped[str] = mapped_column(String(40), index=True)
    title_en: Mapped[str] = mapped_column(String(300))
    title_ja: Mapped[str] = mapped_column(String(300))
    problem_en: Mapped[str] = mapped_column(Text, default="")
    problem_ja: Mapped[str] = mapped_column(Text, default="")
    scale: Mapped[float | None] = mapped_column(Float, nullable=True)
    scale_unit: Mapped[str] = mapped_column(String(20), default="")
    budget_jpy: Mapped[int | None] = mapped_column(BigInteger, nullable=True)
    location_en: Mapped[str] = mapped_column(String(200), default="")
    location_ja: Mapped[str] = mapped_column(String(200), default="")
    language: Mapped[str] = mapped_column(String(10), default="en")
    status: Mapped[str] = mapped_column(String(20), default="open")
    technology_id: Mapped[int | None] = mapped_column(
        ForeignKey("platform_technology.id"), nullable=True
    )
    project_ref: Mapped[str | None] = mapped_column(String(5), nullable=True)
    application_ref: Mapped[str | None] = mapped_column(String(40), nullable=True)


class PlatformInquiry(Base):
    """A consultation-desk ticket."""

    __tablename__ = "platform_inquiry"

    id: Mapped[int] = mapped_column(primary_key=True)
    need_id: Mapped[int | None] = mapped_column(ForeignKey("platform_need.id"), nullable=True)
    subject: Mapped[str] = mapped_column(String(300))
    requester: Mapped[str] = mapped_column(String(200))
    status: Mapped[str] = mapped_column(String(20), default="open")
    owner: Mapped[str] = mapped_column(String(120), default="")
    created_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow)


class PlatformInquiryReply(Base):
    __tablename__ = "platform_inquiry_reply"

    id: Mapped[int] = mapped_column(primary_key=True)
    inquiry_id: Mapped[int] = mapped_column(ForeignKey("platform_inquiry.id"), index=True)
    author: Mapped[str] = mapped_column(String(120))
    body: Mapped[str] = mapped_column(Text)
    at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow)


class PlatformCityActivity(Base):
    """A workshop, study or declaration (activity) or a declaration or project formed (output)."""

    __tablename__ = "platform_city_activity"

    id: Mapped[int] = mapped_column(primary_key=True)
    city_pair_id: Mapped[int] = mapped_column(ForeignKey("city_pair.id"), index=True)
    category: Mapped[str] = mapped_column(String(20))
    kind: Mapped[str] = mapped_column(String(40))
    on: Mapped[date] = mapped_column(Date)
    title_en: Mapped[str] = mapped_column(String(300))
    title_ja: Mapped[str] = mapped_column(String(300))
    project_ref: Mapped[str | None] = mapped_column(String(5), nullable=True)


class PlatformEvent(Base):
    """An Environment Week with its 1:1 business-matching sessions."""

    __tablename__ = "platform_event"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(40), unique=True)
    title_en: Mapped[str] = mapped_column(String(300))
    title_ja: Mapped[str] = mapped_column(String(300))
    country_iso3: Mapped[str] = mapped_column(ForeignKey("country.iso3"))
    starts_on: Mapped[date] = mapped_column(Date)
    slots: Mapped[int] = mapped_column(Integer)
    tables: Mapped[int] = mapped_column(Integer)
    first_slot: Mapped[str] = mapped_column(String(5), default="09:00")
    slot_minutes: Mapped[int] = mapped_column(Integer, default=30)
    interpreters: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)


class PlatformRegistration(Base):
    __tablename__ = "platform_registration"
    __table_args__ = (UniqueConstraint("event_id", "organisation_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("platform_event.id"), index=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisation.id"))
    side: Mapped[str] = mapped_column(String(20))
    language: Mapped[str] = mapped_column(String(10))
    unavailable: Mapped[list[int]] = mapped_column(JSON, default=list)


class PlatformMeeting(Base):
    """A requested 1:1 meeting, each side's rank, its place in the schedule and outcome."""

    __tablename__ = "platform_meeting"

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("platform_event.id"), index=True)
    requester_id: Mapped[int] = mapped_column(ForeignKey("platform_registration.id"))
    target_id: Mapped[int] = mapped_column(ForeignKey("platform_registration.id"))
    requester_rank: Mapped[int | None] = mapped_column(Integer, nullable=True)
    target_rank: Mapped[int | None] = mapped_column(Integer, nullable=True)
    interpreter_language: Mapped[str | None] = mapped_column(String(10), nullable=True)
    slot: Mapped[int | None] = mapped_column(Integer, nullable=True)
    table_no: Mapped[int | None] = mapped_column(Integer, nullable=True)
    outcome: Mapped[str] = mapped_column(String(20), default="requested")
    need_id: Mapped[int | None] = mapped_column(ForeignKey("platform_need.id"), nullable=True)
    project_ref: Mapped[str | None] = mapped_column(String(5), nullable=True)


class PlatformTechnologyReview(Base):
    """One step of a technology entry's workflow (draft, in review, published), kept as history."""

    __tablename__ = "platform_technology_review"

    id: Mapped[int] = mapped_column(primary_key=True)
    technology_id: Mapped[int] = mapped_column(ForeignKey("platform_technology.id"), index=True)
    from_status: Mapped[str] = mapped_column(String(20))
    to_status: Mapped[str] = mapped_column(String(20))
    actor: Mapped[str] = mapped_column(String(120))
    note: Mapped[str] = mapped_column(Text, default="")
    at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow)
