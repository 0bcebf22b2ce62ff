"""Summary tables the dashboards read instead of scanning millions of credit blocks.

``insight_credit_summary`` holds issued, cancelled and retired credits per project and
vintage. Registry transactions and issuances are append-only with rising ids, so the
summary is brought up to date incrementally from two watermarks (the last issuance id and
the last transaction id folded in) before a dashboard reads it.
"""

from __future__ import annotations

from sqlalchemy import BigInteger, ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from jcm.db import Base


class CreditSummary(Base):
    __tablename__ = "insight_credit_summary"

    project_id: Mapped[int] = mapped_column(
        ForeignKey("project.id", ondelete="CASCADE"), primary_key=True
    )
    vintage: Mapped[int] = mapped_column(Integer, primary_key=True)
    issued: Mapped[int] = mapped_column(BigInteger, default=0)
    cancelled: Mapped[int] = mapped_column(BigInteger, default=0)
    retired: Mapped[int] = mapped_column(BigInteger, default=0)


class SummaryWatermark(Base):
    """How far the summary has folded in: one row per source (``issuance``, ``movement``)."""

    __tablename__ = "insight_watermark"

    name: Mapped[str] = mapped_column(String(20), primary_key=True)
    last_id: Mapped[int] = mapped_column(BigInteger, default=0)


class ProjectFacts(Base):
    """One row per project: its dashboard dimensions and expected tCO2/y copied from the
    project, with its verified tCO2 (and verified days) and its credit totals, so the
    reductions and goal panels group one table instead of joining projects three times.

    Refreshed with the credit summary for the projects created or updated (``updated_at``)
    since the last refresh, those whose monitoring periods changed and those with new
    credits; rebuilt whole when a project or period was deleted."""

    __tablename__ = "insight_project_facts"
    __table_args__ = (Index("ix_insight_project_facts_status", "status"),)

    project_id: Mapped[int] = mapped_column(
        ForeignKey("project.id", ondelete="CASCADE"), primary_key=True
    )
    country: Mapped[str] = mapped_column(String(3))
    technology: Mapped[str] = mapped_column(String(40))
    fiscal_year: Mapped[int] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(20))
    expected: Mapped[int] = mapped_column(BigInteger, default=0)
    verified: Mapped[int] = mapped_column(BigInteger, default=0)
    verified_days: Mapped[int] = mapped_column(BigInteger, default=0)
    issued: Mapped[int] = mapped_column(BigInteger, default=0)
    cancelled: Mapped[int] = mapped_column(BigInteger, default=0)
    retired: Mapped[int] = mapped_column(BigInteger, default=0)
    last_vintage: Mapped[int | None] = mapped_column(Integer, nullable=True)


class DataVersion(Base):
    """The registry, project and monitoring state the summaries were refreshed at (one
    row, ``name='facts'``); its ``value`` also keys the in-process map cache."""

    __tablename__ = "insight_data_version"

    name: Mapped[str] = mapped_column(String(20), primary_key=True)
    value: Mapped[str] = mapped_column(String(200), default="")
