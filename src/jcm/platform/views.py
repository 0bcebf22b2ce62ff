"""Platform pages: needs with explained matches, the pipeline buttons, the Environment Week
schedule and the city-to-city timeline."""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated, Any, TypeVar

from fastapi import APIRouter, Form, Query, Request, Response
from fastapi.responses import HTMLResponse, RedirectResponse
from pydantic import BaseModel, ValidationError
from sqlalchemy import select
from sqlalchemy.orm import Session

from jcm import formats
from jcm.auth.rules import Action, may, require
from jcm.errors import FieldProblem, NotFound, ValidationFailed
from jcm.labels import label
from jcm.platform import manage, service
from jcm.platform.catalogue import need_profile, tech_profile
from jcm.platform.models import (
    PlatformCityActivity,
    PlatformEvent,
    PlatformMeeting,
    PlatformRegistration,
    PlatformTechnology,
)
from jcm.platform.rules_explain import Words, reasons
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
from jcm.web.deps import Ctx, RequestContext, RowId
from jcm.web.views import check_csrf, render

router = APIRouter(include_in_schema=False)


def amount(lang: str, value: float | None) -> str:
    """A capacity or scale as entered ("0.005", "1500", "100000"), with the language's
    separators and the decimals it has (at most six); "—" for none."""
    if value is None:
        return "—"
    exact = Decimal(repr(value)).normalize()
    exponent = exact.as_tuple().exponent
    places = min(-exponent, 6) if isinstance(exponent, int) and exponent < 0 else 0
    return formats.number(lang, exact, places)


def amount_range(lang: str, low: float | None, high: float | None, unit: str) -> str:
    """A range with its unit, "100 – 1,500 t/day"; "—" when neither end is given."""
    if low is None and high is None:
        return "—"
    return f"{amount(lang, low)} – {amount(lang, high)} {unit}".rstrip()


@router.get("/platform", response_class=HTMLResponse)
def index(request: Request, ctx: Ctx) -> HTMLResponse:
    with ctx.db.read() as s:
        needs = service.needs(s)
        techs = service.published(s)
        events = list(s.scalars(select(PlatformEvent).order_by(PlatformEvent.starts_on)))
        timeline = list(s.scalars(select(PlatformCityActivity).order_by(PlatformCityActivity.on)))
    return render(
        request,
        ctx,
        "platform/index.html",
        needs=needs,
        techs=techs,
        events=events,
        timeline=timeline,
    )


def _page_words(s: Session, lang: str) -> Words:
    """Sectors, countries and numbers as the page's language names and writes them."""
    names = {c.iso3: (c.name_en, c.name_ja) for c in s.scalars(select(Country))}
    return Words(
        lang=lang,
        sector=lambda code: label(lang, "sector", code),
        country=lambda iso3: names.get(iso3, (iso3, iso3))[lang == "ja"],
        amount=lambda v: amount(lang, v),
        yen=lambda v: formats.yen(lang, v),
    )


@router.get("/platform/needs/{key}", response_class=HTMLResponse)
def need_page(request: Request, ctx: Ctx, key: str) -> HTMLResponse:
    lang = ctx.lang
    with ctx.db.read() as s:
        need = service.need(s, key)
        matcher = service.matcher(s)
        matches = matcher.technologies_for(key, 5)
        techs = {t.key: t for t in service.published(s)}
        words = _page_words(s, lang)
    why = {
        m.technology: reasons(
            m,
            matcher.needs[key],
            matcher.techs[m.technology],
            matcher.partners,
            need.scale_unit or "",
            words,
        )
        for m in matches
    }
    return render(
        request,
        ctx,
        "platform/need.html",
        need=need,
        matches=matches,
        techs=techs,
        why=why,
        country_name=words.country(need.country_iso3) if need.country_iso3 else "—",
        scale="—" if need.scale is None else f"{amount(lang, need.scale)} {need.scale_unit}",
    )


@router.post("/platform/needs/{key}/idea")
def need_to_idea(
    ctx: Ctx, key: str, technology: Annotated[str, Form()], csrf_token: Annotated[str, Form()]
) -> RedirectResponse:
    check_csrf(ctx, csrf_token)
    with ctx.db.write() as s:
        service.to_project_idea(s, ctx.audit, ctx.principal, key, technology)
    return RedirectResponse(f"/platform/needs/{key}", status_code=303)


@router.post("/platform/needs/{key}/application")
def need_to_application(ctx: Ctx, key: str, csrf_token: Annotated[str, Form()]) -> RedirectResponse:
    check_csrf(ctx, csrf_token)
    with ctx.db.write() as s:
        service.to_application_draft(s, ctx.audit, ctx.principal, key)
    return RedirectResponse(f"/platform/needs/{key}", status_code=303)


@router.get("/platform/events/{key}", response_class=HTMLResponse)
def event_page(request: Request, ctx: Ctx, key: str) -> HTMLResponse:
    with ctx.db.read() as s:
        event = s.scalar(select(PlatformEvent).where(PlatformEvent.key == key))
        if event is None:
            raise NotFound("Event", key, "イベント")
        regs = {
            r.id: r
            for r in s.scalars(
                select(PlatformRegistration).where(PlatformRegistration.event_id == event.id)
            )
        }
        orgs = {o.id: o for o in s.scalars(select(Organisation))}
        names = {rid: orgs[r.organisation_id] for rid, r in regs.items()}
        meetings = list(
            s.scalars(
                select(PlatformMeeting)
                .where(PlatformMeeting.event_id == event.id)
                .order_by(PlatformMeeting.slot, PlatformMeeting.table_no)
            )
        )
    h, m = (int(x) for x in event.first_slot.split(":"))

    def slot_time(slot: int) -> str:
        minutes = h * 60 + m + slot * event.slot_minutes
        return f"{minutes // 60:02d}:{minutes % 60:02d}"

    with ctx.db.read() as s:
        all_orgs = sorted(orgs.values(), key=lambda o: o.name_en)
        need_keys = [n.key for n in service.needs(s)]
        tech_keys = [t.key for t in service.published(s)]
    return render(
        request,
        ctx,
        "platform/event.html",
        event=event,
        meetings=meetings,
        names=names,
        regs=regs,
        slot_time=slot_time,
        all_orgs=all_orgs,
        need_keys=need_keys,
        tech_keys=tech_keys,
        is_admin=may(ctx.principal, Action.PLATFORM_EVENT_ADMIN),
        may_join=may(ctx.principal, Action.PLATFORM_EVENT_JOIN),
    )


# ---------------------------------------------------------------- helpers for the forms below

M = TypeVar("M", bound=BaseModel)


async def _form(request: Request, ctx: RequestContext) -> dict[str, str]:
    form = {k: str(v) for k, v in (await request.form()).items()}
    check_csrf(ctx, form.pop("csrf_token", ""))
    return form


def _model(cls: type[M], data: dict[str, Any]) -> M:
    """The form as a validated body; a refusal names each field like the API does."""
    clean = {k: v for k, v in data.items() if not (isinstance(v, str) and v.strip() == "")}
    try:
        return cls.model_validate(clean)
    except ValidationError as exc:
        raise ValidationFailed.of(
            [
                FieldProblem(
                    ".".join(str(x) for x in e["loc"]) or "body",
                    e["msg"],
                    f"値が不正です（{e['msg']}）。",
                )
                for e in exc.errors()
            ]
        ) from None


def _words(text: str) -> list[str]:
    return [w for w in text.replace(",", " ").split() if w]


def _see_other(url: str) -> RedirectResponse:
    return RedirectResponse(url, status_code=303)


def _tech_form(form: dict[str, str]) -> TechnologyIn:
    data: dict[str, Any] = dict(form)
    data["countries"] = [c.upper() for c in _words(form.get("countries", ""))]
    data["climates"] = _words(form.get("climates", ""))
    return _model(TechnologyIn, data)


# ---------------------------------------------------------------- technology list


@router.get("/platform/technologies", response_class=HTMLResponse)
def technologies_page(
    request: Request,
    ctx: Ctx,
    q: Annotated[str, Query(max_length=200)] = "",
    sector: Annotated[str, Query(max_length=40)] = "",
    country: Annotated[str, Query(max_length=3)] = "",
    climate: Annotated[str, Query(max_length=20)] = "",
) -> HTMLResponse:
    with ctx.db.read() as s:
        hits = manage.search_technologies(
            s, q, sector=sector or None, country=country.upper() or None, climate=climate or None
        )
        everything = service.published(s)
        mine = [t for t in manage.visible_technologies(s, ctx.principal) if t.status != "published"]
    return render(
        request,
        ctx,
        "platform/technologies.html",
        hits=hits,
        mine=mine,
        q=q,
        sector=sector,
        country=country,
        climate=climate,
        sectors=sorted({t.sector for t in everything}),
        climates=sorted({c for t in everything for c in t.climates}),
        may_edit=may(ctx.principal, Action.PLATFORM_MEMBER_EDIT),
    )


@router.get("/platform/technologies/new", response_class=HTMLResponse)
def technology_new(request: Request, ctx: Ctx) -> HTMLResponse:
    require(ctx.principal, Action.PLATFORM_MEMBER_EDIT)
    return render(request, ctx, "platform/technology_form.html", tech=None, form={})


@router.post("/platform/technologies", response_model=None)
async def technology_create(request: Request, ctx: Ctx) -> Response:
    body = _tech_form(await _form(request, ctx))
    with ctx.db.write() as s:
        key = manage.create_technology(s, ctx.audit, ctx.principal, body).key
    return _see_other(f"/platform/technologies/{key}")


def _visible_tech(s: Session, ctx: RequestContext, key: str) -> PlatformTechnology:
    t = service.technology(s, key)
    if not manage.can_see(s, ctx.principal, t):
        raise NotFound("Technology", key, "技術")
    return t


@router.get("/platform/technologies/{key}", response_class=HTMLResponse)
def technology_page(request: Request, ctx: Ctx, key: str) -> HTMLResponse:
    with ctx.db.read() as s:
        t = _visible_tech(s, ctx, key)
        org = service.member_org(s, t)
        history = manage.technology_history(s, key)
        matches = manage.needs_for_technology(s, key, 5)
        needs = {n.key: n for n in service.needs(s)}
        kind = s.get(Technology, t.technology_code)
        words = _page_words(s, ctx.lang)
        partners = frozenset(s.scalars(select(Country.iso3).where(Country.jcm_partner)))
        profile = tech_profile(service.tech_row(t))
        why = {
            m.need: reasons(
                m,
                need_profile(service.need_row(needs[m.need])),
                profile,
                partners,
                needs[m.need].scale_unit or "",
                words,
            )
            for m in matches
        }
        own = ctx.principal is not None and (
            may(ctx.principal, Action.PLATFORM_REVIEW) or ctx.principal.organisation_id == org.id
        )
    moves = [
        to
        for (frm, to), action in manage.TRANSITIONS.items()
        if frm == t.status and own and may(ctx.principal, action)
    ]
    return render(
        request,
        ctx,
        "platform/technology.html",
        tech=t,
        org=org,
        kind=kind,
        capacity=amount_range(ctx.lang, t.capacity_min, t.capacity_max, t.capacity_unit),
        history=history,
        matches=matches,
        needs=needs,
        why=why,
        moves=moves,
        may_edit=own and may(ctx.principal, Action.PLATFORM_MEMBER_EDIT),
    )


@router.get("/platform/technologies/{key}/edit", response_class=HTMLResponse)
def technology_edit(request: Request, ctx: Ctx, key: str) -> HTMLResponse:
    require(ctx.principal, Action.PLATFORM_MEMBER_EDIT)
    with ctx.db.read() as s:
        t = _visible_tech(s, ctx, key)
        form = manage.tech_dict(t)
    form["countries"] = " ".join(t.countries)
    form["climates"] = " ".join(t.climates)
    form = {k: "" if v is None else v for k, v in form.items()}
    return render(request, ctx, "platform/technology_form.html", tech=t, form=form)


@router.post("/platform/technologies/{key}/edit", response_model=None)
async def technology_update(request: Request, ctx: Ctx, key: str) -> Response:
    body = _tech_form(await _form(request, ctx))
    with ctx.db.write() as s:
        manage.update_technology(s, ctx.audit, ctx.principal, key, body)
    return _see_other(f"/platform/technologies/{key}")


@router.post("/platform/technologies/{key}/review", response_model=None)
async def technology_review(request: Request, ctx: Ctx, key: str) -> Response:
    body = _model(ReviewIn, await _form(request, ctx))
    with ctx.db.write() as s:
        manage.review_technology(s, ctx.audit, ctx.principal, key, body)
    return _see_other(f"/platform/technologies/{key}")


# ---------------------------------------------------------------- needs and the desk


@router.get("/platform/desk", response_class=HTMLResponse)
def desk_page(request: Request, ctx: Ctx) -> HTMLResponse:
    with ctx.db.read() as s:
        needs = service.needs(s)
        tickets = manage.inquiries(s, ctx.principal)
        countries = list(
            s.scalars(select(Country.iso3).where(Country.jcm_partner).order_by(Country.iso3))
        )
        sectors = sorted({t.sector for t in service.published(s)} | {n.sector for n in needs})
    return render(
        request,
        ctx,
        "platform/desk.html",
        needs=needs,
        tickets=tickets,
        countries=countries,
        sectors=sectors,
        may_need=may(ctx.principal, Action.PLATFORM_NEED_CREATE),
        may_ask=may(ctx.principal, Action.PLATFORM_INQUIRE),
    )


@router.post("/platform/needs", response_model=None)
async def need_create(request: Request, ctx: Ctx) -> Response:
    body = _model(NeedIn, await _form(request, ctx))
    with ctx.db.write() as s:
        key = manage.create_need(s, ctx.audit, ctx.principal, body).key
    return _see_other(f"/platform/needs/{key}")


@router.post("/platform/inquiries", response_model=None)
async def inquiry_create(request: Request, ctx: Ctx) -> Response:
    body = _model(InquiryIn, await _form(request, ctx))
    with ctx.db.write() as s:
        inquiry_id = manage.open_inquiry(s, ctx.audit, ctx.principal, body).id
    return _see_other(f"/platform/inquiries/{inquiry_id}")


@router.get("/platform/inquiries/{inquiry_id}", response_class=HTMLResponse)
def inquiry_page(request: Request, ctx: Ctx, inquiry_id: RowId) -> HTMLResponse:
    require(ctx.principal, Action.PLATFORM_INQUIRE)
    with ctx.db.read() as s:
        ticket = manage.inquiry_dict(s, manage.inquiry(s, ctx.principal, inquiry_id))
    return render(
        request,
        ctx,
        "platform/inquiry.html",
        ticket=ticket,
        is_desk=may(ctx.principal, Action.PLATFORM_DESK),
    )


@router.post("/platform/inquiries/{inquiry_id}/reply", response_model=None)
async def inquiry_reply(request: Request, ctx: Ctx, inquiry_id: int) -> Response:
    body = _model(ReplyIn, await _form(request, ctx))
    with ctx.db.write() as s:
        manage.reply(s, ctx.audit, ctx.principal, inquiry_id, body)
    return _see_other(f"/platform/inquiries/{inquiry_id}")


@router.post("/platform/inquiries/{inquiry_id}/update", response_model=None)
async def inquiry_update(request: Request, ctx: Ctx, inquiry_id: int) -> Response:
    body = _model(InquiryUpdateIn, await _form(request, ctx))
    with ctx.db.write() as s:
        manage.update_inquiry(s, ctx.audit, ctx.principal, inquiry_id, body)
    return _see_other(f"/platform/inquiries/{inquiry_id}")


# ---------------------------------------------------------------- members, city-to-city


@router.get("/platform/members", response_class=HTMLResponse)
def members_page(request: Request, ctx: Ctx) -> HTMLResponse:
    with ctx.db.read() as s:
        rows = manage.members(s)
    return render(request, ctx, "platform/members.html", members=rows)


@router.get("/platform/members/{member_id}", response_class=HTMLResponse)
def member_page(request: Request, ctx: Ctx, member_id: RowId) -> HTMLResponse:
    with ctx.db.read() as s:
        view = manage.member(s, member_id)
        techs = [
            t for t in manage.visible_technologies(s, ctx.principal) if t.member_id == member_id
        ]
    p = ctx.principal
    own = p is not None and (
        may(p, Action.PLATFORM_DESK) or p.organisation_id == view.organisation.id
    )
    return render(
        request,
        ctx,
        "platform/member.html",
        view=view,
        techs=techs,
        is_desk=may(p, Action.PLATFORM_DESK),
        may_contact=own and may(p, Action.PLATFORM_MEMBER_EDIT),
    )


@router.post("/platform/members/{member_id}/participation", response_model=None)
async def member_participation(request: Request, ctx: Ctx, member_id: int) -> Response:
    body = _model(ParticipationIn, await _form(request, ctx))
    with ctx.db.write() as s:
        manage.record_participation(s, ctx.audit, ctx.principal, member_id, body)
    return _see_other(f"/platform/members/{member_id}")


@router.post("/platform/members/{member_id}/contact", response_model=None)
async def member_contact(request: Request, ctx: Ctx, member_id: int) -> Response:
    body = _model(ContactIn, await _form(request, ctx))
    with ctx.db.write() as s:
        manage.update_contact(s, ctx.audit, ctx.principal, member_id, body)
    return _see_other(f"/platform/members/{member_id}")


@router.get("/platform/cities", response_class=HTMLResponse)
def cities_page(request: Request, ctx: Ctx) -> HTMLResponse:
    with ctx.db.read() as s:
        pairs = manage.city_pairs(s)
    return render(request, ctx, "platform/cities.html", pairs=pairs)


@router.get("/platform/cities/{pair_id}", response_class=HTMLResponse)
def city_page(request: Request, ctx: Ctx, pair_id: RowId) -> HTMLResponse:
    with ctx.db.read() as s:
        pair = manage.city_pair(s, pair_id)
        line = manage.timeline(s, pair_id)
    return render(
        request,
        ctx,
        "platform/city.html",
        pair=pair,
        timeline=line,
        may_edit=may(ctx.principal, Action.CITY_PAIR_EDIT),
    )


@router.post("/platform/cities/{pair_id}/activities", response_model=None)
async def city_activity(request: Request, ctx: Ctx, pair_id: int) -> Response:
    body = _model(ActivityIn, await _form(request, ctx))
    with ctx.db.write() as s:
        manage.add_activity(s, ctx.audit, ctx.principal, pair_id, body)
    return _see_other(f"/platform/cities/{pair_id}")


# ---------------------------------------------------------------- Environment Week


@router.get("/platform/events/{key}/schedule/{registration_id}", response_class=HTMLResponse)
def personal_schedule_page(
    request: Request, ctx: Ctx, key: str, registration_id: RowId
) -> HTMLResponse:
    """One registrant's printable schedule (the print stylesheet hides everything else)."""
    with ctx.db.read() as s:
        event = manage.event(s, key)
        reg = manage.registration(s, event, registration_id)
        org = s.get(Organisation, reg.organisation_id)
        items = manage.personal_schedule(s, event, reg)
    return render(
        request, ctx, "platform/personal_schedule.html", event=event, reg=reg, org=org, items=items
    )


@router.post("/platform/events/{key}/registrations", response_model=None)
async def event_register(request: Request, ctx: Ctx, key: str) -> Response:
    form: dict[str, Any] = await _form(request, ctx)
    form["unavailable"] = [int(x) for x in _words(form.get("unavailable", "")) if x.isdigit()]
    body = _model(RegistrationIn, form)
    with ctx.db.write() as s:
        manage.register(s, ctx.audit, ctx.principal, key, body)
    return _see_other(f"/platform/events/{key}")


@router.post("/platform/events/{key}/requests", response_model=None)
async def event_request(request: Request, ctx: Ctx, key: str) -> Response:
    body = _model(MeetingRequestIn, await _form(request, ctx))
    with ctx.db.write() as s:
        manage.request_meeting(s, ctx.audit, ctx.principal, key, body)
    return _see_other(f"/platform/events/{key}")


@router.post("/platform/events/{key}/meetings/{meeting_id}/rank", response_model=None)
async def event_rank(request: Request, ctx: Ctx, key: str, meeting_id: int) -> Response:
    body = _model(RankIn, await _form(request, ctx))
    with ctx.db.write() as s:
        manage.rank_meeting(s, ctx.audit, ctx.principal, meeting_id, body)
    return _see_other(f"/platform/events/{key}")


@router.post("/platform/events/{key}/meetings/{meeting_id}/outcome", response_model=None)
async def event_outcome(request: Request, ctx: Ctx, key: str, meeting_id: int) -> Response:
    body = _model(OutcomeIn, await _form(request, ctx))
    with ctx.db.write() as s:
        manage.record_outcome(s, ctx.audit, ctx.principal, meeting_id, body)
    return _see_other(f"/platform/events/{key}")


@router.post("/platform/events/{key}/schedule", response_model=None)
async def event_schedule(request: Request, ctx: Ctx, key: str) -> Response:
    await _form(request, ctx)
    with ctx.db.write() as s:
        manage.run_schedule(s, ctx.audit, ctx.principal, key)
    return _see_other(f"/platform/events/{key}")
