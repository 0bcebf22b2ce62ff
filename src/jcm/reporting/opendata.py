"""Open-data datasets: public fields only, one schema each (see ``docs/open-data.md``)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from jcm.projects.models import Project
from jcm.reference.models import Organisation
from jcm.reporting.models import CreditSummary

PROJECT_COLUMNS = (
    "ref",
    "partner_country",
    "title_en",
    "title_ja",
    "technology",
    "capacity_mw",
    "representative_participant",
    "methodology_id",
    "expected_reduction_tco2_per_year",
    "fiscal_year",
    "programme",
    "latitude",
    "longitude",
    "status",
    "illustrative",
)
CREDIT_COLUMNS = ("project", "vintage", "issued", "cancelled", "retired")


def projects(session: Session) -> list[dict[str, Any]]:
    q = (
        select(Project, Organisation.name_en)
        .join(Organisation, Organisation.id == Project.representative_id)
        .order_by(Project.ref)
    )
    out = []
    for p, rep in session.execute(q):
        row: dict[str, Any] = {c: getattr(p, c, None) for c in PROJECT_COLUMNS}
        row["representative_participant"] = rep
        for c in ("capacity_mw", "latitude", "longitude"):
            row[c] = float(row[c]) if row[c] is not None else None
        out.append(row)
    return out


def credits(session: Session) -> list[dict[str, Any]]:
    q = (
        select(Project.ref, CreditSummary)
        .join(Project, Project.id == CreditSummary.project_id)
        .order_by(Project.ref, CreditSummary.vintage)
    )
    return [
        {
            "project": ref,
            "vintage": c.vintage,
            "issued": c.issued,
            "cancelled": c.cancelled,
            "retired": c.retired,
        }
        for ref, c in session.execute(q)
    ]


DATASETS = {"projects": (PROJECT_COLUMNS, projects), "credits": (CREDIT_COLUMNS, credits)}
