"""A small registry world: Japan's and Indonesia's registries, accounts and one project."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from jcm.audit import Context
from jcm.db import Database
from jcm.projects.models import Project
from jcm.reference.models import Organisation
from jcm.registry import service
from jcm.registry.schemas import IssueRequest, ShareIn, VerifiedPeriodIn

CTX = Context(actor="registry-test")


@dataclass(frozen=True)
class World:
    project_ref: str
    holding: tuple[str, ...]  # JP-GOV, ID-GOV, JP-PP, ID-PP
    cancellation: tuple[str, str]
    retirement: tuple[str, str]


def make_world(db: Database, *, ref: str = "ID001", programme: str = "model_project") -> World:
    """Registries of Japan and Indonesia, government/participant/cancel/retire accounts each,
    and a subsidised project whose allocation gives Japan 50 %, Indonesia 20 %, PPs 30 %."""
    with db.write() as s:
        gov_jp = _org(s, "Government of Japan", "JPN", "government")
        gov_id = _org(s, "Government of Indonesia", "IDN", "government")
        pp = _org(s, "Example Engineering", "JPN", "company")
        for iso3 in ("JPN", "IDN"):
            service.create_registry(s, CTX, iso3)
        for code, gov in (("JP", gov_jp), ("ID", gov_id)):
            service.open_account(
                s,
                CTX,
                registry_code=code,
                number=f"{code}-GOV",
                kind="government_holding",
                organisation_id=gov,
            )
            service.open_account(
                s,
                CTX,
                registry_code=code,
                number=f"{code}-PP",
                kind="participant_holding",
                organisation_id=pp,
            )
            service.open_account(
                s,
                CTX,
                registry_code=code,
                number=f"{code}-CAN",
                kind="cancellation",
                organisation_id=gov,
            )
            service.open_account(
                s,
                CTX,
                registry_code=code,
                number=f"{code}-RET",
                kind="retirement",
                organisation_id=gov,
            )
        s.add(_project(ref, pp, programme))
        s.flush()
        service.set_allocation(
            s,
            CTX,
            ref,
            [
                ShareIn(account="JP-GOV", percent=Decimal(50)),
                ShareIn(account="ID-GOV", percent=Decimal(20)),
                ShareIn(account="JP-PP", percent=Decimal(20)),
                ShareIn(account="ID-PP", percent=Decimal(10)),
            ],
        )
    return World(
        ref, ("JP-GOV", "ID-GOV", "JP-PP", "ID-PP"), ("JP-CAN", "ID-CAN"), ("JP-RET", "ID-RET")
    )


def add_period(db: Database, ref: str, year: int, verified: int, *, decided: bool = True) -> int:
    with db.write() as s:
        period = service.record_verified_period(
            s,
            CTX,
            VerifiedPeriodIn(
                project_ref=ref,
                period_start=date(year, 1, 1),
                period_end=date(year, 12, 31),
                verified_tco2=verified,
                jc_decision_ref=f"JC-{ref}-{year}" if decided else None,
                jc_decision_date=date(year + 1, 3, 1) if decided else None,
            ),
        )
        return period.id


def issue(db: Database, period_id: int, amount: int, key: str | None = None) -> object:
    return service.issue(
        db,
        CTX,
        IssueRequest(
            idempotency_key=key or f"issue-{period_id}", verified_period_id=period_id, amount=amount
        ),
    )


def _org(s: object, name: str, iso3: str, kind: str) -> int:
    from sqlalchemy.orm import Session

    assert isinstance(s, Session)
    org = Organisation(name_en=name, name_ja=name, kind=kind, country_iso3=iso3)
    s.add(org)
    s.flush()
    return org.id


def _project(ref: str, representative: int, programme: str) -> Project:
    return Project(
        ref=ref,
        partner_country="IDN",
        title_en=f"Project {ref}",
        title_ja=f"案件 {ref}",
        technology="solar_pv_rooftop",
        representative_id=representative,
        expected_reduction_tco2_per_year=1000,
        fiscal_year=2022,
        programme=programme,
        status="registered",
    )
