"""Subsidy use cases: call settings versions, drafting, submitting and listing applications.

Screening and decisions live in ``service_review``, selection runs and imports in
``service_selection``. Services flush, never commit: the caller owns the transaction.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from jcm import audit
from jcm.auth.rules import Action, Principal, Role, may, require
from jcm.db import utcnow
from jcm.errors import FieldProblem, IllegalTransition, NotFound, RuleViolation, ValidationFailed
from jcm.projects.models import Project
from jcm.projects.rules import LIFE_CYCLE
from jcm.projects.rules import Status as ProjectStatus
from jcm.reference.models import Country, Organisation
from jcm.reference.service import ensure_organisation
from jcm.subsidy.application import Application
from jcm.subsidy.models import (
    SubsidyApplication,
    SubsidyMember,
    SubsidyScreening,
    SubsidyStatusEvent,
)
from jcm.subsidy.parsing import parse_application
from jcm.subsidy.schemas import APP_STATUS_JA, NEXT, ApplicationIn, AppStatus
from jcm.subsidy.service_calls import call_settings as call_settings
from jcm.subsidy.service_calls import ensure_call as ensure_call
from jcm.subsidy.service_calls import known_calls as known_calls
from jcm.subsidy.service_calls import save_call_settings as save_call_settings
from jcm.subsidy.settings import CallSettings

SIMILAR_KEYS = ("similar_projects_in_country", "similar_projects_override_reason")
COUNTED = frozenset(s.value for s in LIFE_CYCLE[LIFE_CYCLE.index(ProjectStatus.ADOPTED) :])


# --- similar projects and the engine's view of an application ----------------------------


def similar_counts(
    session: Session, settings: CallSettings, *, exclude_project: str | None = None
) -> dict[tuple[str, str], int]:
    """Adopted (or later) projects per (country, technology family), from the register."""
    q = select(Project.partner_country, Project.technology, func.count()).where(
        Project.status.in_(COUNTED)
    )
    if exclude_project:
        q = q.where(Project.ref != exclude_project)
    out: dict[tuple[str, str], int] = {}
    for country, tech, n in session.execute(
        q.group_by(Project.partner_country, Project.technology)
    ):
        key = (str(country), settings.family_of(str(tech)))
        out[key] = out.get(key, 0) + int(n)
    return out


def engine_record(row: SubsidyApplication) -> dict[str, Any]:
    """The stored JSON with the secretariat's similar-project override, if any."""
    record = {k: v for k, v in row.data.items() if k not in SIMILAR_KEYS}
    if row.similar_override is not None:
        record["similar_projects_in_country"] = row.similar_override
        record["similar_projects_override_reason"] = row.similar_override_reason
    return record


def to_engine(
    row: SubsidyApplication, settings: CallSettings, counts: Mapping[tuple[str, str], int]
) -> Application:
    return parse_application(engine_record(row), settings, similar_adopted=counts)


# --- drafting and the life cycle ----------------------------------------------------------


def _country(session: Session, iso3: str, field: str) -> str:
    if session.get(Country, iso3) is None:
        raise ValidationFailed.of(
            [FieldProblem(field, f"Unknown country '{iso3}'.", f"不明な国コード「{iso3}」。")]
        )
    return iso3


def next_ref(session: Session, call: str) -> str:
    n = session.scalar(select(func.count()).where(SubsidyApplication.call == call)) or 0
    while True:
        n += 1
        ref = f"{call}-{n:04d}"
        if (
            session.scalar(select(SubsidyApplication.id).where(SubsidyApplication.ref == ref))
            is None
        ):
            return ref


def create_application(
    session: Session, ctx: audit.Context, principal: Principal | None, body: ApplicationIn
) -> SubsidyApplication:
    """A draft for the consortium; a participant may draft only for its own organisation."""
    settings, _ = call_settings(session, body.call)
    data = dict(body.application)
    ref = str(data.get("id") or "").strip() or next_ref(session, body.call)
    data["id"] = ref
    app = parse_application(data, settings)
    if session.scalar(select(SubsidyApplication.id).where(SubsidyApplication.ref == ref)):
        raise ValidationFailed.of(
            [
                FieldProblem(
                    "id", f"Application {ref} already exists.", f"申請 {ref} は既に存在します。"
                )
            ]
        )
    rep_country = _country(
        session, app.representative_participant_country, "representative_participant_country"
    )
    rep = ensure_organisation(
        session, body.representative, body.representative_ja, "company", rep_country
    )
    require(principal, Action.SUBSIDY_APPLY, owner_organisation_id=rep.id)
    row = new_row(session, body, app, rep)
    session.add(row)
    session.flush()
    session.add(
        SubsidyStatusEvent(
            application_id=row.id, to_status="draft", actor=ctx.actor, reason="created"
        )
    )
    session.flush()
    audit.record(
        session, ctx, "subsidy.application.create", "subsidy_application", ref, after=item(row, rep)
    )
    return row


def new_row(
    session: Session, body: ApplicationIn, app: Application, rep: Organisation
) -> SubsidyApplication:
    country = _country(session, app.partner_country, "partner_country")
    members = [
        SubsidyMember(organisation_id=ensure_organisation(session, n, n, "company", country).id)
        for n in body.members
    ]
    return SubsidyApplication(
        ref=app.id,
        call=body.call,
        status=AppStatus.DRAFT.value,
        title_en=body.title_en,
        title_ja=body.title_ja or body.title_en,
        representative_id=rep.id,
        partner_country=app.partner_country,
        technology=app.technology,
        requested_subsidy_jpy=app.requested_subsidy_jpy,
        data=app.as_dict(),
        project_ref=body.project_ref.upper() if body.project_ref else None,
        illustrative=body.illustrative,
        members=members,
    )


def load(
    session: Session, ref: str, *, lock: bool = False
) -> tuple[SubsidyApplication, Organisation]:
    q = (
        select(SubsidyApplication, Organisation)
        .join(Organisation, Organisation.id == SubsidyApplication.representative_id)
        .where(SubsidyApplication.ref == ref)
    )
    if lock:
        q = q.with_for_update(of=SubsidyApplication)
    found = session.execute(q).first()
    if found is None:
        raise NotFound("Application", ref, "申請")
    return found[0], found[1]


def move(
    session: Session, ctx: audit.Context, row: SubsidyApplication, target: AppStatus, reason: str
) -> None:
    """One step of the application's life cycle, recorded with who and why."""
    current = AppStatus(row.status)
    if target not in NEXT[current]:
        raise IllegalTransition(
            f"An application in status '{current.value}' cannot move to '{target.value}'.",
            f"状態「{APP_STATUS_JA[current]}」の申請は「{APP_STATUS_JA[target]}」に移行できません。",
            field="status",
        )
    row.status = target.value
    row.updated_at = utcnow()
    session.add(
        SubsidyStatusEvent(
            application_id=row.id,
            from_status=current.value,
            to_status=target.value,
            actor=ctx.actor,
            reason=reason,
        )
    )
    session.flush()
    audit.record(
        session,
        ctx,
        f"subsidy.application.{target.value}",
        "subsidy_application",
        row.ref,
        before={"status": current.value},
        after={"status": target.value, "reason": reason},
    )


def submit(
    session: Session, ctx: audit.Context, principal: Principal | None, ref: str
) -> SubsidyApplication:
    row, _ = load(session, ref, lock=True)
    require(principal, Action.SUBSIDY_APPLY, owner_organisation_id=row.representative_id)
    move(session, ctx, row, AppStatus.SUBMITTED, "submitted")
    return row


def withdraw(
    session: Session, ctx: audit.Context, principal: Principal | None, ref: str, reason: str
) -> SubsidyApplication:
    row, _ = load(session, ref, lock=True)
    require(principal, Action.SUBSIDY_APPLY, owner_organisation_id=row.representative_id)
    move(session, ctx, row, AppStatus.WITHDRAWN, reason or "withdrawn")
    return row


# --- reading --------------------------------------------------------------------------------


def item(row: SubsidyApplication, rep: Organisation) -> dict[str, Any]:
    """The one JSON shape of an application in lists, the API and the audit log."""
    return {
        "ref": row.ref,
        "call": row.call,
        "status": row.status,
        "title_en": row.title_en,
        "title_ja": row.title_ja,
        "representative": rep.name_en,
        "representative_ja": rep.name_ja,
        "partner_country": row.partner_country,
        "technology": row.technology,
        "requested_subsidy_jpy": row.requested_subsidy_jpy,
        "similar_override": row.similar_override,
        "similar_override_reason": row.similar_override_reason,
        "project_ref": row.project_ref,
        "illustrative": row.illustrative,
    }


def check_read(principal: Principal | None, rep_id: int) -> None:
    if not may(principal, Action.SUBSIDY_READ_ALL):
        require(principal, Action.SUBSIDY_APPLY, owner_organisation_id=rep_id)


def list_applications(
    session: Session,
    principal: Principal | None,
    *,
    call: str | None = None,
    status: str | None = None,
) -> list[dict[str, Any]]:
    """Applications the principal may see: all for staff, its own for a participant."""
    q = select(SubsidyApplication, Organisation).join(
        Organisation, Organisation.id == SubsidyApplication.representative_id
    )
    if not may(principal, Action.SUBSIDY_READ_ALL):
        me = require(principal, Action.SUBSIDY_APPLY)
        if me.role is Role.PARTICIPANT:
            q = q.where(SubsidyApplication.representative_id == me.organisation_id)
    if call:
        q = q.where(SubsidyApplication.call == call)
    if status:
        q = q.where(SubsidyApplication.status == status)
    return [item(a, r) for a, r in session.execute(q.order_by(SubsidyApplication.ref))]


def latest_screening(session: Session, application_id: int) -> SubsidyScreening | None:
    return session.scalar(
        select(SubsidyScreening)
        .where(SubsidyScreening.application_id == application_id)
        .order_by(SubsidyScreening.id.desc())
        .limit(1)
    )


def application_detail(session: Session, principal: Principal | None, ref: str) -> dict[str, Any]:
    row, rep = load(session, ref)
    check_read(principal, rep.id)
    members = session.scalars(
        select(Organisation)
        .join(SubsidyMember, SubsidyMember.organisation_id == Organisation.id)
        .where(SubsidyMember.application_id == row.id)
        .order_by(SubsidyMember.id)
    ).all()
    history = session.scalars(
        select(SubsidyStatusEvent)
        .where(SubsidyStatusEvent.application_id == row.id)
        .order_by(SubsidyStatusEvent.id)
    ).all()
    out = item(row, rep)
    out["application"] = row.data
    out["members"] = [{"name_en": m.name_en, "name_ja": m.name_ja} for m in members]
    out["history"] = [
        {
            "from": e.from_status,
            "to": e.to_status,
            "at": e.at.isoformat(timespec="seconds"),
            "actor": e.actor,
            "reason": e.reason,
        }
        for e in history
    ]
    out["screening"] = screening_dict(latest_screening(session, row.id))
    out["allowed_next"] = sorted(s.value for s in NEXT[AppStatus(row.status)])
    return out


def screening_dict(s: SubsidyScreening | None) -> dict[str, Any] | None:
    if s is None:
        return None
    return {
        "at": s.at.isoformat(timespec="seconds"),
        "actor": s.actor,
        "call_version": s.call_version,
        "similar_count": s.similar_count,
        "similar_source": s.similar_source,
        "eligible": s.eligible,
        "needs_review": s.needs_review,
        "result": s.result,
    }


def refuse_unless_eligible(row: SubsidyApplication, s: SubsidyScreening | None) -> None:
    if s is None or not s.eligible:
        raise RuleViolation(
            f"Application {row.ref} did not pass screening and cannot be adopted.",
            f"申請 {row.ref} は審査基準を満たしていないため採択できません。",
        )
