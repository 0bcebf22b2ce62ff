"""Registry tables. Transactions and movements are append-only; blocks are the current
holdings, split and moved only together with a movement that explains the change."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Date,
    ForeignKey,
    Index,
    Integer,
    Numeric,
    String,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from jcm.db import Base, UtcDateTime, utcnow
from jcm.reference.models import Organisation

SERIAL_ID = BigInteger().with_variant(Integer, "sqlite")


class Registry(Base):
    """One government's registry (Japan's, or a partner's), hosted here but kept distinct."""

    __tablename__ = "registry_registry"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(2), unique=True)
    country_iso3: Mapped[str] = mapped_column(ForeignKey("country.iso3"), unique=True)
    name_en: Mapped[str] = mapped_column(String(200))
    name_ja: Mapped[str] = mapped_column(String(200))
    # Article 6.2: the JCM with this registry's partner as a cooperative approach (CA####,
    # assigned by the UNFCCC; unset for Japan's), and the Party ITMO registry ID (JPN01).
    cooperative_approach_id: Mapped[str | None] = mapped_column(
        String(6), unique=True, index=True, nullable=True
    )
    itmo_registry_id: Mapped[str | None] = mapped_column(
        String(5), unique=True, index=True, nullable=True
    )


class Account(Base):
    __tablename__ = "registry_account"

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[str] = mapped_column(String(40), unique=True)
    registry_id: Mapped[int] = mapped_column(ForeignKey("registry_registry.id"), index=True)
    kind: Mapped[str] = mapped_column(String(30))
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisation.id"), index=True)
    name: Mapped[str] = mapped_column(String(200), default="")
    status: Mapped[str] = mapped_column(String(10), default="open")
    created_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow)

    in_registry: Mapped[Registry] = relationship(lazy="raise")
    organisation: Mapped[Organisation] = relationship(lazy="raise")


class AllocationShare(Base):
    """A project's credit allocation: the percentage of each issuance one account receives."""

    __tablename__ = "registry_allocation_share"
    __table_args__ = (UniqueConstraint("project_id", "account_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("project.id"), index=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("registry_account.id"))
    percent: Mapped[Decimal] = mapped_column(Numeric(7, 4))


class Authorisation(Base):
    """An Article 6.2 authorisation: the units it covers become ITMOs."""

    __tablename__ = "registry_authorisation"

    id: Mapped[int] = mapped_column(primary_key=True)
    ref: Mapped[str] = mapped_column(String(80), unique=True)
    party_iso3: Mapped[str] = mapped_column(ForeignKey("country.iso3"))
    project_id: Mapped[int] = mapped_column(ForeignKey("project.id"), index=True)
    authorised_on: Mapped[date] = mapped_column(Date)
    authorised_use: Mapped[str] = mapped_column(String(20))
    first_transfer_definition: Mapped[str] = mapped_column(String(40))


class VerifiedPeriod(Base):
    """A verified monitoring period and the Joint Committee's issuance decision."""

    __tablename__ = "registry_verified_period"
    __table_args__ = (UniqueConstraint("project_id", "period_start", "period_end"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("project.id"), index=True)
    period_start: Mapped[date] = mapped_column(Date)
    period_end: Mapped[date] = mapped_column(Date)
    verified_tco2: Mapped[int] = mapped_column(BigInteger)
    jc_decision_ref: Mapped[str | None] = mapped_column(String(80), nullable=True)
    jc_decision_date: Mapped[date | None] = mapped_column(Date, nullable=True)
    # verified tCO2 by calendar year ({"2023": 600, "2024": 400}) when the verification
    # report gives them; a period spanning years is then issued in these proportions
    reductions_by_year: Mapped[dict[str, int] | None] = mapped_column(JSON, nullable=True)


class RegistryTransaction(Base):
    """One request, once: its idempotency key, the hash of its content and its outcome."""

    __tablename__ = "registry_transaction"

    id: Mapped[int] = mapped_column(SERIAL_ID, primary_key=True)
    kind: Mapped[str] = mapped_column(String(20), index=True)
    idempotency_key: Mapped[str] = mapped_column(String(120), unique=True)
    request_hash: Mapped[str] = mapped_column(String(64))
    request: Mapped[Any] = mapped_column(JSON)
    outcome: Mapped[Any | None] = mapped_column(JSON, nullable=True)
    registry_id: Mapped[int] = mapped_column(ForeignKey("registry_registry.id"))
    counter_registry_id: Mapped[int | None] = mapped_column(
        ForeignKey("registry_registry.id"), nullable=True
    )
    quantity: Mapped[int] = mapped_column(BigInteger)
    purpose: Mapped[str | None] = mapped_column(String(200), nullable=True)
    beneficiary: Mapped[str | None] = mapped_column(String(200), nullable=True)
    actor: Mapped[str] = mapped_column(String(120))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow, index=True)


class Issuance(Base):
    """The credits of one vintage of a verified period: a period spanning calendar years is
    issued as one row per year (all in one transaction); ``vintage_basis`` says how its
    amount was split (see ``rules_vintage.BASES``)."""

    __tablename__ = "registry_issuance"
    __table_args__ = (UniqueConstraint("verified_period_id", "vintage"),)

    id: Mapped[int] = mapped_column(SERIAL_ID, primary_key=True)
    verified_period_id: Mapped[int] = mapped_column(
        ForeignKey("registry_verified_period.id"), index=True
    )
    project_id: Mapped[int] = mapped_column(ForeignKey("project.id"), index=True)
    vintage: Mapped[int] = mapped_column(Integer)
    vintage_basis: Mapped[str] = mapped_column(String(20), server_default="period_end")
    amount: Mapped[int] = mapped_column(BigInteger)
    transaction_id: Mapped[int] = mapped_column(ForeignKey("registry_transaction.id"))
    authorisation_id: Mapped[int | None] = mapped_column(
        ForeignKey("registry_authorisation.id"), nullable=True
    )


class Movement(Base):
    """Units [serial_start, serial_end] of one issuance moved by one transaction."""

    __tablename__ = "registry_movement"

    id: Mapped[int] = mapped_column(SERIAL_ID, primary_key=True)
    transaction_id: Mapped[int] = mapped_column(ForeignKey("registry_transaction.id"), index=True)
    issuance_id: Mapped[int] = mapped_column(ForeignKey("registry_issuance.id"), index=True)
    serial_start: Mapped[int] = mapped_column(BigInteger)
    serial_end: Mapped[int] = mapped_column(BigInteger)
    from_account_id: Mapped[int | None] = mapped_column(
        ForeignKey("registry_account.id"), nullable=True
    )
    to_account_id: Mapped[int] = mapped_column(ForeignKey("registry_account.id"))
    to_state: Mapped[str] = mapped_column(String(10))


class Block(Base):
    """Current holdings: a serial range of one issuance in one account, with its 6.2 status."""

    __tablename__ = "registry_block"
    __table_args__ = (
        UniqueConstraint("issuance_id", "serial_start"),
        Index("ix_registry_block_account_keyset", "account_id", "id"),
        Index(
            "ix_registry_block_held",
            "account_id",
            "id",
            postgresql_where=text("state = 'held'"),
            sqlite_where=text("state = 'held'"),
        ),
    )

    id: Mapped[int] = mapped_column(SERIAL_ID, primary_key=True)
    issuance_id: Mapped[int] = mapped_column(ForeignKey("registry_issuance.id"))
    account_id: Mapped[int] = mapped_column(ForeignKey("registry_account.id"))
    serial_start: Mapped[int] = mapped_column(BigInteger)
    serial_end: Mapped[int] = mapped_column(BigInteger)
    state: Mapped[str] = mapped_column(String(10), default="held")
    origin_registry_id: Mapped[int] = mapped_column(ForeignKey("registry_registry.id"))
    authorisation_id: Mapped[int | None] = mapped_column(
        ForeignKey("registry_authorisation.id"), nullable=True
    )
    first_transferred: Mapped[bool] = mapped_column(Boolean, default=False)
    ca_status: Mapped[str] = mapped_column(String(20), default="not_applicable")


class FirstTransfer(Base):
    """An Article 6.2 first transfer of authorised units (it triggers the adjustment)."""

    __tablename__ = "registry_first_transfer"

    id: Mapped[int] = mapped_column(SERIAL_ID, primary_key=True)
    transaction_id: Mapped[int] = mapped_column(ForeignKey("registry_transaction.id"), index=True)
    authorisation_id: Mapped[int] = mapped_column(ForeignKey("registry_authorisation.id"))
    issuance_id: Mapped[int] = mapped_column(ForeignKey("registry_issuance.id"))
    serial_start: Mapped[int] = mapped_column(BigInteger)
    serial_end: Mapped[int] = mapped_column(BigInteger)
    transferring_party: Mapped[str] = mapped_column(String(3))
    acquiring_party: Mapped[str | None] = mapped_column(String(3), nullable=True)
    at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow)


class AdjustmentEntry(Base):
    """Corresponding-adjustment ledger: + added by the transferring party, - by the user."""

    __tablename__ = "registry_adjustment"
    __table_args__ = (Index("ix_registry_adjustment_party_year", "party_iso3", "year"),)

    id: Mapped[int] = mapped_column(SERIAL_ID, primary_key=True)
    party_iso3: Mapped[str] = mapped_column(String(3))
    year: Mapped[int] = mapped_column(Integer)
    quantity: Mapped[int] = mapped_column(BigInteger)
    reason: Mapped[str] = mapped_column(String(30))
    transaction_id: Mapped[int] = mapped_column(ForeignKey("registry_transaction.id"))
