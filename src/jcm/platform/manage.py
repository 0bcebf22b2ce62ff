"""Platform use cases beyond matching: members, the technology list and its review, needs,
the consultation desk, city-to-city activities and Environment Week registrations, meeting
requests, outcomes and personal schedules. Every write is permission-checked and audited."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from jcm import audit
from jcm.auth.rules import Action, Principal, Role, require
from jcm.cities.models import CityPair
from jcm.errors import (
    Conflict,
    FieldProblem,
    IllegalTransition,
    NotFound,
    PermissionDenied,
    ValidationFailed,
)
from jcm.platform import service
from jcm.platform.catalogue import need_profile, tech_profile
from jcm.platform.models import (
    PlatformCityActivity,
    PlatformEvent,
    PlatformInquiry,
    PlatformInquiryReply,
    PlatformMeeting,
    PlatformMember,
    PlatformNeed,
    PlatformRegistration,
    PlatformTechnology,
    PlatformTechnologyReview,
)
from jcm.platform.rules import Match, Matcher, TfIdf
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
from jcm.reference.models import Country, Organisation, Technology

STAFF = frozenset({Role.ADMIN, Role.SECRETARIAT})


def _bad(field: str, en: str, ja: str) -> ValidationFailed:
    return ValidationFailed.of([FieldProblem(field, en, ja)])


def _is_staff(p: Principal) -> bool:
    return p.role in STAFF


def _own_org(p: Principal, organisation_id: int, action: Action) -> None:
    """A non-staff caller acts only for its own organisation."""
    if not _is_staff(p) and p.organisation_id != organisation_id:
        raise PermissionDenied(
            action.value,
            "The record belongs to another organisation.",
            "この記録は他の組織に属しています。",
        )


def organisation(session: Session, name_en: str) -> Organisation:
    found = session.scalar(select(Organisation).where(Organisation.name_en == name_en))
    if found is None:
        raise NotFound("Organisation", name_en, "組織")
    return found


def organisations(session: Session) -> dict[int, Organisation]:
    return {o.id: o for o in session.scalars(select(Organisation))}


# ---------------------------------------------------------------- members


@dataclass(frozen=True)
class MemberView:
    member: PlatformMember
    organisation: Organisation


def members(session: Session) -> list[MemberView]:
    q = select(PlatformMember, Organisation).join(
        Organisation, Organisation.id == PlatformMember.organisation_id
    )
    return [MemberView(m, o) for m, o in session.execute(q.order_by(Organisation.name_en))]


def member(session: Session, member_id: int) -> MemberView:
    m = session.get(PlatformMember, member_id)
    if m is None:
        raise NotFound("Member", member_id, "会員")
    o = session.get(Organisation, m.organisation_id)
    assert o is not None
    return MemberView(m, o)


def member_of_org(session: Session, organisation_id: int) -> PlatformMember | None:
    q = select(PlatformMember).where(PlatformMember.organisation_id == organisation_id)
    return session.scalar(q)


def join(
    session: Session, ctx: audit.Context, p: Principal | None, organisation_name: str
) -> PlatformMember:
    """Make an organisation a platform member (the member itself, or the secretariat)."""
    principal = require(p, Action.PLATFORM_MEMBER_EDIT)
    org = organisation(session, organisation_name)
    _own_org(principal, org.id, Action.PLATFORM_MEMBER_EDIT)
    found = member_of_org(session, org.id)
    if found is not None:
        return found
    m = PlatformMember(organisation_id=org.id, seminars=[], task_forces=[])
    session.add(m)
    session.flush()
    audit.record(session, ctx, "platform.member.join", "platform_member", m.id, after=org.name_en)
    return m


def update_contact(
    session: Session, ctx: audit.Context, p: Principal | None, member_id: int, body: ContactIn
) -> PlatformMember:
    principal = require(p, Action.PLATFORM_MEMBER_EDIT)
    m = member(session, member_id).member
    _own_org(principal, m.organisation_id, Action.PLATFORM_MEMBER_EDIT)
    before = {"contact_name": m.contact_name, "contact_email": m.contact_email}
    m.contact_name, m.contact_email = body.contact_name, body.contact_email
    session.flush()
    audit.record(
        session, ctx, "platform.member.contact", "platform_member", m.id,
        before=before, after=body.model_dump(),
    )  # fmt: skip
    return m


def record_participation(
    session: Session, ctx: audit.Context, p: Principal | None, member_id: int, body: ParticipationIn
) -> PlatformMember:
    """The secretariat records a member's attendance of a seminar or task force."""
    require(p, Action.PLATFORM_DESK)
    m = member(session, member_id).member
    if body.kind == "seminar":
        if body.name not in m.seminars:
            m.seminars = [*m.seminars, body.name]
    elif body.name not in m.task_forces:
        m.task_forces = [*m.task_forces, body.name]
    session.flush()
    audit.record(
        session, ctx, "platform.member.participation", "platform_member", m.id,
        after=body.model_dump(),
    )  # fmt: skip
    return m


# ---------------------------------------------------------------- technology list

TRANSITIONS: dict[tuple[str, str], Action] = {
    ("draft", "in_review"): Action.PLATFORM_MEMBER_EDIT,
    ("in_review", "draft"): Action.PLATFORM_MEMBER_EDIT,
    ("in_review", "published"): Action.PLATFORM_REVIEW,
    ("published", "draft"): Action.PLATFORM_REVIEW,
}
_TECH_FIELDS = (
    "sector", "technology_code", "name_en", "name_ja", "description_en", "description_ja",
    "performance_en", "performance_ja", "references_en", "references_ja",
    "co2_reduction_t_per_year", "price_min_jpy", "price_max_jpy", "capacity_min",
    "capacity_max", "capacity_unit", "countries", "climates",
)  # fmt: skip


def tech_dict(t: PlatformTechnology) -> dict[str, Any]:
    return {"key": t.key, "member_id": t.member_id, "status": t.status} | {
        f: getattr(t, f) for f in _TECH_FIELDS
    }


def _check_tech(session: Session, body: TechnologyIn) -> None:
    problems: list[FieldProblem] = []
    if session.get(Technology, body.technology_code) is None:
        problems.append(
            FieldProblem("technology_code", "Unknown technology.", "不明な技術区分です。")
        )
    if body.price_min_jpy and body.price_max_jpy and body.price_min_jpy > body.price_max_jpy:
        problems.append(
            FieldProblem("price_max_jpy", "Maximum below minimum.", "上限が下限を下回っています。")
        )
    lo, hi = body.capacity_min, body.capacity_max
    if lo is not None and hi is not None and lo > hi:
        problems.append(
            FieldProblem("capacity_max", "Maximum below minimum.", "上限が下限を下回っています。")
        )
    if problems:
        raise ValidationFailed.of(problems)


def _history(
    session: Session, ctx: audit.Context, t: PlatformTechnology, to: str, note: str
) -> None:
    session.add(
        PlatformTechnologyReview(
            technology_id=t.id, from_status=t.status, to_status=to, actor=ctx.actor, note=note
        )
    )
    t.status = to


def create_technology(
    session: Session, ctx: audit.Context, p: Principal | None, body: TechnologyIn
) -> PlatformTechnology:
    principal = require(p, Action.PLATFORM_MEMBER_EDIT)
    if body.member:
        org = organisation(session, body.member)
    elif principal.organisation_id is not None:
        org_found = session.get(Organisation, principal.organisation_id)
        assert org_found is not None
        org = org_found
    else:
        raise _bad("member", "Name the member organisation.", "会員組織を指定してください。")
    _own_org(principal, org.id, Action.PLATFORM_MEMBER_EDIT)
    _check_tech(session, body)
    m = member_of_org(session, org.id) or join(session, ctx, principal, org.name_en)
    key = body.key or _next_key(session, PlatformTechnology, "T-M")
    if session.scalar(select(PlatformTechnology.id).where(PlatformTechnology.key == key)):
        raise Conflict(f"Technology {key} exists.", f"技術 {key} は既に存在します。")
    t = PlatformTechnology(key=key, member_id=m.id, status="draft")
    for f in _TECH_FIELDS:
        setattr(t, f, getattr(body, f))
    session.add(t)
    session.flush()
    session.add(
        PlatformTechnologyReview(
            technology_id=t.id, from_status="", to_status="draft", actor=ctx.actor, note="created"
        )
    )
    session.flush()
    audit.record(session, ctx, "platform.technology.create", "platform_technology", key,
                 after=tech_dict(t))  # fmt: skip
    return t


def _next_key(session: Session, model: Any, prefix: str) -> str:
    n = (session.scalar(select(func.count()).select_from(model)) or 0) + 1
    taken = set(session.scalars(select(model.key).where(model.key.like(f"{prefix}%"))))
    while f"{prefix}{n:03d}" in taken:
        n += 1
    return f"{prefix}{n:03d}"


def _tech_org(session: Session, t: PlatformTechnology) -> int:
    m = session.get(PlatformMember, t.member_id)
    assert m is not None
    return m.organisation_id


def update_technology(
    session: Session, ctx: audit.Context, p: Principal | None, key: str, body: TechnologyIn
) -> PlatformTechnology:
    """Edit an entry; an edited published entry goes back to draft for another review."""
    principal = require(p, Action.PLATFORM_MEMBER_EDIT)
    t = service.technology(session, key)
    _own_org(principal, _tech_org(session, t), Action.PLATFORM_MEMBER_EDIT)
    _check_tech(session, body)
    before = tech_dict(t)
    for f in _TECH_FIELDS:
        setattr(t, f, getattr(body, f))
    if t.status == "published" and not _is_staff(principal):
        _history(session, ctx, t, "draft", "edited after publication")
    session.flush()
    audit.record(session, ctx, "platform.technology.update", "platform_technology", key,
                 before=before, after=tech_dict(t))  # fmt: skip
    return t


def review_technology(
    session: Session, ctx: audit.Context, p: Principal | None, key: str, body: ReviewIn
) -> PlatformTechnology:
    """Move an entry along draft → in review → published; only the secretariat publishes."""
    t = service.technology(session, key)
    action = TRANSITIONS.get((t.status, body.to_status.value))
    if action is None:
        raise IllegalTransition(
            f"A {t.status} entry cannot become {body.to_status.value}.",
            f"{t.status} の技術は {body.to_status.value} にできません。",
        )
    principal = require(p, action)
    _own_org(principal, _tech_org(session, t), action)
    before = t.status
    _history(session, ctx, t, body.to_status.value, body.note)
    session.flush()
    audit.record(session, ctx, "platform.technology.review", "platform_technology", key,
                 before=before, after={"status": t.status, "note": body.note})  # fmt: skip
    return t


def technology_history(session: Session, key: str) -> list[PlatformTechnologyReview]:
    t = service.technology(session, key)
    q = select(PlatformTechnologyReview).where(PlatformTechnologyReview.technology_id == t.id)
    return list(session.scalars(q.order_by(PlatformTechnologyReview.id)))


def visible_technologies(session: Session, p: Principal | None) -> list[PlatformTechnology]:
    """Published entries for everyone; staff also see drafts, members their own."""
    q = select(PlatformTechnology).order_by(PlatformTechnology.key)
    rows = list(session.scalars(q))
    if p is not None and _is_staff(p):
        return rows
    own = (
        None
        if p is None or p.organisation_id is None
        else member_of_org(session, p.organisation_id)
    )
    return [t for t in rows if t.status == "published" or (own and t.member_id == own.id)]


def can_see(session: Session, p: Principal | None, t: PlatformTechnology) -> bool:
    return t.status == "published" or t in visible_technologies(session, p)


@dataclass(frozen=True)
class Hit:
    technology: PlatformTechnology
    score: float


def search_technologies(
    session: Session,
    text: str = "",
    *,
    sector: str | None = None,
    country: str | None = None,
    climate: str | None = None,
) -> list[Hit]:
    """Published entries matching the filters, ranked by the bilingual TF-IDF when text is given."""
    techs = [
        t
        for t in service.published(session)
        if (not sector or t.sector == sector)
        and (not country or country in t.countries)
        and (not climate or climate in t.climates)
    ]
    if not text.strip() or not techs:
        return [Hit(t, 0.0) for t in techs]
    docs = [tech_profile(service.tech_row(t)).text + " " + t.references_en for t in techs]
    docs = [d + " " + t.references_ja for d, t in zip(docs, techs, strict=True)]
    index = TfIdf(docs)
    scores = index.matrix @ index.vector(text)
    order = np.argsort(-scores, kind="stable")
    return [Hit(techs[i], round(float(scores[i]), 4)) for i in order if scores[i] > 0.05]


def needs_for_technology(session: Session, key: str, k: int = 5) -> list[Match]:
    """Partner needs ranked for one technology (published or not), with the reasons."""
    t = service.technology(session, key)
    partners = frozenset(session.scalars(select(Country.iso3).where(Country.jcm_partner)))
    techs = [tech_profile(service.tech_row(x)) for x in service.published(session)]
    if t.status != "published":
        techs.append(tech_profile(service.tech_row(t)))
    open_needs = [n for n in service.needs(session)]
    if not open_needs:
        return []
    m = Matcher([need_profile(service.need_row(n)) for n in open_needs], techs, partners)
    return m.needs_for(key, k)


# ---------------------------------------------------------------- needs and the desk

_NEED_FIELDS = (
    "requester_kind", "country_iso3", "sector", "title_en", "title_ja", "problem_en",
    "problem_ja", "scale", "scale_unit", "budget_jpy", "location_en", "location_ja", "language",
)  # fmt: skip


def need_dict(n: PlatformNeed) -> dict[str, Any]:
    return {
        "key": n.key, "requester_id": n.requester_id, "status": n.status,
        "project_ref": n.project_ref, "application_ref": n.application_ref,
    } | {f: getattr(n, f) for f in _NEED_FIELDS}  # fmt: skip


def create_need(
    session: Session, ctx: audit.Context, p: Principal | None, body: NeedIn
) -> PlatformNeed:
    principal = require(p, Action.PLATFORM_NEED_CREATE)
    if body.requester:
        org = organisation(session, body.requester)
    elif principal.organisation_id is not None:
        found = session.get(Organisation, principal.organisation_id)
        assert found is not None
        org = found
    else:
        raise _bad(
            "requester", "Name the requesting organisation.", "依頼元の組織を指定してください。"
        )
    _own_org(principal, org.id, Action.PLATFORM_NEED_CREATE)
    if session.get(Country, body.country_iso3.upper()) is None:
        raise _bad("country_iso3", "Unknown country.", "不明な国です。")
    key = body.key or _next_key(session, PlatformNeed, "N-P")
    if session.scalar(select(PlatformNeed.id).where(PlatformNeed.key == key)):
        raise Conflict(f"Need {key} exists.", f"ニーズ {key} は既に存在します。")
    n = PlatformNeed(key=key, requester_id=org.id, status="open")
    for f in _NEED_FIELDS:
        setattr(n, f, getattr(body, f))
    n.country_iso3 = body.country_iso3.upper()
    n.title_ja = body.title_ja or body.title_en
    session.add(n)
    session.flush()
    audit.record(session, ctx, "platform.need.create", "platform_need", key, after=need_dict(n))
    return n


def inquiries(session: Session, p: Principal | None) -> list[PlatformInquiry]:
    """All tickets for the desk; a caller's own tickets otherwise."""
    q = select(PlatformInquiry).order_by(PlatformInquiry.id.desc())
    if p is None:
        return []
    if not _is_staff(p):
        q = q.where(PlatformInquiry.requester == p.username)
    return list(session.scalars(q))


def inquiry(session: Session, p: Principal | None, inquiry_id: int) -> PlatformInquiry:
    found = session.get(PlatformInquiry, inquiry_id)
    if found is None or p is None or (not _is_staff(p) and found.requester != p.username):
        raise NotFound("Inquiry", inquiry_id, "問い合わせ")
    return found


def replies(session: Session, inquiry_id: int) -> list[PlatformInquiryReply]:
    q = select(PlatformInquiryReply).where(PlatformInquiryReply.inquiry_id == inquiry_id)
    return list(session.scalars(q.order_by(PlatformInquiryReply.id)))


def inquiry_dict(session: Session, i: PlatformInquiry) -> dict[str, Any]:
    need_key = None
    if i.need_id is not None:
        n = session.get(PlatformNeed, i.need_id)
        need_key = n.key if n else None
    return {
        "id": i.id, "subject": i.subject, "requester": i.requester, "status": i.status,
        "owner": i.owner, "need": need_key, "created_at": i.created_at.isoformat(),
        "replies": [
            {"author": r.author, "body": r.body, "at": r.at.isoformat()}
            for r in replies(session, i.id)
        ],
    }  # fmt: skip


def open_inquiry(
    session: Session, ctx: audit.Context, p: Principal | None, body: InquiryIn
) -> PlatformInquiry:
    principal = require(p, Action.PLATFORM_INQUIRE)
    need_id = service.need(session, body.need).id if body.need else None
    i = PlatformInquiry(
        need_id=need_id, subject=body.subject, requester=principal.username, status="open"
    )
    session.add(i)
    session.flush()
    session.add(PlatformInquiryReply(inquiry_id=i.id, author=principal.username, body=body.body))
    session.flush()
    audit.record(session, ctx, "platform.inquiry.open", "platform_inquiry", i.id,
                 after={"subject": body.subject, "need": body.need})  # fmt: skip
    return i


def reply(
    session: Session, ctx: audit.Context, p: Principal | None, inquiry_id: int, body: ReplyIn
) -> PlatformInquiryReply:
    """A desk answer (the ticket becomes answered, owned by the first who answers) or the
    requester's follow-up (the ticket opens again)."""
    principal = require(p, Action.PLATFORM_INQUIRE)
    i = inquiry(session, principal, inquiry_id)
    if i.status == "closed":
        raise IllegalTransition("The inquiry is closed.", "この問い合わせは終了しています。")
    before = i.status
    if _is_staff(principal) and principal.username != i.requester:
        i.status, i.owner = "answered", i.owner or principal.username
    else:
        i.status = "open"
    r = PlatformInquiryReply(inquiry_id=i.id, author=principal.username, body=body.body)
    session.add(r)
    session.flush()
    audit.record(session, ctx, "platform.inquiry.reply", "platform_inquiry", i.id,
                 before=before, after={"status": i.status, "reply": r.id})  # fmt: skip
    return r


def update_inquiry(
    session: Session,
    ctx: audit.Context,
    p: Principal | None,
    inquiry_id: int,
    body: InquiryUpdateIn,
) -> PlatformInquiry:
    """The desk assigns an owner or sets the status (e.g. closes the ticket)."""
    principal = require(p, Action.PLATFORM_DESK)
    i = inquiry(session, principal, inquiry_id)
    before = {"status": i.status, "owner": i.owner}
    if body.status is not None:
        i.status = body.status.value
    if body.owner is not None:
        i.owner = body.owner
    session.flush()
    audit.record(session, ctx, "platform.inquiry.update", "platform_inquiry", i.id,
                 before=before, after={"status": i.status, "owner": i.owner})  # fmt: skip
    return i


# ---------------------------------------------------------------- city-to-city


def city_pairs(session: Session) -> list[CityPair]:
    q = select(CityPair).order_by(CityPair.country_iso3, CityPair.fiscal_year, CityPair.id)
    return list(session.scalars(q))


def city_pair(session: Session, pair_id: int) -> CityPair:
    found = session.get(CityPair, pair_id)
    if found is None:
        raise NotFound("City pair", pair_id, "都市間連携")
    return found


def timeline(session: Session, pair_id: int) -> list[PlatformCityActivity]:
    city_pair(session, pair_id)
    q = select(PlatformCityActivity).where(PlatformCityActivity.city_pair_id == pair_id)
    return list(session.scalars(q.order_by(PlatformCityActivity.on, PlatformCityActivity.id)))


_KINDS = {"activity": {"workshop", "study", "declaration"}, "output": {"declaration", "project"}}


def add_activity(
    session: Session, ctx: audit.Context, p: Principal | None, pair_id: int, body: ActivityIn
) -> PlatformCityActivity:
    require(p, Action.CITY_PAIR_EDIT)
    city_pair(session, pair_id)
    if body.kind not in _KINDS[body.category]:
        raise _bad(
            "kind", f"A {body.category} cannot be a {body.kind}.", "種類が区分に合いません。"
        )
    a = PlatformCityActivity(
        city_pair_id=pair_id,
        category=body.category,
        kind=body.kind,
        on=body.on,
        title_en=body.title_en,
        title_ja=body.title_ja or body.title_en,
        project_ref=body.project_ref or None,
    )
    session.add(a)
    session.flush()
    audit.record(session, ctx, "platform.city.activity", "city_pair", pair_id,
                 after=body.model_dump(mode="json"))  # fmt: skip
    return a


# ---------------------------------------------------------------- Environment Week


def event(session: Session, key: str) -> PlatformEvent:
    found = session.scalar(select(PlatformEvent).where(PlatformEvent.key == key))
    if found is None:
        raise NotFound("Event", key, "イベント")
    return found


def events(session: Session) -> list[PlatformEvent]:
    return list(session.scalars(select(PlatformEvent).order_by(PlatformEvent.starts_on)))


def registrations(session: Session, e: PlatformEvent) -> list[PlatformRegistration]:
    q = select(PlatformRegistration).where(PlatformRegistration.event_id == e.id)
    return list(session.scalars(q.order_by(PlatformRegistration.side, PlatformRegistration.id)))


def registration(session: Session, e: PlatformEvent, reg_id: int) -> PlatformRegistration:
    r = session.get(PlatformRegistration, reg_id)
    if r is None or r.event_id != e.id:
        raise NotFound("Registration", reg_id, "参加登録")
    return r


def meetings(session: Session, e: PlatformEvent) -> list[PlatformMeeting]:
    q = select(PlatformMeeting).where(PlatformMeeting.event_id == e.id)
    return list(session.scalars(q.order_by(PlatformMeeting.slot, PlatformMeeting.table_no,
                                           PlatformMeeting.id)))  # fmt: skip


def slot_time(e: PlatformEvent, slot: int) -> str:
    h, m = (int(x) for x in e.first_slot.split(":"))
    minutes = h * 60 + m + slot * e.slot_minutes
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def register(
    session: Session, ctx: audit.Context, p: Principal | None, key: str, body: RegistrationIn
) -> PlatformRegistration:
    principal = require(p, Action.PLATFORM_EVENT_JOIN)
    e = event(session, key)
    if body.organisation:
        org = organisation(session, body.organisation)
    elif principal.organisation_id is not None:
        found = session.get(Organisation, principal.organisation_id)
        assert found is not None
        org = found
    else:
        raise _bad("organisation", "Name the organisation.", "組織を指定してください。")
    _own_org(principal, org.id, Action.PLATFORM_EVENT_JOIN)
    bad_slots = [s for s in body.unavailable if not 0 <= s < e.slots]
    if bad_slots:
        raise _bad("unavailable", f"No such slot: {bad_slots}.", f"存在しない枠です: {bad_slots}")
    q = select(PlatformRegistration).where(
        PlatformRegistration.event_id == e.id, PlatformRegistration.organisation_id == org.id
    )
    if session.scalar(q) is not None:
        raise Conflict(f"{org.name_en} is already registered.", f"{org.name_ja} は登録済みです。")
    r = PlatformRegistration(
        event_id=e.id,
        organisation_id=org.id,
        side=body.side,
        language=body.language,
        unavailable=sorted(set(body.unavailable)),
    )
    session.add(r)
    session.flush()
    audit.record(session, ctx, "platform.event.register", "platform_event", key,
                 after={"registration": r.id, "organisation": org.name_en, "side": r.side})  # fmt: skip
    return r


def request_meeting(
    session: Session, ctx: audit.Context, p: Principal | None, key: str, body: MeetingRequestIn
) -> PlatformMeeting:
    """A 1:1 meeting request between a Japanese company and a local one, with the requester's
    rank; an interpreter is needed when their languages differ (in the non-Japanese one)."""
    principal = require(p, Action.PLATFORM_EVENT_JOIN)
    e = event(session, key)
    a, b = registration(session, e, body.requester), registration(session, e, body.target)
    _own_org(principal, a.organisation_id, Action.PLATFORM_EVENT_JOIN)
    if a.side == b.side:
        raise _bad("target", "Meetings pair a Japanese and a local company.",
                   "面談は日本企業と現地企業の組み合わせです。")  # fmt: skip
    q = select(PlatformMeeting.id).where(
        PlatformMeeting.event_id == e.id,
        PlatformMeeting.requester_id.in_([a.id, b.id]),
        PlatformMeeting.target_id.in_([a.id, b.id]),
    )
    if session.scalar(q) is not None:
        raise Conflict("This meeting is already requested.", "この面談は既に申し込まれています。")
    language = None
    if a.language != b.language:
        language = b.language if a.side == "japanese" else a.language
    need_id = service.need(session, body.need).id if body.need else None
    m = PlatformMeeting(
        event_id=e.id,
        requester_id=a.id,
        target_id=b.id,
        requester_rank=body.rank,
        interpreter_language=language,
        need_id=need_id,
        outcome="requested",
    )
    session.add(m)
    session.flush()
    audit.record(session, ctx, "platform.event.request", "platform_event", key,
                 after={"meeting": m.id, "requester": a.id, "target": b.id, "rank": body.rank})  # fmt: skip
    return m


def _meeting(session: Session, meeting_id: int) -> PlatformMeeting:
    m = session.get(PlatformMeeting, meeting_id)
    if m is None:
        raise NotFound("Meeting", meeting_id, "面談")
    return m


def rank_meeting(
    session: Session, ctx: audit.Context, p: Principal | None, meeting_id: int, body: RankIn
) -> PlatformMeeting:
    """Each side ranks its requested meetings; a member ranks for its own side."""
    principal = require(p, Action.PLATFORM_EVENT_JOIN)
    m = _meeting(session, meeting_id)
    a = session.get(PlatformRegistration, m.requester_id)
    b = session.get(PlatformRegistration, m.target_id)
    assert a is not None
    assert b is not None
    side = body.side
    if side is None:
        side = "requester" if principal.organisation_id == a.organisation_id else "target"
    _own_org(principal, (a if side == "requester" else b).organisation_id,
             Action.PLATFORM_EVENT_JOIN)  # fmt: skip
    before = {"requester_rank": m.requester_rank, "target_rank": m.target_rank}
    if side == "requester":
        m.requester_rank = body.rank
    else:
        m.target_rank = body.rank
    session.flush()
    audit.record(session, ctx, "platform.event.rank", "platform_meeting", m.id, before=before,
                 after={"requester_rank": m.requester_rank, "target_rank": m.target_rank})  # fmt: skip
    return m


def run_schedule(session: Session, ctx: audit.Context, p: Principal | None, key: str) -> Any:
    """The secretariat runs the scheduler; each meeting's slot and table are stored."""
    require(p, Action.PLATFORM_EVENT_ADMIN)
    return service.schedule_event(session, ctx, key)


OUTCOME_ORDER = ("requested", "met", "no_show", "lead", "idea", "application")


def record_outcome(
    session: Session, ctx: audit.Context, p: Principal | None, meeting_id: int, body: OutcomeIn
) -> PlatformMeeting:
    """A meeting's outcome; a lead becomes a project idea (from its need and the Japanese
    side's technology) and then an application draft through the pipeline."""
    principal = require(p, Action.PLATFORM_EVENT_ADMIN)
    m = _meeting(session, meeting_id)
    before = {"outcome": m.outcome, "project_ref": m.project_ref}
    if body.need:
        m.need_id = service.need(session, body.need).id
    if body.outcome == "idea":
        n = session.get(PlatformNeed, m.need_id) if m.need_id else None
        if n is None or not body.technology:
            raise _bad("need", "A project idea needs the meeting's need and a technology.",
                       "案件化にはニーズと技術が必要です。")  # fmt: skip
        if n.project_ref is None:
            service.to_project_idea(session, ctx, principal, n.key, body.technology)
        m.project_ref = n.project_ref
    elif body.outcome == "application":
        n = session.get(PlatformNeed, m.need_id) if m.need_id else None
        if n is None:
            raise _bad("need", "Form a project idea first.", "先に案件を組成してください。")
        if n.application_ref is None:
            service.to_application_draft(session, ctx, principal, n.key)
        m.project_ref = n.project_ref
    m.outcome = "requested" if body.outcome == "none" else body.outcome
    session.flush()
    audit.record(session, ctx, "platform.event.outcome", "platform_meeting", m.id, before=before,
                 after={"outcome": m.outcome, "project_ref": m.project_ref})  # fmt: skip
    return m


@dataclass(frozen=True)
class Appointment:
    time: str
    slot: int
    table: int
    counterpart: Organisation
    interpreter: str | None
    meeting: PlatformMeeting


def personal_schedule(
    session: Session, e: PlatformEvent, reg: PlatformRegistration
) -> list[Appointment]:
    """One registrant's placed meetings in time order."""
    orgs = organisations(session)
    regs = {r.id: r for r in registrations(session, e)}
    out = []
    for m in meetings(session, e):
        if m.slot is None or m.table_no is None or reg.id not in (m.requester_id, m.target_id):
            continue
        other = regs[m.target_id if m.requester_id == reg.id else m.requester_id]
        out.append(
            Appointment(
                slot_time(e, m.slot),
                m.slot,
                m.table_no + 1,
                orgs[other.organisation_id],
                m.interpreter_language,
                m,
            )  # fmt: skip
        )
    return sorted(out, key=lambda a: a.slot)


def meeting_dict(m: PlatformMeeting) -> dict[str, Any]:
    return {
        "id": m.id, "requester": m.requester_id, "target": m.target_id,
        "requester_rank": m.requester_rank, "target_rank": m.target_rank,
        "interpreter_language": m.interpreter_language, "slot": m.slot,
        "table": None if m.table_no is None else m.table_no + 1, "outcome": m.outcome,
        "project_ref": m.project_ref,
    }  # fmt: skip


def registration_dict(r: PlatformRegistration, orgs: dict[int, Organisation]) -> dict[str, Any]:
    o = orgs[r.organisation_id]
    return {
        "id": r.id, "organisation": o.name_en, "organisation_ja": o.name_ja, "side": r.side,
        "language": r.language, "unavailable": r.unavailable,
    }  # fmt: skip
