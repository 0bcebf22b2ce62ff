"""JSON API under /api/v1: thin routes over the services."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, status

from jcm.cities.service import city_pairs
from jcm.projects import service as projects
from jcm.projects.rules import Status
from jcm.projects.schemas import ProjectIn, ProjectPage, ProjectPatch, TransitionIn
from jcm.reference import service as reference
from jcm.web.deps import MAX_ROW_ID, Ctx
from jcm.web.problems import PROBLEM_RESPONSES

router = APIRouter(prefix="/api/v1", tags=["api"], responses=PROBLEM_RESPONSES)

ISO3 = Annotated[str | None, Query(min_length=3, max_length=3, description="ISO 3166 alpha-3")]


@router.get("/projects", response_model=ProjectPage)
def list_projects(
    ctx: Ctx,
    country: ISO3 = None,
    technology: Annotated[str | None, Query(max_length=40)] = None,
    status_: Annotated[Status | None, Query(alias="status")] = None,
    fiscal_year: Annotated[int | None, Query(ge=2000, le=2100)] = None,
    q: Annotated[str | None, Query(max_length=200)] = None,
    sort: Annotated[
        str, Query(pattern="^(ref|fiscal_year|expected_reduction|country|status)$")
    ] = "ref",
    desc: bool = False,
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
    offset: Annotated[int, Query(ge=0, le=MAX_ROW_ID)] = 0,
) -> dict[str, Any]:
    """Projects matching the filters, one page at a time."""
    query = projects.ProjectQuery(
        country,
        technology,
        status_.value if status_ else None,
        fiscal_year,
        q,
        sort,
        desc,
        limit,
        offset,
    )
    with ctx.db.read() as s:
        items, total = projects.list_projects(s, query)
    return {"items": items, "total": total}


@router.get("/projects/{ref}")
def get_project(ctx: Ctx, ref: str) -> dict[str, Any]:
    with ctx.db.read() as s:
        return projects.project_detail(s, ref)


@router.post("/projects", status_code=status.HTTP_201_CREATED)
def create_project(ctx: Ctx, body: ProjectIn) -> dict[str, Any]:
    with ctx.db.write() as s:
        p = projects.create_project(s, ctx.audit, ctx.principal, body)
        return projects.project_detail(s, p.ref)


@router.patch("/projects/{ref}")
def update_project(ctx: Ctx, ref: str, body: ProjectPatch) -> dict[str, Any]:
    with ctx.db.write() as s:
        p = projects.update_project(s, ctx.audit, ctx.principal, ref, body)
        return projects.project_detail(s, p.ref)


@router.post("/projects/{ref}/transitions")
def transition_project(ctx: Ctx, ref: str, body: TransitionIn) -> dict[str, Any]:
    with ctx.db.write() as s:
        p = projects.transition(s, ctx.audit, ctx.principal, ref, body.to, body.reason)
        return projects.project_detail(s, p.ref)


@router.get("/countries")
def list_countries(ctx: Ctx, partners_only: bool = False) -> list[dict[str, Any]]:
    with ctx.db.read() as s:
        return [
            {
                "iso3": c.iso3,
                "iso2": c.iso2,
                "name_en": c.name_en,
                "name_ja": c.name_ja,
                "jcm_partner": c.jcm_partner,
                "signed_year": c.signed_year,
            }
            for c in reference.countries(s, partners_only=partners_only)
        ]


@router.get("/technologies")
def list_technologies(ctx: Ctx) -> list[dict[str, Any]]:
    with ctx.db.read() as s:
        return [
            {"code": t.code, "name_en": t.name_en, "name_ja": t.name_ja, "category": t.category}
            for t in reference.technologies(s)
        ]


@router.get("/city-pairs")
def list_city_pairs(
    ctx: Ctx,
    country: ISO3 = None,
    fiscal_year: Annotated[int | None, Query(ge=2000, le=2100)] = None,
) -> list[dict[str, Any]]:
    with ctx.db.read() as s:
        return city_pairs(s, country=country, fiscal_year=fiscal_year)
