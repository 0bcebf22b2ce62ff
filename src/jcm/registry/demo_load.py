"""Registry demonstration data on top of ``jcm.demo.load_demo``: registries, accounts,
allocations, verified periods, issuances, a transfer, a retirement, a cancellation and an
Article 6.2 authorisation. Safe to run twice: set-up checks what exists, and every write
uses a fixed idempotency key, so a second run replays instead of repeating.

    from jcm.registry.demo_load import load_registry_demo
    load_registry_demo(db)            # db: jcm.db.Database, after jcm.demo.load_demo
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from jcm import audit
from jcm.db import Database
from jcm.projects.models import Project
from jcm.reference.models import Country
from jcm.reference.service import ensure_organisation
from jcm.registry import service
from jcm.registry.models import Account, Authorisation, Issuance, VerifiedPeriod
from jcm.registry.schemas import (
    AccountKind,
    AuthorisationIn,
    CancelRequest,
    IssueRequest,
    RetireRequest,
    ShareIn,
    TransferRequest,
    VerifiedPeriodIn,
)

AAIC = ("AAIC Japan Co. Ltd.", "株式会社AAIC Japan")
# (project, participant account in Japan's registry, its organisation (en, ja), shares)
ALLOCATIONS: list[tuple[str, str, tuple[str, str], list[tuple[str, int]]]] = [
    (
        "MN001",
        "JP-SHARP-01",
        ("Sharp Energy Solutions Corp.", "シャープエナジーソリューション株式会社"),
        [("JP-GOV-01", 50), ("MN-GOV-01", 20), ("JP-SHARP-01", 30)],
    ),
    (
        "BD001",
        "JP-TTC-01",
        ("Toyota Tsusho Corp.", "豊田通商株式会社"),
        [("JP-GOV-01", 60), ("BD-GOV-01", 10), ("JP-TTC-01", 30)],
    ),
    ("KE101", "JP-AAIC-01", AAIC, [("JP-GOV-01", 50), ("KE-GOV-01", 10), ("JP-AAIC-01", 40)]),
]
# (project, year, verified tCO2, issued amount); the last BD001 period awaits issuance
PERIODS = [
    ("MN001", 2021, 11_200, 11_000),
    ("MN001", 2022, 11_500, 11_500),
    ("BD001", 2022, 1_250, 1_200),
    ("KE101", 2023, 2_300, 2_300),
    ("BD001", 2023, 1_280, None),
]
KINDS: list[tuple[str, AccountKind]] = [
    ("GOV", "government_holding"),
    ("CAN", "cancellation"),
    ("RET", "retirement"),
]


def load_registry_demo(db: Database, ctx: audit.Context = audit.SYSTEM) -> dict[str, int]:
    """Load the registry demonstration; returns how many issuances exist afterwards."""
    with db.write() as s:
        _setup(s, ctx)
    keys = []
    for ref, year, _verified, amount in PERIODS:
        if amount is None:
            continue
        with db.read() as s:
            period_id = _period_id(s, ref, year)
        key = f"demo-issue-{ref}-{year}"
        service.issue(
            db, ctx, IssueRequest(idempotency_key=key, verified_period_id=period_id, amount=amount)
        )
        keys.append(key)
    service.transfer(
        db,
        ctx,
        TransferRequest(
            idempotency_key="demo-transfer-sharp-aaic",
            from_account="JP-SHARP-01",
            to_account="JP-AAIC-01",
            quantity=500,
        ),
    )
    service.retire(
        db,
        ctx,
        RetireRequest(
            idempotency_key="demo-retire-aaic",
            from_account="JP-AAIC-01",
            quantity=200,
            purpose="Voluntary offsetting of company travel, FY2023",
            beneficiary="AAIC Japan Co. Ltd.",
        ),
    )
    service.cancel(
        db,
        ctx,
        CancelRequest(
            idempotency_key="demo-cancel-jp-gov",
            from_account="JP-GOV-01",
            quantity=1_000,
            purpose="Use towards Japan's NDC",
        ),
    )
    service.external_transfer(
        db,
        ctx,
        TransferRequest(
            idempotency_key="demo-external-mn-jp",
            from_account="MN-GOV-01",
            to_account="JP-GOV-01",
            quantity=300,
        ),
    )
    with db.read() as s:
        count = len(s.scalars(select(Issuance.id)).all())
    return {"issuances": count, "writes": len(keys) + 4}


def _setup(s: Session, ctx: audit.Context) -> None:
    countries = {"JPN"} | {
        c for c in s.scalars(select(Project.partner_country).distinct()) if c is not None
    }
    for iso3 in sorted(countries):
        country = s.get(Country, iso3)
        if country is None:
            continue
        reg = service.create_registry(s, ctx, iso3)
        gov = ensure_organisation(
            s,
            f"Government of {country.name_en}",
            f"{country.name_ja}政府",
            "government",
            iso3,
        )
        for suffix, kind in KINDS:
            _account(s, ctx, reg.code, f"{reg.code}-{suffix}-01", kind, gov.id)
    for _ref, number, (en, ja), _shares in ALLOCATIONS:
        org = ensure_organisation(s, en, ja, "company", "JPN")
        _account(s, ctx, "JP", number, "participant_holding", org.id)
    for ref, _number, _org, shares in ALLOCATIONS:
        if s.scalar(select(Project.id).where(Project.ref == ref)) is None:
            continue
        service.set_allocation(
            s, ctx, ref, [ShareIn(account=a, percent=Decimal(p)) for a, p in shares]
        )
    if s.scalar(select(Authorisation.id).where(Authorisation.ref == "MN-A62-2021-001")) is None:
        service.record_authorisation(
            s,
            ctx,
            AuthorisationIn(
                ref="MN-A62-2021-001",
                party_iso3="MNG",
                project_ref="MN001",
                authorised_on=date(2021, 6, 1),
                authorised_use="ndc",
            ),
        )
    for ref, year, verified, amount in PERIODS:
        project_id = s.scalar(select(Project.id).where(Project.ref == ref))
        if project_id is None or _period_or_none(s, project_id, year) is not None:
            continue
        service.record_verified_period(
            s,
            ctx,
            VerifiedPeriodIn(
                project_ref=ref,
                period_start=date(year, 1, 1),
                period_end=date(year, 12, 31),
                verified_tco2=verified,
                jc_decision_ref=f"JC-{ref}-{year}" if amount else f"JC-{ref}-{year}-pending",
                jc_decision_date=date(year + 1, 3, 15),
            ),
        )


def _account(
    s: Session, ctx: audit.Context, code: str, number: str, kind: AccountKind, org_id: int
) -> None:
    if s.scalar(select(Account.id).where(Account.number == number)) is None:
        service.open_account(
            s, ctx, registry_code=code, number=number, kind=kind, organisation_id=org_id
        )


def _period_or_none(s: Session, project_id: int, year: int) -> int | None:
    return s.scalar(
        select(VerifiedPeriod.id).where(
            VerifiedPeriod.project_id == project_id,
            VerifiedPeriod.period_start == date(year, 1, 1),
            VerifiedPeriod.period_end == date(year, 12, 31),
        )
    )


def _period_id(s: Session, ref: str, year: int) -> int:
    project_id = s.scalar(select(Project.id).where(Project.ref == ref))
    found = _period_or_none(s, project_id, year) if project_id is not None else None
    if found is None:
        raise LookupError(f"no verified period {ref} {year}; run jcm.demo.load_demo first")
    return found
