"""Platform pages: needs with explained matches, the pipeline buttons, the Environment Week
schedule and the city-to-city timeline."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse
from sqlalchemy import select

from jcm.platform import service
from jcm.platform.models import (
    PlatformCityActivity,
    PlatformEvent,
    PlatformMeeting,
    PlatformRegistration,
)
from jcm.reference.models import Organisation
from jcm.web.deps import Ctx
from jcm.web.views import check_csrf, render

router = APIRouter(include_in_schema=False)


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


@router.get("/platform/needs/{key}", response_class=HTMLResponse)
def need_page(request: Request, ctx: Ctx, key: str) -> HTMLResponse:
    with ctx.db.read() as s:
        need = service.need(s, key)
        matches = service.technologies_for(s, key, 5)
        techs = {t.key: t for t in service.published(s)}
    return render(request, ctx, "platform/need.html", need=need, matches=matches, techs=techs)


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
            from jcm.errors import NotFound

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

    return render(
        request,
        ctx,
        "platform/event.html",
        event=event,
        meetings=meetings,
        names=names,
        regs=regs,
        slot_time=slot_time,
    )
