"""Tables of monitoring, reporting and verification: a project's methodology, its
monitoring periods with their stored calculations, the verification findings and the
history of every step, and the designation of third-party entities per sectoral scope."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Date,
    ForeignKey,
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, deferred, mapped_column

from jcm.db import Base, UtcDateTime, utcnow


class ProjectMethodology(Base):
    """The one approved methodology (id and version) a project monitors against."""

    __tablename__ = "mrv_project_methodology"

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(
        ForeignKey("project.id", ondelete="CASCADE"), unique=True
    )
    methodology_id: Mapped[str] = mapped_column(String(40))
    methodology_version: Mapped[str] = mapped_column(String(20))
    actor: Mapped[str] = mapped_column(String(120))
    bound_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow)


class TpeDesignation(Base):
    """A third-party entity designated for one sectoral scope."""

    __tablename__ = "mrv_tpe_designation"
    __table_args__ = (UniqueConstraint("organisation_id", "sectoral_scope"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisation.id"))
    sectoral_scope: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow)


class MonitoringPeriod(Base):
    """One monitoring period of a project and where it stands in verification."""

    __tablename__ = "mrv_monitoring_period"

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(
        ForeignKey("project.id", ondelete="CASCADE"), index=True
    )
    start: Mapped[date] = mapped_column(Date)
    end: Mapped[date] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(30), index=True)
    tpe_organisation_id: Mapped[int | None] = mapped_column(
        ForeignKey("organisation.id"), nullable=True, index=True
    )
    claimed_er: Mapped[int | None] = mapped_column(Integer, nullable=True)
    verified_er: Mapped[int | None] = mapped_column(Integer, nullable=True)
    opinion: Mapped[str | None] = mapped_column(String(20), nullable=True)
    opinion_text: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow)


class Calculation(Base):
    """One run of the engine on uploaded monitoring data, with its full provenance."""

    __tablename__ = "mrv_calculation"

    id: Mapped[int] = mapped_column(primary_key=True)
    period_id: Mapped[int] = mapped_column(
        ForeignKey("mrv_monitoring_period.id", ondelete="CASCADE"), index=True
    )
    methodology_id: Mapped[str] = mapped_column(String(40))
    methodology_version: Mapped[str] = mapped_column(String(20))
    input_json: Mapped[dict[str, Any]] = mapped_column(JSON)
    result: Mapped[dict[str, Any]] = mapped_column(JSON)
    daily: Mapped[list[Any]] = mapped_column(JSON, default=list)
    emission_reductions: Mapped[int] = mapped_column(Integer)
    qa_issues: Mapped[int] = mapped_column(Integer, default=0)
    file_name: Mapped[str] = mapped_column(String(255))
    file_sha256: Mapped[str] = mapped_column(String(64))
    file_size: Mapped[int] = mapped_column(Integer)
    file_bytes: Mapped[bytes] = deferred(mapped_column(LargeBinary))
    report_xlsx: Mapped[bytes] = deferred(mapped_column(LargeBinary))
    actor: Mapped[str] = mapped_column(String(120))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow)


class Finding(Base):
    """A corrective action, clarification or forward action request raised by the TPE."""

    __tablename__ = "mrv_finding"

    id: Mapped[int] = mapped_column(primary_key=True)
    period_id: Mapped[int] = mapped_column(
        ForeignKey("mrv_monitoring_period.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[str] = mapped_column(String(10))
    text: Mapped[str] = mapped_column(Text)
    response: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[str] = mapped_column(String(20))
    raised_by: Mapped[str] = mapped_column(String(120))
    raised_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow)
    answered_at: Mapped[datetime | None] = mapped_column(UtcDateTime(), nullable=True)
    closed_at: Mapped[datetime | None] = mapped_column(UtcDateTime(), nullable=True)


class PeriodEvent(Base):
    """One step in a monitoring period's history."""

    __tablename__ = "mrv_period_event"

    id: Mapped[int] = mapped_column(primary_key=True)
    period_id: Mapped[int] = mapped_column(
        ForeignKey("mrv_monitoring_period.id", ondelete="CASCADE"), index=True
    )
    step: Mapped[str] = mapped_column(String(40))
    from_status: Mapped[str | None] = mapped_column(String(30), nullable=True)
    to_status: Mapped[str] = mapped_column(String(30))
    actor: Mapped[str] = mapped_column(String(120))
    note: Mapped[str] = mapped_column(Text, default="")
    at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow)
