"""A project's public record across features, for its page: the subsidy application it came
from (and where it stands), its monitoring periods with their reductions, and the credits
issued for it — each linked to the page that holds the detail. Read only."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from jcm.mrv.models import MonitoringPeriod
from jcm.projects.models import Project
from jcm.registry import public
from jcm.registry.models import Issuance, VerifiedPeriod
from jcm.subsidy.models import SubsidyApplication


def record(session: Session, ref: str) -> dict[str, Any]:
    project = session.scalar(select(Project).where(Project.ref == ref.upper()))
    if project is None:
        return {"applications": [], "periods": [], "issuances": []}
    applications = [
        {"ref": a.ref, "call": a.call, "status": a.status}
        for a in session.scalars(
            select(SubsidyApplication)
            .where(SubsidyApplication.project_ref == project.ref)
            .order_by(SubsidyApplication.id)
        )
    ]
    periods = [
        {
            "id": p.id,
            "start": p.start,
            "end": p.end,
            "status": p.status,
            "claimed": p.claimed_er,
            "verified": p.verified_er,
        }
        for p in session.scalars(
            select(MonitoringPeriod)
            .where(MonitoringPeriod.project_id == project.id)
            .order_by(MonitoringPeriod.start, MonitoringPeriod.id)
        )
    ]
    issued = session.execute(
        select(Issuance, VerifiedPeriod.period_start, VerifiedPeriod.period_end)
        .join(VerifiedPeriod, VerifiedPeriod.id == Issuance.verified_period_id)
        .where(Issuance.project_id == project.id)
        .order_by(VerifiedPeriod.period_start, Issuance.id)
    ).all()
    issuances = [_issuance(session, i, start, end) for i, start, end in issued]
    return {"applications": applications, "periods": periods, "issuances": issuances}


def _issuance(session: Session, issuance: Issuance, start: date, end: date) -> dict[str, Any]:
    return {**public.issuance_summary(session, issuance), "start": start, "end": end}
