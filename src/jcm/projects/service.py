"""Project use cases: create, update, move through the life cycle, search."""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum
from typing import Any

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from jcm import audit
from jcm.auth.rules import Action, Principal, require
from jcm.db import utcnow
from jcm.errors import FieldProblem, NotFound, ValidationFailed
from jcm.projects import rules
from jcm.projects.models import Project, ProjectMember, StatusEvent
from jcm.projects.schemas import ProjectIn, ProjectPatch
from jcm.reference.models import Country, Organisation, Technology
from jcm.reference.service import ensure_organisation

SORTS = {
    "ref": Project.ref,
    "fiscal_year": Project.fiscal_year,
    "expected_reduction": Project.expected_reduction_tco2_per_year,
    "country": Project.partner_country,
    "status": Project.status,
}


@dataclass(frozen=True)
class ProjectQuery:
    country: str | None = None
    technology: str | None = None
    status: str | None = None
    fiscal_year: int | None = None
    q: str | None = None
    sort: str = "ref"
    descending: bool = False
    limit: int = 50
    offset: int = 0


def search_text(p: ProjectIn | Project, rep_en: str, rep_ja: str) -> str:
    """Lower-cased text in both languages that the list's search box matches."""
    parts = [p.ref, p.title_en, p.title_ja, rep_en, rep_ja, p.technology, p.partner_country]
    return " ".join(x for x in parts if x).lower()


def item(p: Project, rep: Organisation) -> dict[str, Any]:
    """The one JSON shape of a project shared by the API, the CLI and exports."""
    return {
        "ref": p.ref,
        "partner_country": p.partner_country,
        "title_en": p.title_en,
        "title_ja": p.title_ja,
        "technology": p.technology,
        "capacity_mw": str(p.capacity_mw) if p.capacity_mw is not None else None,
        "representative_participant": rep.name_en,
        "representative_participant_ja": rep.name_ja,
        "methodology_id": p.methodology_id,
        "expected_reduction_tco2_per_year": p.expected_reduction_tco2_per_year,
        "fiscal_year": p.fiscal_year,
        "programme": p.programme,
        "latitude": str(p.latitude) if p.latitude is not None else None,
        "longitude": str(p.longitude) if p.longitude is not None else None,
        "status": p.status,
        "illustrative": p.illustrative,
    }


def validate_references(
    data: ProjectIn, countries: dict[str, str], technologies: set[str]
) -> list[FieldProblem]:
    """Checks that need the reference tables: ``countries`` maps ISO3 to ISO2."""
    problems: list[FieldProblem] = []
    iso2 = countries.get(data.partner_country)
    if iso2 is None:
        problems.append(
            FieldProblem(
                "partner_country",
                f"Unknown country code '{data.partner_country}' (ISO 3166 alpha-3).",
                f"不明な国コード「{data.partner_country}」（ISO 3166 alpha-3）。",
            )
        )
    if data.technology not in technologies:
        problems.append(
            FieldProblem(
                "technology",
                f"Unknown technology '{data.technology}'.",
                f"不明な技術区分「{data.technology}」。",
            )
        )
    problems += rules.check_ref(data.ref, iso2)
    return problems


def reference_maps(session: Session) -> tuple[dict[str, str], set[str]]:
    countries = dict(session.execute(select(Country.iso3, Country.iso2)).all())
    return countries, set(session.scalars(select(Technology.code)))


def create_project(
    session: Session, ctx: audit.Context, principal: Principal | None, data: ProjectIn
) -> Project:
    countries, techs = reference_maps(session)
    problems = validate_references(data, countries, techs)
    if session.scalar(select(Project.id).where(Project.ref == data.ref)) is not None:
        problems.append(
            FieldProblem(
                "ref",
                f"Project {data.ref} already exists.",
                f"プロジェクト {data.ref} は既に存在します。",
            )
        )
    if problems:
        raise ValidationFailed.of(problems)
    rep = ensure_organisation(
        session,
        data.representative_participant,
        data.representative_participant_ja,
        "company",
        "JPN",
    )
    require(principal, Action.PROJECT_CREATE, owner_organisation_id=rep.id)
    project = _new_project(data, rep)
    for name in data.members:
        org = ensure_organisation(session, name, name, "company", data.partner_country)
        project.members.append(ProjectMember(organisation_id=org.id))
    project.history.append(
        StatusEvent(
            from_status=None, to_status=data.status.value, actor=ctx.actor, reason="created"
        )
    )
    session.add(project)
    session.flush()
    audit.record(session, ctx, "project.create", "project", data.ref, after=item(project, rep))
    return project


def _new_project(data: ProjectIn, rep: Organisation) -> Project:
    return Project(
        ref=data.ref,
        partner_country=data.partner_country,
        title_en=data.title_en,
        title_ja=data.title_ja,
        technology=data.technology,
        capacity_mw=data.capacity_mw,
        representative_id=rep.id,
        methodology_id=data.methodology_id,
        expected_reduction_tco2_per_year=data.expected_reduction_tco2_per_year,
        fiscal_year=data.fiscal_year,
        programme=data.programme.value,
        latitude=data.latitude,
        longitude=data.longitude,
        status=data.status.value,
        illustrative=data.illustrative,
        search_text=search_text(data, rep.name_en, rep.name_ja),
        members=[],
        history=[],
    )


def _load(session: Session, ref: str, *, lock: bool = False) -> tuple[Project, Organisation]:
    q = (
        select(Project, Organisation)
        .join(Organisation, Organisation.id == Project.representative_id)
        .where(Project.ref == ref.upper())
    )
    if lock:
        q = q.with_for_update(of=Project)
    row = session.execute(q).first()
    if row is None:
        raise NotFound("Project", ref, "プロジェクト")
    return row


def update_project(
    session: Session, ctx: audit.Context, principal: Principal | None, ref: str, patch: ProjectPatch
) -> Project:
    project, rep = _load(session, ref, lock=True)
    require(principal, Action.PROJECT_UPDATE, owner_organisation_id=rep.id)
    before = item(project, rep)
    changes = patch.model_dump(exclude_unset=True)
    if "technology" in changes:
        _, techs = reference_maps(session)
        if changes["technology"] not in techs:
            raise ValidationFailed.of(
                [FieldProblem("technology", "Unknown technology.", "不明な技術区分です。")]
            )
    for key, value in changes.items():
        setattr(project, key, value.value if isinstance(value, Enum) else value)
    project.search_text = search_text(project, rep.name_en, rep.name_ja)
    project.updated_at = utcnow()
    session.flush()
    audit.record(
        session,
        ctx,
        "project.update",
        "project",
        project.ref,
        before=before,
        after=item(project, rep),
    )
    return project


def transition(
    session: Session,
    ctx: audit.Context,
    principal: Principal | None,
    ref: str,
    target: rules.Status,
    reason: str,
) -> Project:
    """Move a project one step along its life cycle (or withdraw it), recording why."""
    require(principal, Action.PROJECT_TRANSITION)
    project, rep = _load(session, ref, lock=True)
    current = rules.Status(project.status)
    rules.check_transition(current, target)
    project.status = target.value
    project.updated_at = utcnow()
    session.add(
        StatusEvent(
            project_id=project.id,
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
        "project.transition",
        "project",
        project.ref,
        before={"status": current.value},
        after={"status": target.value, "reason": reason},
    )
    return project


def _filtered(query: ProjectQuery) -> Select[Project, Organisation]:
    q = select(Project, Organisation).join(
        Organisation, Organisation.id == Project.representative_id
    )
    if query.country:
        q = q.where(Project.partner_country == query.country.upper())
    if query.technology:
        q = q.where(Project.technology == query.technology)
    if query.status:
        q = q.where(Project.status == query.status)
    if query.fiscal_year:
        q = q.where(Project.fiscal_year == query.fiscal_year)
    if query.q:
        words = query.q.lower().split()
        q = q.where(*[Project.search_text.contains(w, autoescape=True) for w in words])
    return q


def list_projects(session: Session, query: ProjectQuery) -> tuple[list[dict[str, Any]], int]:
    """One page of projects matching the filters, and how many match in all."""
    base = _filtered(query)
    total = session.scalar(select(func.count()).select_from(base.subquery())) or 0
    col = SORTS.get(query.sort, Project.ref)
    first = col.desc() if query.descending else col.asc()
    rows = session.execute(
        base.order_by(first, Project.ref.asc()).limit(query.limit).offset(query.offset)
    )
    return [item(p, rep) for p, rep in rows], total


def project_detail(session: Session, ref: str) -> dict[str, Any]:
    project, rep = _load(session, ref)
    members = session.scalars(
        select(Organisation)
        .join(ProjectMember, ProjectMember.organisation_id == Organisation.id)
        .where(ProjectMember.project_id == project.id)
        .order_by(ProjectMember.id)
    ).all()
    history = session.scalars(
        select(StatusEvent).where(StatusEvent.project_id == project.id).order_by(StatusEvent.id)
    ).all()
    out = item(project, rep)
    out["members"] = [
        {"name_en": m.name_en, "name_ja": m.name_ja, "country": m.country_iso3} for m in members
    ]
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
    out["allowed_next"] = [s.value for s in rules.allowed_next(rules.Status(project.status))]
    return out


def representative_of(session: Session, ref: str) -> int:
    project, _ = _load(session, ref)
    return project.representative_id


@dataclass(frozen=True)
class Breakdown:
    key: str
    projects: int
    expected_reduction_tco2_per_year: int


def breakdown(session: Session, by: str, *, fiscal_year: int | None = None) -> list[Breakdown]:
    """Projects and expected reductions grouped by country, technology, fiscal year or status."""
    col = {
        "country": Project.partner_country,
        "technology": Project.technology,
        "fiscal_year": Project.fiscal_year,
        "status": Project.status,
    }[by]
    q = select(
        col, func.count(), func.coalesce(func.sum(Project.expected_reduction_tco2_per_year), 0)
    )
    q = q.where(Project.status != rules.Status.WITHDRAWN.value)
    if fiscal_year:
        q = q.where(Project.fiscal_year == fiscal_year)
    rows = session.execute(q.group_by(col).order_by(col)).all()
    return [Breakdown(str(k), int(n), int(s)) for k, n, s in rows]


def fiscal_years(session: Session) -> list[int]:
    return list(
        session.scalars(select(Project.fiscal_year).distinct().order_by(Project.fiscal_year))
    )
