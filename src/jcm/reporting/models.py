"""Summary tables the dashboards read instead of scanning millions of credit blocks.

``insight_credit_summary`` holds issued, cancelled and retired credits per project and
vintage. Registry transactions and issuances are append-only with rising ids, so the
summary is brought up to date incrementally from two watermarks (the last issuance id and
the last transaction id folded in) before a dashboard reads it.
"""

from __future__ import annotations

from sqlalchemy import BigInteger, ForeignKey, Integer, String
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
