"""Platform use cases: matching from the database, scheduling an event, and carrying a
matched need into the pipeline (project idea, then subsidy application draft)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from jcm import audit
from jcm.auth.rules import Principal
from jcm.errors import FieldProblem, NotFound, ValidationFailed
from jcm.platform import scheduling
from jcm.platform.catalogue import need_profile, tech_profile
from jcm.platform.models import (
    PlatformEvent,
    PlatformMeeting,
    PlatformMember,
    PlatformNeed,
    PlatformRegistration,
    PlatformTechnology,
)
from jcm.platform.rules import Match, Matcher
from jcm.projects.models import Project
from jcm.projects.schemas import ProjectIn
from jcm.projects.service import create_project
from jcm.reference.models import Country, Organisation
from jcm.subsidy.schemas import ApplicationIn
from jcm.subsidy.service import create_application
from jcm.subsidy.settings import FY2022


def _s(v: object) -> str:
    return "" if v is None else str(v)


def tech_row(t: PlatformTechnology) -> dict[str, str]:
    cols = ("key", "sector", "name_en", "name_ja", "description_en", "description_ja")
    row = {c: _s(getattr(t, c)) for c in cols}
    row |= {"performance_en": t.performance_en, "countries": " ".join(t.countries)}
    row |= {c: _s(getattr(t, c)) for c in ("capacity_min", "capacity_max", "price_min_jpy")}
    return row


def need_row(n: PlatformNeed) -> dict[str, str]:
    cols = ("key", "sector", "title_en", "title_ja", "problem_en", "problem_ja", "scale")
    row = {c: _s(getattr(n, c)) for c in cols}
    return row | {"country": n.country_iso3, "budget_jpy": _s(n.budget_jpy)}


def published(session: Session) -> list[PlatformTechnology]:
    q = select(PlatformTechnology).where(PlatformTechnology.status == "published")
    return list(session.scalars(q.order_by(PlatformTechnology.key)))


def needs(session: Session) -> list[PlatformNeed]:
    return list(session.scalars(select(PlatformNeed).order_by(PlatformNeed.key)))


def need(session: Session, key: str) -> PlatformNeed:
    found = session.scalar(select(PlatformNeed).where(PlatformNeed.key == key))
    if found is None:
        raise NotFound("Need", key, "ニーズ")
    return found


def technology(session: Session, key: str) -> PlatformTechnology:
    found = session.scalar(select(PlatformTechnology).where(PlatformTechnology.key == key))
    if found is None:
        raise NotFound("Technology", key, "技術")
    return found


def matcher(session: Session) -> Matcher:
    partners = frozenset(session.scalars(select(Country.iso3).where(Country.jcm_partner)))
    return Matcher(
        [need_profile(need_row(n)) for n in needs(session)],
        [tech_profile(tech_row(t)) for t in published(session)],
        partners,
    )


def technologies_for(session: Session, key: str, k: int = 10) -> list[Match]:
    need(session, key)
    return matcher(session).technologies_for(key, k)


def member_org(session: Session, t: PlatformTechnology) -> Organisation:
    member = session.get(PlatformMember, t.member_id)
    assert member is not None
    org = session.get(Organisation, member.organisation_id)
    assert org is not None
    return org


def next_project_ref(session: Session, iso3: str) -> str:
    iso2 = session.scalar(select(Country.iso2).where(Country.iso3 == iso3)) or "XX"
    taken = set(session.scalars(select(Project.ref).where(Project.ref.like(f"{iso2}%"))))
    return next(f"{iso2}{n:03d}" for n in range(901, 1000) if f"{iso2}{n:03d}" not in taken)


def to_project_idea(
    session: Session, ctx: audit.Context, principal: Principal | None, key: str, tech_key: str
) -> Project:
    """A project idea from a need and the matched technology, carrying both across."""
    n, t = need(session, key), technology(session, tech_key)
    if n.project_ref:
        raise _already(key, "project", n.project_ref)
    org = member_org(session, t)
    unit_mw = n.scale_unit == "MW" and n.scale is not None
    body = ProjectIn(
        ref=next_project_ref(session, n.country_iso3),
        partner_country=n.country_iso3,
        title_en=n.title_en,
        title_ja=n.title_ja,
        technology=t.technology_code,
        capacity_mw=round(n.scale, 3) if unit_mw and n.scale is not None else None,
        representative_participant=org.name_en,
        representative_participant_ja=org.name_ja,
        expected_reduction_tco2_per_year=t.co2_reduction_t_per_year,
        fiscal_year=2022,
        illustrative=True,
    )
    project = create_project(session, ctx, principal, body)
    n.project_ref, n.technology_id, n.status = project.ref, t.id, "idea"
    session.flush()
    audit.record(session, ctx, "platform.need.idea", "platform_need", key, after=body.ref)
    return project


def to_application_draft(
    session: Session, ctx: audit.Context, principal: Principal | None, key: str
) -> str:
    """A subsidy application draft from the need's project idea; returns its reference."""
    n = need(session, key)
    if n.project_ref is None or n.technology_id is None:
        raise ValidationFailed.of(
            [FieldProblem("need", "Form a project idea first.", "先に案件を組成してください。")]
        )
    if n.application_ref:
        raise _already(key, "application", n.application_ref)
    t = session.get(PlatformTechnology, n.technology_id)
    assert t is not None
    org = member_org(session, t)
    app = application_data(n, t)
    body = ApplicationIn(
        title_en=n.title_en,
        title_ja=n.title_ja,
        representative=org.name_en,
        representative_ja=org.name_ja,
        members=[],
        project_ref=n.project_ref,
        illustrative=True,
        application=app,
    )
    row = create_application(session, ctx, principal, body)
    n.application_ref, n.status = row.ref, "application"
    session.flush()
    return row.ref


def application_data(n: PlatformNeed, t: PlatformTechnology) -> dict[str, Any]:
    """Illustrative figures from the need's budget and the technology's price and CO2."""
    investment = n.budget_jpy or t.price_min_jpy or 100_000_000
    data: dict[str, Any] = {
        "partner_country": n.country_iso3,
        "technology": t.technology_code,
        "representative_participant_country": "JPN",
        "initial_investment_jpy": investment,
        "requested_subsidy_jpy": investment * 2 // 5,
        "annual_reduction_tco2": max(1, t.co2_reduction_t_per_year),
        "annual_net_savings_jpy": investment // 8,
        "implementation_months": 24,
    }
    if t.technology_code not in FY2022.technology_by_code:
        data["legal_durable_years"] = 15
    return data


def _already(key: str, what: str, ref: str) -> ValidationFailed:
    return ValidationFailed.of(
        [
            FieldProblem(
                "need",
                f"Need {key} already has {what} {ref}.",
                f"ニーズ {key} は既に {ref} があります。",
            )
        ]
    )


def schedule_event(session: Session, ctx: audit.Context, key: str) -> scheduling.Schedule:
    """Solve the event's 1:1 schedule and store each meeting's slot and table."""
    event = session.scalar(select(PlatformEvent).where(PlatformEvent.key == key))
    if event is None:
        raise NotFound("Event", key, "イベント")
    regs = list(
        session.scalars(
            select(PlatformRegistration).where(PlatformRegistration.event_id == event.id)
        )
    )
    meetings = list(
        session.scalars(select(PlatformMeeting).where(PlatformMeeting.event_id == event.id))
    )
    problem = scheduling.Problem(
        slots=event.slots,
        tables=event.tables,
        requests=[
            scheduling.Request(
                m.id,
                m.requester_id,
                m.target_id,
                scheduling.mutual_weight(m.requester_rank, m.target_rank),
                m.interpreter_language,
            )
            for m in meetings
        ],
        unavailable={r.id: frozenset(r.unavailable) for r in regs},
        interpreters={k: int(v) for k, v in event.interpreters.items()},
    )
    result = scheduling.solve(problem, time_limit=20)
    for m in meetings:
        m.slot, m.table_no = result.placed.get(m.id, (None, None))
    session.flush()
    audit.record(
        session,
        ctx,
        "platform.event.schedule",
        "platform_event",
        key,
        after={"placed": len(result.placed), "requested": len(meetings), "status": result.status},
    )
    return result


def count_published(session: Session) -> int:
    q = select(func.count()).where(PlatformTechnology.status == "published")
    return session.scalar(q) or 0
