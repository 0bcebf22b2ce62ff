"""Tables of the subsidy programme: call settings versions, applications with their
consortium and history, screening results and selection runs."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from jcm.db import Base, UtcDateTime, utcnow
from jcm.reference.models import Organisation


class SubsidyCallVersion(Base):
    """One saved version of a call year's settings (the engine's settings JSON)."""

    __tablename__ = "subsidy_call_version"
    __table_args__ = (UniqueConstraint("call", "version"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    call: Mapped[str] = mapped_column(String(20), index=True)
    version: Mapped[int] = mapped_column(Integer)
    settings: Mapped[dict[str, Any]] = mapped_column(JSON)
    note: Mapped[str] = mapped_column(Text, default="")
    actor: Mapped[str] = mapped_column(String(120))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow)


class SubsidyApplication(Base):
    """An application of a consortium, holding the engine's application JSON."""

    __tablename__ = "subsidy_application"

    id: Mapped[int] = mapped_column(primary_key=True)
    ref: Mapped[str] = mapped_column(String(40), unique=True)
    call: Mapped[str] = mapped_column(String(20), index=True)
    status: Mapped[str] = mapped_column(String(20), index=True)
    title_en: Mapped[str] = mapped_column(String(300))
    title_ja: Mapped[str] = mapped_column(String(300))
    representative_id: Mapped[int] = mapped_column(ForeignKey("organisation.id"), index=True)
    partner_country: Mapped[str] = mapped_column(String(3))
    technology: Mapped[str] = mapped_column(String(60))
    requested_subsidy_jpy: Mapped[int] = mapped_column(BigInteger)
    data: Mapped[dict[str, Any]] = mapped_column(JSON)
    similar_override: Mapped[int | None] = mapped_column(Integer, nullable=True)
    similar_override_reason: Mapped[str] = mapped_column(Text, default="")
    project_ref: Mapped[str | None] = mapped_column(String(12), nullable=True)
    illustrative: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow)

    representative: Mapped[Organisation] = relationship(lazy="raise")
    members: Mapped[list[SubsidyMember]] = relationship(
        lazy="raise", cascade="all, delete-orphan", order_by="SubsidyMember.id"
    )


class SubsidyMember(Base):
    """A co-participant of the consortium (the representative is on the application)."""

    __tablename__ = "subsidy_member"

    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(
        ForeignKey("subsidy_application.id", ondelete="CASCADE"), index=True
    )
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisation.id"))


class SubsidyStatusEvent(Base):
    __tablename__ = "subsidy_status_event"

    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(
        ForeignKey("subsidy_application.id", ondelete="CASCADE"), index=True
    )
    from_status: Mapped[str | None] = mapped_column(String(20), nullable=True)
    to_status: Mapped[str] = mapped_column(String(20))
    at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow)
    actor: Mapped[str] = mapped_column(String(120))
    reason: Mapped[str] = mapped_column(Text, default="")


class SubsidyScreening(Base):
    """One screening of one application: every rule's outcome as the engine reported it."""

    __tablename__ = "subsidy_screening"

    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(
        ForeignKey("subsidy_application.id", ondelete="CASCADE"), index=True
    )
    call_version: Mapped[int] = mapped_column(Integer)
    similar_count: Mapped[int] = mapped_column(Integer)
    similar_source: Mapped[str] = mapped_column(String(20))
    eligible: Mapped[bool] = mapped_column(Boolean)
    needs_review: Mapped[bool] = mapped_column(Boolean)
    result: Mapped[dict[str, Any]] = mapped_column(JSON)
    actor: Mapped[str] = mapped_column(String(120))
    at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow)


class SubsidySelectionRun(Base):
    """One portfolio selection: the policy, the exact inputs and the engine's result."""

    __tablename__ = "subsidy_selection_run"

    id: Mapped[int] = mapped_column(primary_key=True)
    call: Mapped[str] = mapped_column(String(20), index=True)
    call_version: Mapped[int] = mapped_column(Integer)
    policy: Mapped[dict[str, Any]] = mapped_column(JSON)
    budget_jpy: Mapped[int] = mapped_column(BigInteger)
    inputs: Mapped[list[dict[str, Any]]] = mapped_column(JSON)
    result: Mapped[dict[str, Any]] = mapped_column(JSON)
    illustrative: Mapped[bool] = mapped_column(Boolean, default=False)
    actor: Mapped[str] = mapped_column(String(120))
    at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow)
