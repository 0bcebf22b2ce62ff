"""MRV questions the pages, the API and the registry ask: periods of a project, one period
with its calculation, findings and history, and the verified amounts open for issuance."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from jcm.errors import NotFound
from jcm.mrv import input_form
from jcm.mrv.factors import all_factors
from jcm.mrv.methodology import Methodology
from jcm.mrv.models import (
    Calculation,
    Finding,
    MonitoringPeriod,
    PeriodEvent,
    ProjectMethodology,
    TpeDesignation,
)
from jcm.mrv.periods import binding, bound_methodology, get_period, project_by_ref
from jcm.mrv.workflow import PeriodStatus
from jcm.projects.models import Project
from jcm.reference.models import Organisation

VERIFIED_STATES = (PeriodStatus.VERIFIED.value, PeriodStatus.ISSUANCE_REQUESTED.value)


@dataclass(frozen=True)
class VerifiedPeriod:
    """A verified monitoring period and the whole tonnes the registry may issue for it."""

    period_id: int
    project_ref: str
    start: date
    end: date
    verified_er: int
    status: str


def verified_periods(session: Session, project_ref: str | None = None) -> list[VerifiedPeriod]:
    """Periods with a positive opinion (including those whose issuance was requested)."""
    query = (
        select(MonitoringPeriod, Project.ref)
        .join(Project, Project.id == MonitoringPeriod.project_id)
        .where(MonitoringPeriod.status.in_(VERIFIED_STATES))
        .order_by(Project.ref, MonitoringPeriod.start)
    )
    if project_ref is not None:
        query = query.where(Project.ref == project_ref)
    return [
        VerifiedPeriod(p.id, ref, p.start, p.end, p.verified_er or 0, p.status)
        for p, ref in session.execute(query).all()
    ]


def verified_amount(session: Session, period_id: int) -> int:
    """The verified reduction of one period; 0 unless it has a positive opinion."""
    period = get_period(session, period_id)
    return (period.verified_er or 0) if period.status in VERIFIED_STATES else 0


def latest_calculation(session: Session, period_id: int) -> Calculation | None:
    return session.scalar(
        select(Calculation)
        .where(Calculation.period_id == period_id)
        .order_by(Calculation.id.desc())
        .limit(1)
    )


def get_calculation(session: Session, calc_id: int) -> Calculation:
    calc = session.get(Calculation, calc_id)
    if calc is None:
        raise NotFound("Calculation", calc_id, "計算")
    return calc


def file_encoding(c: Calculation) -> str | None:
    """The text encoding the monitoring CSV was read in (None for xlsx, Parquet)."""
    files = c.result.get("provenance", {}).get("input_files", [])
    found = [f.get("encoding") for f in files if f.get("sha256") == c.file_sha256]
    return found[-1] if found else None


def calculation_dict(c: Calculation) -> dict[str, Any]:
    return {
        "id": c.id,
        "period_id": c.period_id,
        "methodology": f"{c.methodology_id}:{c.methodology_version}",
        "emission_reductions_tco2": c.emission_reductions,
        "qa_issues": c.qa_issues,
        "file": {"name": c.file_name, "sha256": c.file_sha256, "size": c.file_size},
        "encoding": file_encoding(c),
        "result": c.result,
        "input": c.input_json,
        "daily": c.daily,
        "actor": c.actor,
        "created_at": c.created_at.isoformat(),
    }


def finding_dict(f: Finding) -> dict[str, Any]:
    return {
        "id": f.id,
        "kind": f.kind,
        "text": f.text,
        "response": f.response,
        "status": f.status,
        "raised_by": f.raised_by,
        "raised_at": f.raised_at.isoformat(),
    }


def period_dict(session: Session, p: MonitoringPeriod, ref: str) -> dict[str, Any]:
    tpe = session.get(Organisation, p.tpe_organisation_id) if p.tpe_organisation_id else None
    return {
        "id": p.id,
        "project_ref": ref,
        "start": p.start.isoformat(),
        "end": p.end.isoformat(),
        "status": p.status,
        "tpe": tpe.name_en if tpe else None,
        "tpe_ja": tpe.name_ja if tpe else None,
        "tpe_organisation_id": p.tpe_organisation_id,
        "claimed_er_tco2": p.claimed_er,
        "verified_er_tco2": p.verified_er,
        "opinion": p.opinion,
        "opinion_text": p.opinion_text,
    }


def project_periods(session: Session, ref: str) -> dict[str, Any]:
    """A project's methodology and monitoring periods, oldest first."""
    project = project_by_ref(session, ref)
    bound = binding(session, project.id)
    periods = session.scalars(
        select(MonitoringPeriod)
        .where(MonitoringPeriod.project_id == project.id)
        .order_by(MonitoringPeriod.start)
    ).all()
    return {
        "ref": project.ref,
        "title_en": project.title_en,
        "title_ja": project.title_ja,
        "representative_id": project.representative_id,
        "methodology": f"{bound.methodology_id}:{bound.methodology_version}" if bound else None,
        "periods": [period_dict(session, p, project.ref) for p in periods],
    }


def period_detail(session: Session, period_id: int) -> dict[str, Any]:
    """One period with its latest calculation, findings and history."""
    period = get_period(session, period_id)
    project = session.get_one(Project, period.project_id)
    calc = latest_calculation(session, period.id)
    findings = session.scalars(
        select(Finding).where(Finding.period_id == period.id).order_by(Finding.id)
    ).all()
    events = session.scalars(
        select(PeriodEvent).where(PeriodEvent.period_id == period.id).order_by(PeriodEvent.id)
    ).all()
    return period_dict(session, period, project.ref) | {
        "representative_id": project.representative_id,
        "project_title_en": project.title_en,
        "project_title_ja": project.title_ja,
        "calculation": calculation_dict(calc) if calc else None,
        "findings": [finding_dict(f) for f in findings],
        "history": [
            {
                "step": e.step,
                "from": e.from_status,
                "to": e.to_status,
                "actor": e.actor,
                "note": e.note,
                "at": e.at.isoformat(timespec="seconds"),
            }
            for e in events
        ],
    }


def tpe_organisations(session: Session) -> list[dict[str, Any]]:
    """Third-party entities with the sectoral scopes each is designated for."""
    rows = session.execute(
        select(Organisation, TpeDesignation.sectoral_scope)
        .join(TpeDesignation, TpeDesignation.organisation_id == Organisation.id)
        .order_by(Organisation.name_en, TpeDesignation.sectoral_scope)
    ).all()
    out: dict[int, dict[str, Any]] = {}
    for org, scope in rows:
        item = out.setdefault(
            org.id, {"name_en": org.name_en, "name_ja": org.name_ja, "scopes": []}
        )
        item["scopes"].append(scope)
    return list(out.values())


def bound_projects(session: Session) -> list[dict[str, Any]]:
    """Projects bound to a methodology, with how many monitoring periods each has."""
    rows = session.execute(
        select(Project, ProjectMethodology)
        .join(ProjectMethodology, ProjectMethodology.project_id == Project.id)
        .order_by(Project.ref)
    ).all()
    counts = dict(
        session.execute(
            select(MonitoringPeriod.project_id, func.count(MonitoringPeriod.id)).group_by(
                MonitoringPeriod.project_id
            )
        ).all()
    )
    return [
        {
            "ref": p.ref,
            "title_en": p.title_en,
            "title_ja": p.title_ja,
            "methodology": f"{b.methodology_id}:{b.methodology_version}",
            "periods": counts.get(p.id, 0),
        }
        for p, b in rows
    ]


@dataclass(frozen=True)
class InputForm:
    """The calculation form of one period: what to ask, for which methodology and dates."""

    spec: input_form.FormSpec
    methodology: Methodology
    project: str
    start: date
    end: date


def input_form_for(session: Session, period_id: int) -> InputForm | None:
    """The generated input form of a period, None when its project has no methodology."""
    period = get_period(session, period_id)
    project = session.get_one(Project, period.project_id)
    if binding(session, project.id) is None:
        return None
    methodology = bound_methodology(session, project)
    last = latest_calculation(session, period_id)
    if last is None:
        last = session.scalar(
            select(Calculation)
            .join(MonitoringPeriod, MonitoringPeriod.id == Calculation.period_id)
            .where(MonitoringPeriod.project_id == project.id)
            .order_by(Calculation.id.desc())
            .limit(1)
        )
    previous = last.input_json if last is not None else None
    form = input_form.spec(methodology, project.partner_country, list(all_factors()), previous)
    return InputForm(form, methodology, project.ref, period.start, period.end)
