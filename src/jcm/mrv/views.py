"""MRV pages: the methodology catalogue, a project's monitoring tab, a period with its
calculation and verification steps (forms per role), and the printable monitoring report."""

from __future__ import annotations

import csv
import io
import json
import re
from datetime import date
from decimal import Decimal
from typing import Annotated, Any

from fastapi import APIRouter, File, Form, Request, UploadFile
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from markupsafe import Markup, escape

from jcm import formats
from jcm.auth.rules import Action, Principal, Role, may
from jcm.labels import label
from jcm.mrv import input_form, periods, service, workflow, worklist
from jcm.mrv.api import REGISTRY, example_input
from jcm.mrv.inputs import PointKind
from jcm.mrv.workflow import FindingKind
from jcm.registry import handoff, public
from jcm.uploads import UploadLimits, receive
from jcm.web.deps import MAX_ROW_ID, Ctx, RequestContext, RowId
from jcm.web.i18n import translate
from jcm.web.views import check_csrf, render

router = APIRouter(include_in_schema=False)
FINDING_KINDS = [
    (FindingKind.CAR.value, "corrective action request"),
    (FindingKind.CL.value, "clarification request"),
    (FindingKind.FAR.value, "forward action request"),
]


def _owns(principal: Principal | None, owner_id: int) -> bool:
    if not may(principal, Action.MRV_REPORT) or principal is None:
        return False
    return principal.role is not Role.PARTICIPANT or principal.organisation_id == owner_id


def exact(lang: str, value: str | None) -> str:
    """A decimal as the methodology or the calculation holds it ("0.0360", "12345.678"), with
    the language's separators and every one of its places; "—" for no value."""
    if value is None or value == "":
        return "—"
    exponent = Decimal(value).as_tuple().exponent
    places = -exponent if isinstance(exponent, int) and exponent < 0 else 0
    return formats.number(lang, value, places)


STANDARD = re.compile(r"\b(?:IEC|ISO|JIS) [A-Z]?\d{3,}(?:-\d+)*\b")


def standards(text: str) -> Markup:
    """``text`` with each standard it names ("IEC 61215") marked as an identifier."""
    out, last = [], 0
    for hit in STANDARD.finditer(text):
        out += [escape(text[last : hit.start()]), Markup("<span data-identifier>")]
        out += [escape(hit.group(0)), Markup("</span>")]
        last = hit.end()
    out.append(escape(text[last:]))
    return Markup("").join(out)


def _page(request: Request, ctx: RequestContext, name: str, **data: Any) -> HTMLResponse:
    lang = ctx.lang
    return render(
        request,
        ctx,
        name,
        period_status=lambda s: label(lang, "period_status", s),
        size=lambda n: formats.size(lang, n),
        exact=lambda v: exact(lang, v),
        standards=standards,
        **data,
    )


@router.get("/mrv", response_class=HTMLResponse)
def catalogue(request: Request, ctx: Ctx) -> HTMLResponse:
    with ctx.db.read() as s:
        projects = service.bound_projects(s)
        tpes = service.tpe_organisations(s)
        waiting = worklist.waiting_for(s, ctx.principal)
    return _page(
        request,
        ctx,
        "mrv/index.html",
        methodologies=REGISTRY.all(),
        projects=projects,
        tpes=tpes,
        waiting=waiting,
    )


@router.get("/mrv/methodologies/{methodology}", response_class=HTMLResponse)
def methodology_page(
    request: Request, ctx: Ctx, methodology: str, version: str | None = None
) -> HTMLResponse:
    m = REGISTRY.get(methodology, version)
    versions = [x.version for x in REGISTRY.all() if x.id == m.id]
    example = json.dumps(example_input(m), indent=2, ensure_ascii=False)
    return _page(
        request, ctx, "mrv/methodology.html", m=m.as_dict(), versions=versions, example=example
    )


def _chart(lang: str, periods_: list[dict[str, Any]]) -> str | None:
    days: dict[str, float] = {}
    for p in periods_:
        for row in p.get("daily", []):
            days[row["day"]] = days.get(row["day"], 0.0) + row["total"]
    if not days:
        return None
    keys = sorted(days)
    return json.dumps(
        {
            "type": "scatter",
            "title": translate(lang, "Daily totals of monitored readings"),
            "x": keys,
            "y": [round(days[k], 3) for k in keys],
            "ylabel": translate(lang, "Daily total"),
        },
        ensure_ascii=False,
    )


@router.get("/mrv/projects/{ref}", response_class=HTMLResponse)
def project_tab(request: Request, ctx: Ctx, ref: str) -> HTMLResponse:
    with ctx.db.read() as s:
        info = service.project_periods(s, ref)
        latest = [service.latest_calculation(s, p["id"]) for p in info["periods"]]
    calcs = [service.calculation_dict(c) for c in latest if c is not None]
    qa = [(c["period_id"], i) for c in calcs for i in c["result"]["qa"]["issues"]]
    return _page(
        request,
        ctx,
        "mrv/project.html",
        p=info,
        chart=_chart(ctx.lang, calcs),
        qa=qa,
        can_report=_owns(ctx.principal, info["representative_id"]),
        methodologies=REGISTRY.all(),
    )


@router.post("/mrv/projects/{ref}/methodology")
def bind(
    ctx: Ctx, ref: str, methodology: Annotated[str, Form()], csrf_token: Annotated[str, Form()]
) -> RedirectResponse:
    check_csrf(ctx, csrf_token)
    with ctx.db.write() as s:
        periods.bind_methodology(s, ctx.audit, ctx.principal, ref, methodology)
    return RedirectResponse(f"/mrv/projects/{ref}", status_code=303)


@router.post("/mrv/projects/{ref}/periods")
def new_period(
    ctx: Ctx,
    ref: str,
    start: Annotated[date, Form()],
    end: Annotated[date, Form()],
    csrf_token: Annotated[str, Form()],
) -> RedirectResponse:
    check_csrf(ctx, csrf_token)
    with ctx.db.write() as s:
        period = periods.create_period(s, ctx.audit, ctx.principal, ref, start, end)
        pid = period.id
    return RedirectResponse(f"/mrv/periods/{pid}", status_code=303)


@router.get("/mrv/periods/{period_id}", response_class=HTMLResponse)
def period_page(request: Request, ctx: Ctx, period_id: RowId) -> HTMLResponse:
    with ctx.db.read() as s:
        d = service.period_detail(s, period_id)
        tpes = service.tpe_organisations(s)
        issued = handoff.issuances_of_mrv_period(s, period_id)
        issuances = [public.issuance_summary(s, i) for i in issued]
        form = service.input_form_for(s, period_id) if d["status"] == "draft" else None
    who = ctx.principal
    return _page(
        request,
        ctx,
        "mrv/period.html",
        d=d,
        tpes=tpes,
        kinds=FINDING_KINDS,
        can_report=_owns(who, d["representative_id"]),
        can_assign=may(who, Action.MRV_ASSIGN),
        is_tpe=may(who, Action.MRV_VERIFY)
        and who is not None
        and who.organisation_id == d["tpe_organisation_id"],
        can_request=_owns(who, d["representative_id"]) and may(who, Action.MRV_ISSUANCE_REQUEST),
        issuances=issuances,
        can_issue=may(who, Action.REGISTRY_ISSUE),
        form=form,
        point_kinds=[k.value for k in PointKind if k is not PointKind.TOTAL],
    )


@router.get("/mrv/periods/{period_id}/report", response_class=HTMLResponse)
def report_page(request: Request, ctx: Ctx, period_id: RowId) -> HTMLResponse:
    with ctx.db.read() as s:
        d = service.period_detail(s, period_id)
    m = None
    if d["calculation"]:
        mid, _, version = d["calculation"]["methodology"].partition(":")
        m = REGISTRY.get(mid, version).as_dict()
    return _page(request, ctx, "mrv/report.html", d=d, m=m)


@router.get("/mrv/periods/{period_id}/template.csv")
def data_template(ctx: Ctx, period_id: RowId) -> Response:
    """The period's data template: its points and intervals, values to fill in."""
    with ctx.db.read() as s:
        form = service.input_form_for(s, period_id)
        if form is None:
            raise periods.NotBound(service.period_detail(s, period_id)["project_ref"])
    out = io.StringIO()
    csv.writer(out, lineterminator="\r\n").writerows(
        input_form.template_rows(form.spec, form.start, form.end)
    )
    name = f"{form.project.lower()}-{form.start}-{form.end}-data.csv"
    return Response(
        out.getvalue().encode("utf-8-sig"),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )


@router.post("/mrv/periods/{period_id}/calculations")
async def upload(
    request: Request,
    ctx: Ctx,
    period_id: RowId,
    file: Annotated[UploadFile, File()],
    csrf_token: Annotated[str, Form()],
    input_json: Annotated[str, Form(alias="input", max_length=1_000_000)] = "",
    encoding: Annotated[str, Form(max_length=20)] = "auto",
) -> RedirectResponse:
    """Upload monitoring data with the generated form's fields (or, for those who prefer,
    the whole INPUT.json in ``input``) and calculate."""
    check_csrf(ctx, csrf_token)
    fields = {k: v for k, v in (await request.form()).items() if isinstance(v, str)}
    await run_in_threadpool(_calculate, ctx, period_id, file, input_json, fields, encoding)
    return _back(period_id)


def _calculate(
    ctx: RequestContext,
    period_id: int,
    file: UploadFile,
    input_json: str,
    fields: dict[str, str],
    encoding: str,
) -> None:
    name = file.filename or "upload"
    limits = UploadLimits.of(ctx.settings)
    content = receive(name, file.file, periods.FILE_TYPES, limits)
    with ctx.db.write() as s:
        if not input_json.strip():
            form = service.input_form_for(s, period_id)
            if form is None:
                raise periods.NotBound(service.period_detail(s, period_id)["project_ref"])
            built = input_form.build(
                form.methodology, form.spec, form.project, form.start, form.end, fields
            )
            input_json = json.dumps(built)
        periods.store_calculation(
            s,
            ctx.audit,
            ctx.principal,
            period_id,
            filename=name,
            content=content,
            input_json=input_json,
            limits=limits,
            encoding=encoding,
        )


def _back(period_id: int) -> RedirectResponse:
    return RedirectResponse(f"/mrv/periods/{period_id}", status_code=303)


@router.post("/mrv/periods/{period_id}/step")
def step(
    ctx: Ctx,
    period_id: RowId,
    action: Annotated[str, Form()],
    csrf_token: Annotated[str, Form()],
    tpe: Annotated[str, Form()] = "",
    kind: Annotated[str, Form()] = "CL",
    text: Annotated[str, Form(max_length=5000)] = "",
    finding_id: Annotated[int, Form(ge=0, le=MAX_ROW_ID)] = 0,
    verified_er: Annotated[int, Form(ge=0, le=10**15)] = 0,
) -> RedirectResponse:
    """One verification step from the period page; the form names it in ``action``."""
    check_csrf(ctx, csrf_token)
    a, p = ctx.audit, ctx.principal
    with ctx.db.write() as s:
        match action:
            case "submit":
                workflow.submit(s, a, p, period_id)
            case "assign":
                workflow.assign(s, a, p, period_id, tpe)
            case "finding":
                workflow.raise_finding(s, a, p, period_id, FindingKind(kind), text or "-")
            case "answer":
                workflow.answer_finding(s, a, p, finding_id, text or "-")
            case "close":
                workflow.close_finding(s, a, p, finding_id)
            case "positive" | "negative":
                er = verified_er if action == "positive" else 0
                workflow.give_opinion(
                    s, a, p, period_id, positive=action == "positive", verified_er=er, text=text
                )
            case "issuance":
                workflow.request_issuance(s, a, p, period_id)
    return _back(period_id)
