"""Pending registry operations awaiting a second person, and trusted-account lists."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from jcm.db import Base, UtcDateTime, utcnow


class PendingOperation(Base):
    """One registry write held until a different authorised user approves or rejects it."""

    __tablename__ = "pending_operation"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(30), index=True)
    request: Mapped[Any] = mapped_column(JSON)
    account: Mapped[str | None] = mapped_column(String(40), nullable=True, index=True)
    reason: Mapped[str] = mapped_column(String(40))
    idempotency_key: Mapped[str] = mapped_column(String(120), unique=True)
    requester_id: Mapped[int] = mapped_column(ForeignKey("app_user.id"))
    requester: Mapped[str] = mapped_column(String(60))
    status: Mapped[str] = mapped_column(String(20), default="pending", index=True)
    approver_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"), nullable=True)
    approver: Mapped[str | None] = mapped_column(String(60), nullable=True)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow)
    decided_at: Mapped[datetime | None] = mapped_column(UtcDateTime(), nullable=True)
    outcome: Mapped[Any | None] = mapped_column(JSON, nullable=True)


class TrustedAccount(Base):
    """An account a holding account may send credits to without a second approval."""

    __tablename__ = "trusted_account"
    __table_args__ = (UniqueConstraint("account", "trusted"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    account: Mapped[str] = mapped_column(String(40), index=True)
    trusted: Mapped[str] = mapped_column(String(40))
    added_by: Mapped[str] = mapped_column(String(60))
    added_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow)
