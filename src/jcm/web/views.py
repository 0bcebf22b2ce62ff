"""Server-rendered pages: thin handlers that ask the services and fill a template."""

from __future__ import annotations

import json
from importlib.resources import files
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import FileResponse, HTMLResponse, RedirectResponse, Response
from fastapi.templating import Jinja2Templates

from jcm import formats
from jcm.auth import service as auth
from jcm.auth import throttle
from jcm.auth import totp as second_factor
from jcm.auth.rules import Action, Role, may
from jcm.cities.service import city_pairs
from jcm.errors import JcmError
from jcm.labels import label
from jcm.operations import metrics
from jcm.projects import service as projects
from jcm.projects.rules import PROGRAMME_JA, STATUS_JA, Programme, Status
from jcm.reference import service as reference
from jcm.web import project_record
from jcm.web.deps import (
    CSRF_COOKIE,
    LANG_COOKIE,
    SESSION_COOKIE,
    CsrfRejected,
    Ctx,
    RequestContext,
    check_csrf,
)
from jcm.web.i18n import LANGUAGES, pick, translate
from jcm.web.nav import served_paths
from jcm.web.problems import with_retry_after
from jcm.web.waiting import for_principal

router = APIRouter(include_in_schema=False)
templates = Jinja2Templates(directory=str(files("jcm.web").joinpath("templates")))
PAGE_SIZE = 50


__all__ = ["CsrfRejected", "check_csrf", "render", "router"]


def status_label(lang: str, s: str) -> str:
    return STATUS_JA[Status(s)] if lang == "ja" else Status(s).value.replace("_", " ")


def programme_label(lang: str, p: str) -> str:
    return PROGRAMME_JA[Programme(p)] if lang == "ja" else Programme(p).value.replace("_", " ")


def render(
    request: Request, ctx: RequestContext, name: str, status_code: int = 200, **data: Any
) -> HTMLResponse:
    lang = ctx.lang

    def t(text: str) -> str:
        return translate(lang, text)

    data.update(
        ctx=ctx,
        lang=lang,
        t=t,
        label=lambda group, code: label(lang, group, code),
        num=lambda value, places=0: formats.number(lang, value, places),
        yen=lambda value: formats.yen(lang, value),
        tco2=lambda value, places=0: formats.tonnes(lang, value, places),
        day=lambda value: formats.day(lang, value),
        pct=lambda value, places=0: formats.percent(lang, value, places),
        pick=lambda en, ja: pick(lang, en, ja),
        status_label=lambda s: status_label(lang, s),
        programme_label=lambda p: programme_label(lang, p),
        role_label=lambda r: label(lang, "role", r),
        path=request.url.path,
        query=request.url.query,
        routes=served_paths(request.app),
    )
    response = templates.TemplateResponse(request, name, data, status_code=status_code)
    set_common_cookies(response, ctx)
    return response


def set_common_cookies(response: Response, ctx: RequestContext) -> None:
    if ctx.new_csrf_cookie:
        set_csrf_cookie(response, ctx, ctx.csrf_token)


def set_csrf_cookie(response: Response, ctx: RequestContext, token: str) -> None:
    response.set_cookie(
        CSRF_COOKIE, token, httponly=True, samesite="strict", secure=ctx.settings.cookie_secure
    )


def set_session_cookies(response: Response, ctx: RequestContext, token: str, csrf: str) -> None:
    """A new session: its cookie and its own CSRF token (an earlier token stops working)."""
    response.set_cookie(
        SESSION_COOKIE, token, httponly=True, samesite="lax", secure=ctx.settings.cookie_secure
    )
    set_csrf_cookie(response, ctx, csrf)


def error_page(request: Request, status_code: int, exc: JcmError) -> HTMLResponse:
    from jcm.web.deps import get_context

    ctx = getattr(request.state, "ctx", None) or get_context(request)
    return render(request, ctx, "error.html", status_code=status_code, error=exc)


def _names(ctx: RequestContext) -> tuple[dict[str, Any], dict[str, Any]]:
    with ctx.db.read() as s:
        countries = {c.iso3: c for c in reference.countries(s)}
        techs = {t.code: t for t in reference.technologies(s)}
    return countries, techs


@router.get("/", response_class=HTMLResponse)
def home(request: Request, ctx: Ctx) -> HTMLResponse:
    with ctx.db.read() as s:
        by_country = projects.breakdown(s, "country")
        by_tech = projects.breakdown(s, "technology")
        by_year = projects.breakdown(s, "fiscal_year")
        by_status = projects.breakdown(s, "status")
        fy2022 = projects.breakdown(s, "fiscal_year", fiscal_year=2022)
        waiting = for_principal(s, ctx.principal)
    countries, techs = _names(ctx)
    lang = ctx.lang

    def chart(rows: list[projects.Breakdown], label: Any, title: str) -> str:
        return json.dumps(
            {
                "title": translate(lang, title),
                "x": [label(r.key) for r in rows],
                "y": [r.expected_reduction_tco2_per_year for r in rows],
                "ylabel": translate(lang, "Expected reductions (tCO2/y)"),
            },
            ensure_ascii=False,
        )

    def cname(k: str) -> str:
        c = countries.get(k)
        return pick(lang, c.name_en, c.name_ja) if c else k

    def tname(k: str) -> str:
        tc = techs.get(k)
        return pick(lang, tc.name_en, tc.name_ja) if tc else k

    return render(
        request,
        ctx,
        "home.html",
        totals={
            "projects": sum(r.projects for r in by_country),
            "reduction": sum(r.expected_reduction_tco2_per_year for r in by_country),
            "countries": len(by_country),
            "fy2022": fy2022[0] if fy2022 else None,
        },
        waiting=waiting,
        by_country=by_country,
        by_tech=by_tech,
        by_year=by_year,
        by_status=by_status,
        cname=cname,
        tname=tname,
        chart_country=chart(by_country, cname, "Expected reductions by country"),
        chart_tech=chart(by_tech, tname, "Expected reductions by technology"),
        chart_year=chart(by_year, str, "Expected reductions by fiscal year adopted"),
    )


@router.get("/projects", response_class=HTMLResponse)
def project_list(
    request: Request,
    ctx: Ctx,
    country: Annotated[str, Query(max_length=3)] = "",
    technology: Annotated[str, Query(max_length=40)] = "",
    status: Annotated[str, Query(max_length=20)] = "",
    fiscal_year: Annotated[str, Query(max_length=4)] = "",
    q: Annotated[str, Query(max_length=200)] = "",
    sort: Annotated[str, Query(max_length=30)] = "ref",
    desc: Annotated[str, Query(max_length=1)] = "",
    page: Annotated[int, Query(ge=1, le=100_000)] = 1,
) -> HTMLResponse:
    fy = int(fiscal_year) if fiscal_year.isdigit() else None
    st = status if status in {s.value for s in Status} else None
    query = projects.ProjectQuery(
        country or None,
        technology or None,
        st,
        fy,
        q or None,
        sort,
        desc == "1",
        PAGE_SIZE,
        (page - 1) * PAGE_SIZE,
    )
    with ctx.db.read() as s:
        items, total = projects.list_projects(s, query)
        years = projects.fiscal_years(s)
    countries, techs = _names(ctx)
    filters = {
        "country": country,
        "technology": technology,
        "status": status,
        "fiscal_year": fiscal_year,
        "q": q,
        "sort": sort,
        "desc": desc,
    }
    pages = max(1, -(-total // PAGE_SIZE))

    def page_url(n: int) -> str:
        return "/projects?" + urlencode({**{k: v for k, v in filters.items() if v}, "page": n})

    def sort_url(col: str) -> str:
        flip = "1" if sort == col and desc != "1" else ""
        return "/projects?" + urlencode(
            {
                **{k: v for k, v in filters.items() if v and k not in {"sort", "desc"}},
                "sort": col,
                **({"desc": flip} if flip else {}),
            }
        )

    return render(
        request,
        ctx,
        "projects.html",
        items=items,
        total=total,
        page=page,
        pages=pages,
        page_url=page_url,
        sort_url=sort_url,
        filters=filters,
        countries=[c for c in countries.values() if c.jcm_partner],
        all_countries=countries,
        techs=techs,
        statuses=list(Status),
        years=years,
    )


@router.get("/projects/{ref}", response_class=HTMLResponse)
def project_page(request: Request, ctx: Ctx, ref: str) -> HTMLResponse:
    with ctx.db.read() as s:
        detail = projects.project_detail(s, ref)
        linked = project_record.record(s, ref)
    countries, techs = _names(ctx)
    return render(
        request,
        ctx,
        "project.html",
        p=detail,
        linked=linked,
        country=countries.get(detail["partner_country"]),
        tech=techs.get(detail["technology"]),
        can_transition=may(ctx.principal, Action.PROJECT_TRANSITION),
    )


@router.post("/projects/{ref}/transition")
def project_transition(
    ctx: Ctx,
    ref: str,
    to: Annotated[Status, Form()],
    csrf_token: Annotated[str, Form()],
    reason: Annotated[str, Form(max_length=2000)] = "",
) -> RedirectResponse:
    check_csrf(ctx, csrf_token)
    with ctx.db.write() as s:
        projects.transition(s, ctx.audit, ctx.principal, ref, to, reason)
    return RedirectResponse(f"/projects/{ref.upper()}", status_code=303)


@router.get("/cities", response_class=HTMLResponse)
def cities(
    request: Request, ctx: Ctx, country: Annotated[str, Query(max_length=3)] = ""
) -> HTMLResponse:
    with ctx.db.read() as s:
        rows = city_pairs(s, country=country or None)
    return render(request, ctx, "cities.html", rows=rows, country=country)


@router.get("/login", response_class=HTMLResponse)
def login_form(request: Request, ctx: Ctx, next: str = "/") -> HTMLResponse:
    return render(
        request, ctx, "login.html", next=safe_next(next), error=None, username="", need_code=False
    )


def safe_next(target: str) -> str:
    ok = target.startswith("/") and not target.startswith(("//", "/\\"))
    return target if ok else "/"


@router.post("/login", response_model=None)
def login(
    request: Request,
    ctx: Ctx,
    username: Annotated[str, Form(max_length=60)],
    password: Annotated[str, Form(max_length=200)],
    csrf_token: Annotated[str, Form()],
    next: Annotated[str, Form(max_length=2000)] = "/",
    totp_code: Annotated[str, Form(max_length=10)] = "",
) -> Response:
    check_csrf(ctx, csrf_token)
    failure: JcmError | None = None
    with ctx.db.write() as s:
        try:
            user = auth.sign_in(s, username, password, totp_code, ctx.client)
        except (
            auth.SignInFailed,
            auth.SecondFactorNeeded,
            second_factor.CodeRejected,
            throttle.TooManyAttempts,
        ) as exc:
            failure = exc
        else:
            new = auth.start_session(s, ctx.audit, user)
            language = user.language
            enrol = second_factor.required_for(Role(user.role)) and not second_factor.enrolled(
                s, user.id
            )
    if failure is not None:
        return _login_failed(request, ctx, failure, username, next)
    target = safe_next(next)
    if enrol:
        target = "/account/totp?" + urlencode({"next": target})
    response = RedirectResponse(target, status_code=303)
    set_session_cookies(response, ctx, new.token, new.csrf_token)
    if LANG_COOKIE not in request.cookies:
        response.set_cookie(
            LANG_COOKIE,
            language,
            samesite="lax",
            secure=ctx.settings.cookie_secure,
            max_age=31_536_000,
        )
    return response


def _login_failed(
    request: Request, ctx: RequestContext, exc: JcmError, username: str, next: str
) -> Response:
    code = 429 if isinstance(exc, throttle.TooManyAttempts) else 401
    if not isinstance(exc, auth.SecondFactorNeeded):
        metrics.sign_in_failed(exc.code)
    response = render(
        request,
        ctx,
        "login.html",
        status_code=code,
        next=safe_next(next),
        error=exc,
        username=username,
        need_code=not isinstance(exc, auth.SignInFailed | throttle.TooManyAttempts),
    )
    return with_retry_after(response, exc)


@router.post("/logout")
def logout(request: Request, ctx: Ctx, csrf_token: Annotated[str, Form()]) -> RedirectResponse:
    check_csrf(ctx, csrf_token)
    token = request.cookies.get(SESSION_COOKIE)
    if token:
        with ctx.db.write() as s:
            auth.end_session(s, ctx.audit, token)
    response = RedirectResponse("/", status_code=303)
    response.delete_cookie(SESSION_COOKIE)
    response.delete_cookie(CSRF_COOKIE)
    return response


@router.get("/lang/{code}")
def set_language(ctx: Ctx, code: str, next: str = "/") -> RedirectResponse:
    """Remember the reader's language in a cookie (no server state changes)."""
    response = RedirectResponse(safe_next(next), status_code=303)
    if code in LANGUAGES:
        response.set_cookie(
            LANG_COOKIE, code, samesite="lax", secure=ctx.settings.cookie_secure, max_age=31_536_000
        )
    return response


@router.get("/static/vendor/plotly.min.js")
def plotly_js() -> FileResponse:
    """Plotly served from the installed package, so charts work without internet access."""
    path = files("plotly").joinpath("package_data", "plotly.min.js")
    return FileResponse(
        str(path), media_type="text/javascript", headers={"Cache-Control": "public, max-age=86400"}
    )
