"""The secretariat's review: screening against the call (with the similar-project count
from the register) and the grant decision, which creates or advances the linked project."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from jcm import audit
from jcm.auth.rules import Action, Principal, require
from jcm.db import utcnow
from jcm.errors import FieldProblem, ValidationFailed
from jcm.projects import service as projects
from jcm.projects.models import Project
from jcm.projects.rules import Programme
from jcm.projects.rules import Status as ProjectStatus
from jcm.projects.schemas import ProjectIn
from jcm.reference.models import Country, Organisation, Technology
from jcm.subsidy.models import SubsidyApplication, SubsidyMember, SubsidyScreening
from jcm.subsidy.schemas import AppStatus
from jcm.subsidy.screening import screen
from jcm.subsidy.service import (
    ensure_call,
    latest_screening,
    load,
    move,
    refuse_unless_eligible,
    similar_counts,
    to_engine,
)
from jcm.subsidy.settings import CallSettings

# Register technology codes to try for an engine technology family without its own code.
FAMILY_CODES: dict[str, tuple[str, ...]] = {
    "boiler": ("efficient_boiler",),
    "orc_waste_heat": ("waste_heat_orc",),
    "geothermal": ("geothermal_binary",),
    "efficient_chiller": ("chiller",),
}


def screen_application(
    session: Session,
    ctx: audit.Context,
    principal: Principal | None,
    ref: str,
    *,
    similar_override: int | None = None,
    reason: str = "",
) -> SubsidyScreening:
    """Screen a submitted application; an override of the similar count needs a reason."""
    require(principal, Action.SUBSIDY_SCREEN)
    row, _ = load(session, ref, lock=True)
    if similar_override is not None and not reason.strip():
        raise ValidationFailed.of(
            [
                FieldProblem(
                    "reason", "A reason is required for an override.", "上書きには理由が必要です。"
                )
            ]
        )
    row.similar_override = similar_override
    row.similar_override_reason = reason.strip() if similar_override is not None else ""
    settings, version = ensure_call(session, ctx, row.call)
    counts = similar_counts(session, settings, exclude_project=row.project_ref)
    result = screen(to_engine(row, settings, counts), settings)
    database_count = counts.get((row.partner_country, settings.family_of(row.technology)), 0)
    outcome = result.as_dict()
    outcome["similar_projects"] = {
        "database_count": database_count,
        "override": similar_override,
        "reason": row.similar_override_reason,
    }
    record = SubsidyScreening(
        application_id=row.id,
        call_version=version,
        similar_count=result.application.similar_projects_in_country,
        similar_source="override" if similar_override is not None else "database",
        eligible=result.eligible,
        needs_review=result.needs_review,
        result=outcome,
        actor=ctx.actor,
    )
    session.add(record)
    move(session, ctx, row, AppStatus.SCREENED, "eligible" if result.eligible else "not eligible")
    return record


def decide(
    session: Session,
    ctx: audit.Context,
    principal: Principal | None,
    ref: str,
    decision: str,
    reason: str,
) -> SubsidyApplication:
    """Adopt (only if the latest screening passed) or reject a screened application."""
    require(principal, Action.SUBSIDY_DECIDE)
    row, rep = load(session, ref, lock=True)
    if decision == "reject":
        move(session, ctx, row, AppStatus.REJECTED, reason or "rejected")
        return row
    refuse_unless_eligible(row, latest_screening(session, row.id))
    move(session, ctx, row, AppStatus.ADOPTED, reason or "adopted")
    settings, _ = ensure_call(session, ctx, row.call)
    row.project_ref = _adopt_project(session, ctx, principal, row, rep, settings, reason)
    row.updated_at = utcnow()
    session.flush()
    return row


def _adopt_project(
    session: Session,
    ctx: audit.Context,
    principal: Principal | None,
    row: SubsidyApplication,
    rep: Organisation,
    settings: CallSettings,
    reason: str,
) -> str:
    why = f"subsidy application {row.ref} adopted" + (f": {reason}" if reason else "")
    if row.project_ref is None:
        ref = _create_project(session, ctx, principal, row, rep, settings)
    else:
        ref = row.project_ref
    current = ProjectStatus(projects.project_detail(session, ref)["status"])
    if current is ProjectStatus.IDEA:
        projects.transition(session, ctx, principal, ref, ProjectStatus.APPLIED, why)
        current = ProjectStatus.APPLIED
    if current is not ProjectStatus.ADOPTED:
        projects.transition(session, ctx, principal, ref, ProjectStatus.ADOPTED, why)
    return ref


def _create_project(
    session: Session,
    ctx: audit.Context,
    principal: Principal | None,
    row: SubsidyApplication,
    rep: Organisation,
    settings: CallSettings,
) -> str:
    members = session.scalars(
        select(Organisation.name_en)
        .join(SubsidyMember, SubsidyMember.organisation_id == Organisation.id)
        .where(SubsidyMember.application_id == row.id)
    ).all()
    data = ProjectIn(
        ref=next_project_ref(session, row.partner_country),
        partner_country=row.partner_country,
        title_en=row.title_en,
        title_ja=row.title_ja,
        technology=register_technology(session, row.technology, settings),
        representative_participant=rep.name_en,
        representative_participant_ja=rep.name_ja,
        members=list(members),
        expected_reduction_tco2_per_year=int(row.data.get("annual_reduction_tco2", 0)),
        fiscal_year=settings.fiscal_years[0],
        programme=Programme.ECO_LEASE if row.data.get("eco_lease") else Programme.MODEL_PROJECT,
        status=ProjectStatus.APPLIED,
        illustrative=row.illustrative,
    )
    return projects.create_project(session, ctx, principal, data).ref


def next_project_ref(session: Session, iso3: str) -> str:
    """The partner's alpha-2 code and the next free three-digit number."""
    country = session.get(Country, iso3)
    prefix = country.iso2 if country else iso3[:2]
    top = session.scalar(select(func.max(Project.ref)).where(Project.ref.like(f"{prefix}%")))
    number = int(top[2:]) + 1 if top and top[2:].isdigit() else 1
    return f"{prefix}{number:03d}"


def register_technology(session: Session, code: str, settings: CallSettings) -> str:
    """The register's technology code for an engine code (itself, its family or a kin)."""
    known = set(session.scalars(select(Technology.code)))
    family = settings.family_of(code)
    for candidate in (code, family, *FAMILY_CODES.get(family, ())):
        if candidate in known:
            return candidate
    raise ValidationFailed.of(
        [
            FieldProblem(
                "technology",
                f"No register technology matches '{code}'.",
                f"「{code}」に対応する技術区分が登録簿にありません。",
            )
        ]
    )
