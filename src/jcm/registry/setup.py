"""Registry set-up: registries, accounts, allocation shares, verified periods, authorisations.

Each function works in the caller's transaction (it flushes, never commits) and is audited.
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from jcm.audit import Context, record
from jcm.errors import FieldProblem, ValidationFailed
from jcm.projects.models import Project
from jcm.reference.models import Country
from jcm.registry import rules, rules_itmo, rules_vintage
from jcm.registry.errors import (
    AllocationInvalid,
    IdentifierInvalid,
    RegistryNotFound,
    WrongAccountKind,
)
from jcm.registry.ledger import account_by_number
from jcm.registry.models import (
    Account,
    AllocationShare,
    Authorisation,
    Registry,
    VerifiedPeriod,
)
from jcm.registry.schemas import AccountKind, AuthorisationIn, ShareIn, VerifiedPeriodIn

JAPAN = "JPN"
SUBSIDISED_PROGRAMMES = {"model_project", "eco_lease"}
HOLDING_KINDS = {"government_holding", "participant_holding"}


def create_registry(session: Session, ctx: Context, country_iso3: str) -> Registry:
    """Open the registry of one government (Japan's, or a partner's); idempotent."""
    existing = session.scalar(select(Registry).where(Registry.country_iso3 == country_iso3))
    if existing is not None:
        return existing
    country = session.get(Country, country_iso3)
    if country is None:
        raise RegistryNotFound("Country", country_iso3, "国")
    reg = Registry(
        code=country.iso2,
        country_iso3=country.iso3,
        name_en=f"JCM registry of {country.name_en}",
        name_ja=f"{country.name_ja}のJCM登録簿",
        itmo_registry_id=rules_itmo.default_registry_id(country.iso3),
    )
    session.add(reg)
    session.flush()
    record(session, ctx, "registry.create", "registry_registry", reg.id, after={"code": reg.code})
    return reg


def configure_identifiers(
    session: Session,
    ctx: Context,
    registry_code: str,
    *,
    cooperative_approach_id: str | None = None,
    itmo_registry_id: str | None = None,
) -> Registry:
    """Set a registry's Article 6.2 identifiers: the cooperative approach ID of the JCM with
    its partner (``CA####``) and its Party ITMO registry ID (``<alpha-3>NN``); None keeps one."""
    reg = registry_by_code(session, registry_code)
    before = {
        "cooperative_approach_id": reg.cooperative_approach_id,
        "itmo_registry_id": reg.itmo_registry_id,
    }
    if cooperative_approach_id is not None:
        if not rules_itmo.valid_approach_id(cooperative_approach_id):
            raise IdentifierInvalid(
                "cooperative_approach_id",
                cooperative_approach_id,
                "CA followed by four digits (CA0001)",
                "CA と4桁の数字(CA0001)",
            )
        reg.cooperative_approach_id = cooperative_approach_id
    if itmo_registry_id is not None:
        if not rules_itmo.valid_registry_id(itmo_registry_id) or not itmo_registry_id.startswith(
            reg.country_iso3
        ):
            raise IdentifierInvalid(
                "itmo_registry_id",
                itmo_registry_id,
                f"{reg.country_iso3} followed by two digits ({reg.country_iso3}01)",
                f"{reg.country_iso3} と2桁の数字({reg.country_iso3}01)",
            )
        reg.itmo_registry_id = itmo_registry_id
    session.flush()
    after = {
        "cooperative_approach_id": reg.cooperative_approach_id,
        "itmo_registry_id": reg.itmo_registry_id,
    }
    record(
        session,
        ctx,
        "registry.identifiers",
        "registry_registry",
        reg.id,
        before=before,
        after=after,
    )
    return reg


def registry_by_code(session: Session, code: str) -> Registry:
    reg = session.scalar(select(Registry).where(Registry.code == code.upper()))
    if reg is None:
        raise RegistryNotFound("Registry", code, "登録簿")
    return reg


def open_account(
    session: Session,
    ctx: Context,
    *,
    registry_code: str,
    number: str,
    kind: AccountKind,
    organisation_id: int,
    name: str = "",
) -> Account:
    """Open an account of one kind in one registry, owned by an organisation."""
    reg = registry_by_code(session, registry_code)
    account = Account(
        number=number, registry_id=reg.id, kind=kind, organisation_id=organisation_id, name=name
    )
    session.add(account)
    session.flush()
    record(
        session,
        ctx,
        "registry.open_account",
        "registry_account",
        account.id,
        after={"number": number, "registry": reg.code, "kind": kind},
    )
    return account


def set_account_status(session: Session, ctx: Context, number: str, status: str) -> Account:
    """Block, reopen or close an account."""
    if status not in {"open", "blocked", "closed"}:
        raise ValueError(f"unknown account status {status!r}")
    account = account_by_number(session, number)
    before = account.status
    account.status = status
    session.flush()
    record(
        session,
        ctx,
        "registry.account_status",
        "registry_account",
        account.id,
        before={"status": before},
        after={"status": status},
    )
    return account


def project_by_ref(session: Session, ref: str) -> Project:
    project = session.scalar(select(Project).where(Project.ref == ref))
    if project is None:
        raise RegistryNotFound("Project", ref, "プロジェクト")
    return project


def set_allocation(
    session: Session, ctx: Context, project_ref: str, shares: Sequence[ShareIn]
) -> list[AllocationShare]:
    """Replace a project's credit allocation after checking it (100 %, Japan's minimum)."""
    project = project_by_ref(session, project_ref)
    accounts = [account_by_number(session, s.account) for s in shares]
    _check_share_accounts(session, project, accounts)
    plain = [
        rules.Share(a.number, s.percent, japan_government=_is_japan_government(session, a))
        for a, s in zip(accounts, shares, strict=True)
    ]
    problems = rules.allocation_problems(
        plain, subsidised=project.programme in SUBSIDISED_PROGRAMMES
    )
    if problems:
        raise AllocationInvalid(problems[0][0], problems[0][1])
    session.execute(delete(AllocationShare).where(AllocationShare.project_id == project.id))
    rows = [
        AllocationShare(project_id=project.id, account_id=a.id, percent=s.percent)
        for a, s in zip(accounts, shares, strict=True)
    ]
    session.add_all(rows)
    session.flush()
    record(
        session,
        ctx,
        "registry.set_allocation",
        "project",
        project.id,
        after=[{"account": s.account, "percent": str(s.percent)} for s in shares],
    )
    return rows


def _is_japan_government(session: Session, account: Account) -> bool:
    reg = session.get(Registry, account.registry_id)
    return account.kind == "government_holding" and reg is not None and reg.country_iso3 == JAPAN


def _check_share_accounts(session: Session, project: Project, accounts: list[Account]) -> None:
    allowed = {JAPAN, project.partner_country}
    for a in accounts:
        if a.kind not in HOLDING_KINDS:
            raise WrongAccountKind(a.number, a.kind, "holding")
        reg = session.get(Registry, a.registry_id)
        if reg is None or reg.country_iso3 not in allowed:
            raise AllocationInvalid(
                f"account {a.number} is outside the registries of Japan and {project.partner_country}.",
                f"口座 {a.number} は日本または {project.partner_country} の登録簿にありません。",
            )


def record_verified_period(
    session: Session, ctx: Context, data: VerifiedPeriodIn
) -> VerifiedPeriod:
    """Record a verified monitoring period and, once known, the JC's issuance decision."""
    project = project_by_ref(session, data.project_ref)
    if data.reductions_by_year is not None:
        problem = rules_vintage.reductions_problem(
            data.period_start, data.period_end, data.verified_tco2, data.reductions_by_year
        )
        if problem is not None:
            raise ValidationFailed.of([FieldProblem("reductions_by_year", *problem)])
    period = VerifiedPeriod(
        project_id=project.id,
        period_start=data.period_start,
        period_end=data.period_end,
        verified_tco2=data.verified_tco2,
        jc_decision_ref=data.jc_decision_ref,
        jc_decision_date=data.jc_decision_date,
        reductions_by_year=data.reductions_by_year,
    )
    session.add(period)
    session.flush()
    record(
        session,
        ctx,
        "registry.verified_period",
        "registry_verified_period",
        period.id,
        after=data.model_dump(mode="json"),
    )
    return period


def record_authorisation(session: Session, ctx: Context, data: AuthorisationIn) -> Authorisation:
    """Record an Article 6.2 authorisation of a project's credits by one party."""
    project = project_by_ref(session, data.project_ref)
    auth = Authorisation(
        ref=data.ref,
        party_iso3=data.party_iso3,
        project_id=project.id,
        authorised_on=data.authorised_on,
        authorised_use=data.authorised_use,
        first_transfer_definition=data.first_transfer_definition,
    )
    session.add(auth)
    session.flush()
    record(
        session,
        ctx,
        "registry.authorise",
        "registry_authorisation",
        auth.id,
        after=data.model_dump(mode="json"),
    )
    return auth


def project_by_id(session: Session, project_id: int) -> Project:
    project = session.get(Project, project_id)
    if project is None:
        raise RegistryNotFound("Project", project_id, "プロジェクト")
    return project
