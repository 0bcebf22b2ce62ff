"""Platform JSON API under /api/v1/platform: thin routes over the services; errors are
problem+json like the rest of the API."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, status

from jcm.errors import NotFound
from jcm.platform import manage, service
from jcm.platform.rules import Match
from jcm.platform.schemas import (
    ActivityIn,
    ContactIn,
    InquiryIn,
    InquiryUpdateIn,
    MeetingRequestIn,
    NeedIn,
    OutcomeIn,
    ParticipationIn,
    RankIn,
    RegistrationIn,
    ReplyIn,
    ReviewIn,
    TechnologyIn,
)
from jcm.web.deps import Ctx, RowId
from jcm.web.problems import PROBLEM_RESPONSES

router = APIRouter(prefix="/api/v1/platform", tags=["platform"], responses=PROBLEM_RESPONSES)

Text = Annotated[str, Query(max_length=200)]
Opt = Annotated[str | None, Query(max_length=40)]


def match_dict(m: Match) -> dict[str, Any]:
    return {
        "need": m.need,
        "technology": m.technology,
        "score": m.score,
        "text_score": m.text_score,
        "terms": list(m.terms),
        "criteria": m.criteria,
        "explanation": m.explain(),
    }


# ------------------------------------------------------------------ technologies


@router.get("/technologies")
def list_technologies(
    ctx: Ctx, q: Text = "", sector: Opt = None, country: Opt = None, climate: Opt = None
) -> list[dict[str, Any]]:
    """Published entries, searched in Japanese or English and filtered; without a query or
    filter, also the caller's own drafts (all drafts for the secretariat)."""
    with ctx.db.read() as s:
        if q or sector or country or climate:
            hits = manage.search_technologies(s, q, sector=sector, country=country, climate=climate)
            return [manage.tech_dict(h.technology) | {"score": h.score} for h in hits]
        return [manage.tech_dict(t) for t in manage.visible_technologies(s, ctx.principal)]


def _visible(ctx: Ctx, key: str) -> dict[str, Any]:
    with ctx.db.read() as s:
        t = service.technology(s, key)
        if not manage.can_see(s, ctx.principal, t):
            raise NotFound("Technology", key, "技術")
        history = [
            {"from": h.from_status, "to": h.to_status, "actor": h.actor, "note": h.note,
             "at": h.at.isoformat()}
            for h in manage.technology_history(s, key)
        ]  # fmt: skip
        return manage.tech_dict(t) | {"history": history}


@router.get("/technologies/{key}")
def get_technology(ctx: Ctx, key: str) -> dict[str, Any]:
    return _visible(ctx, key)


@router.get("/technologies/{key}/matches")
def technology_matches(
    ctx: Ctx, key: str, k: Annotated[int, Query(ge=1, le=50)] = 5
) -> list[dict[str, Any]]:
    _visible(ctx, key)
    with ctx.db.read() as s:
        return [match_dict(m) for m in manage.needs_for_technology(s, key, k)]


@router.post("/technologies", status_code=status.HTTP_201_CREATED)
def create_technology(ctx: Ctx, body: TechnologyIn) -> dict[str, Any]:
    with ctx.db.write() as s:
        return manage.tech_dict(manage.create_technology(s, ctx.audit, ctx.principal, body))


@router.put("/technologies/{key}")
def update_technology(ctx: Ctx, key: str, body: TechnologyIn) -> dict[str, Any]:
    with ctx.db.write() as s:
        return manage.tech_dict(manage.update_technology(s, ctx.audit, ctx.principal, key, body))


@router.post("/technologies/{key}/review")
def review_technology(ctx: Ctx, key: str, body: ReviewIn) -> dict[str, Any]:
    with ctx.db.write() as s:
        manage.review_technology(s, ctx.audit, ctx.principal, key, body)
    return _visible(ctx, key)


# ------------------------------------------------------------------ needs


@router.get("/needs")
def list_needs(ctx: Ctx, sector: Opt = None, country: Opt = None) -> list[dict[str, Any]]:
    with ctx.db.read() as s:
        return [
            manage.need_dict(n)
            for n in service.needs(s)
            if (not sector or n.sector == sector) and (not country or n.country_iso3 == country)
        ]


@router.get("/needs/{key}")
def get_need(ctx: Ctx, key: str) -> dict[str, Any]:
    with ctx.db.read() as s:
        return manage.need_dict(service.need(s, key))


@router.get("/needs/{key}/matches")
def need_matches(
    ctx: Ctx, key: str, k: Annotated[int, Query(ge=1, le=50)] = 5
) -> list[dict[str, Any]]:
    with ctx.db.read() as s:
        return [match_dict(m) for m in service.technologies_for(s, key, k)]


@router.post("/needs", status_code=status.HTTP_201_CREATED)
def create_need(ctx: Ctx, body: NeedIn) -> dict[str, Any]:
    with ctx.db.write() as s:
        return manage.need_dict(manage.create_need(s, ctx.audit, ctx.principal, body))


# ------------------------------------------------------------------ consultation desk


@router.get("/inquiries")
def list_inquiries(ctx: Ctx) -> list[dict[str, Any]]:
    with ctx.db.read() as s:
        return [manage.inquiry_dict(s, i) for i in manage.inquiries(s, ctx.principal)]


@router.get("/inquiries/{inquiry_id}")
def get_inquiry(ctx: Ctx, inquiry_id: RowId) -> dict[str, Any]:
    with ctx.db.read() as s:
        return manage.inquiry_dict(s, manage.inquiry(s, ctx.principal, inquiry_id))


@router.post("/inquiries", status_code=status.HTTP_201_CREATED)
def open_inquiry(ctx: Ctx, body: InquiryIn) -> dict[str, Any]:
    with ctx.db.write() as s:
        i = manage.open_inquiry(s, ctx.audit, ctx.principal, body)
        return manage.inquiry_dict(s, i)


@router.post("/inquiries/{inquiry_id}/replies", status_code=status.HTTP_201_CREATED)
def reply(ctx: Ctx, inquiry_id: RowId, body: ReplyIn) -> dict[str, Any]:
    with ctx.db.write() as s:
        manage.reply(s, ctx.audit, ctx.principal, inquiry_id, body)
        return manage.inquiry_dict(s, manage.inquiry(s, ctx.principal, inquiry_id))


@router.patch("/inquiries/{inquiry_id}")
def update_inquiry(ctx: Ctx, inquiry_id: RowId, body: InquiryUpdateIn) -> dict[str, Any]:
    with ctx.db.write() as s:
        i = manage.update_inquiry(s, ctx.audit, ctx.principal, inquiry_id, body)
        return manage.inquiry_dict(s, i)


# ------------------------------------------------------------------ members, cities


@router.get("/members")
def list_members(ctx: Ctx) -> list[dict[str, Any]]:
    with ctx.db.read() as s:
        return [_member(v) for v in manage.members(s)]


def _member(v: manage.MemberView) -> dict[str, Any]:
    return {
        "id": v.member.id,
        "organisation": v.organisation.name_en,
        "organisation_ja": v.organisation.name_ja,
        "kind": v.organisation.kind,
        "contact_name": v.member.contact_name,
        "contact_email": v.member.contact_email,
        "seminars": v.member.seminars,
        "task_forces": v.member.task_forces,
    }


@router.get("/members/{member_id}")
def get_member(ctx: Ctx, member_id: RowId) -> dict[str, Any]:
    with ctx.db.read() as s:
        return _member(manage.member(s, member_id))


@router.post("/members/{member_id}/participation")
def record_participation(ctx: Ctx, member_id: RowId, body: ParticipationIn) -> dict[str, Any]:
    with ctx.db.write() as s:
        manage.record_participation(s, ctx.audit, ctx.principal, member_id, body)
        return _member(manage.member(s, member_id))


@router.put("/members/{member_id}/contact")
def update_contact(ctx: Ctx, member_id: RowId, body: ContactIn) -> dict[str, Any]:
    with ctx.db.write() as s:
        manage.update_contact(s, ctx.audit, ctx.principal, member_id, body)
        return _member(manage.member(s, member_id))


@router.get("/city-pairs/{pair_id}/activities")
def city_timeline(ctx: Ctx, pair_id: RowId) -> list[dict[str, Any]]:
    with ctx.db.read() as s:
        return [_activity(a) for a in manage.timeline(s, pair_id)]


def _activity(a: Any) -> dict[str, Any]:
    return {
        "id": a.id, "category": a.category, "kind": a.kind, "on": a.on.isoformat(),
        "title_en": a.title_en, "title_ja": a.title_ja, "project_ref": a.project_ref,
    }  # fmt: skip


@router.post("/city-pairs/{pair_id}/activities", status_code=status.HTTP_201_CREATED)
def add_activity(ctx: Ctx, pair_id: RowId, body: ActivityIn) -> dict[str, Any]:
    with ctx.db.write() as s:
        return _activity(manage.add_activity(s, ctx.audit, ctx.principal, pair_id, body))


# ------------------------------------------------------------------ Environment Week


@router.get("/events")
def list_events(ctx: Ctx) -> list[dict[str, Any]]:
    with ctx.db.read() as s:
        return [
            {"key": e.key, "title_en": e.title_en, "title_ja": e.title_ja,
             "country": e.country_iso3, "starts_on": e.starts_on.isoformat(),
             "slots": e.slots, "tables": e.tables}
            for e in manage.events(s)
        ]  # fmt: skip


@router.get("/events/{key}/registrations")
def list_registrations(ctx: Ctx, key: str) -> list[dict[str, Any]]:
    with ctx.db.read() as s:
        orgs = manage.organisations(s)
        e = manage.event(s, key)
        return [manage.registration_dict(r, orgs) for r in manage.registrations(s, e)]


@router.post("/events/{key}/registrations", status_code=status.HTTP_201_CREATED)
def register(ctx: Ctx, key: str, body: RegistrationIn) -> dict[str, Any]:
    with ctx.db.write() as s:
        r = manage.register(s, ctx.audit, ctx.principal, key, body)
        return manage.registration_dict(r, manage.organisations(s))


@router.get("/events/{key}/requests")
def list_requests(ctx: Ctx, key: str) -> list[dict[str, Any]]:
    with ctx.db.read() as s:
        return [manage.meeting_dict(m) for m in manage.meetings(s, manage.event(s, key))]


@router.post("/events/{key}/requests", status_code=status.HTTP_201_CREATED)
def request_meeting(ctx: Ctx, key: str, body: MeetingRequestIn) -> dict[str, Any]:
    with ctx.db.write() as s:
        return manage.meeting_dict(manage.request_meeting(s, ctx.audit, ctx.principal, key, body))


@router.post("/events/{key}/requests/{meeting_id}/rank")
def rank_meeting(ctx: Ctx, key: str, meeting_id: RowId, body: RankIn) -> dict[str, Any]:
    with ctx.db.write() as s:
        manage.event(s, key)
        return manage.meeting_dict(
            manage.rank_meeting(s, ctx.audit, ctx.principal, meeting_id, body)
        )


@router.post("/events/{key}/requests/{meeting_id}/outcome")
def record_outcome(ctx: Ctx, key: str, meeting_id: RowId, body: OutcomeIn) -> dict[str, Any]:
    with ctx.db.write() as s:
        manage.event(s, key)
        m = manage.record_outcome(s, ctx.audit, ctx.principal, meeting_id, body)
        return manage.meeting_dict(m)


@router.get("/events/{key}/schedule")
def get_schedule(ctx: Ctx, key: str) -> list[dict[str, Any]]:
    with ctx.db.read() as s:
        e = manage.event(s, key)
        return [
            manage.meeting_dict(m) | {"time": manage.slot_time(e, m.slot)}
            for m in manage.meetings(s, e)
            if m.slot is not None
        ]


@router.post("/events/{key}/schedule")
def run_schedule(ctx: Ctx, key: str) -> dict[str, Any]:
    with ctx.db.write() as s:
        result = manage.run_schedule(s, ctx.audit, ctx.principal, key)
    return {
        "status": result.status,
        "placed": len(result.placed),
        "objective": result.objective,
        "gap": round(result.gap, 4),
    }
