"""The secretariat's audit page: filter the log, export it as CSV, see the chain status."""

from __future__ import annotations

import csv
import io
import json
from datetime import UTC as _UTC
from datetime import date, datetime, time, timedelta
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, Response
from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from jcm.audit import AuditEntry, verify_chain
from jcm.auth.rules import Action, require
from jcm.exports import neutralise_record
from jcm.web.deps import Ctx
from jcm.web.views import render

router = APIRouter(include_in_schema=False)
PAGE = 200
CSV_LIMIT = 100_000
TEXT = Annotated[str, Query(max_length=120)]
DAY = Annotated[date | None, Query()]


def _query(
    actor: str, action: str, entity: str, since: date | None, until: date | None
) -> Select[AuditEntry]:
    q = select(AuditEntry)
    if actor:
        q = q.where(AuditEntry.actor == actor)
    if action:
        q = q.where(AuditEntry.action.startswith(action, autoescape=True))
    if entity:
        q = q.where(AuditEntry.entity == entity)
    if since:
        q = q.where(AuditEntry.at >= datetime.combine(since, time(), _UTC))
    if until:
        q = q.where(AuditEntry.at < datetime.combine(until + timedelta(days=1), time(), _UTC))
    return q.order_by(AuditEntry.id.desc())


def _rows(s: Session, q: Select[AuditEntry], limit: int) -> list[dict[str, Any]]:
    return [
        {
            "id": e.id,
            "at": e.at.isoformat(timespec="seconds"),
            "actor": e.actor,
            "action": e.action,
            "entity": e.entity,
            "entity_id": e.entity_id,
            "before": json.dumps(e.before, ensure_ascii=False) if e.before is not None else "",
            "after": json.dumps(e.after, ensure_ascii=False) if e.after is not None else "",
            "request_id": e.request_id or "",
            "client": e.client or "",
            "hash": e.hash,
        }
        for e in s.scalars(q.limit(limit))
    ]


@router.get("/audit", response_class=HTMLResponse)
def audit_page(
    request: Request,
    ctx: Ctx,
    actor: TEXT = "",
    action: TEXT = "",
    entity: TEXT = "",
    since: DAY = None,
    until: DAY = None,
) -> HTMLResponse:
    require(ctx.principal, Action.AUDIT_READ)
    with ctx.db.read() as s:
        rows = _rows(s, _query(actor, action, entity, since, until), PAGE)
        report = verify_chain(s)
    filters = {"actor": actor, "action": action, "entity": entity}
    dates = {
        "since": since.isoformat() if since else "",
        "until": until.isoformat() if until else "",
    }
    return render(
        request, ctx, "audit/index.html", rows=rows, report=report, filters=filters, dates=dates
    )


@router.get("/audit.csv")
def audit_csv(
    ctx: Ctx,
    actor: TEXT = "",
    action: TEXT = "",
    entity: TEXT = "",
    since: DAY = None,
    until: DAY = None,
) -> Response:
    require(ctx.principal, Action.AUDIT_READ)
    with ctx.db.read() as s:
        rows = _rows(s, _query(actor, action, entity, since, until), CSV_LIMIT)
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(rows[0]) if rows else ["id"])
    writer.writeheader()
    for row in rows:
        writer.writerow(neutralise_record(row))  # a leading = + - @ would be evaluated
    return Response(
        buffer.getvalue(),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": 'attachment; filename="audit.csv"'},
    )
