"""Issuance input from MRV: the registry's verified period taken from a verified MRV period.

The amount is the MRV period's verified emission reductions; the period must be verified
or have its issuance requested. Recording the same MRV period again with the same decision
returns the row already recorded.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from sqlalchemy import and_, select
from sqlalchemy.orm import Session

from jcm.audit import Context, record
from jcm.errors import FieldProblem, ValidationFailed
from jcm.mrv.by_year import exact_reductions_by_year
from jcm.mrv.models import MonitoringPeriod
from jcm.mrv.service import VERIFIED_STATES
from jcm.registry import rules_vintage
from jcm.registry.errors import PeriodNotVerified, RegistryNotFound, VerifiedPeriodConflict
from jcm.registry.models import VerifiedPeriod
from jcm.registry.schemas import MAX_ID

# An MRV period and the registry's verified period recorded from it: same project and dates.
SAME_PERIOD = and_(
    MonitoringPeriod.project_id == VerifiedPeriod.project_id,
    MonitoringPeriod.start == VerifiedPeriod.period_start,
    MonitoringPeriod.end == VerifiedPeriod.period_end,
)


def _from_monitoring(session: Session, mrv: MonitoringPeriod) -> dict[str, int] | None:
    """The verified reductions of each year of a period that spans years, in proportion to
    the reductions its monitoring data gives each year (the engine run per year), or None
    (one year, no calculation, or nothing to split by: the issuance then splits by days)."""
    if mrv.verified_er is None or mrv.start.year == mrv.end.year:
        return None
    weights = exact_reductions_by_year(session, mrv)
    if not weights or sum(weights.values()) <= 0:
        return None
    years = rules_vintage.days_by_year(mrv.start, mrv.end)
    parts = rules_vintage.split_by_year(
        mrv.verified_er, {y: weights.get(y, Decimal(0)) for y in years}
    )
    return {str(y): parts.get(y, 0) for y in sorted(years)}


def record_verified_period_from_mrv(
    session: Session,
    ctx: Context,
    mrv_period_id: int,
    jc_decision_ref: str | None,
    jc_decision_date: date | None,
    reductions_by_year: dict[str, int] | None = None,
) -> VerifiedPeriod:
    """Create the registry's verified period for MRV period ``mrv_period_id`` (in the caller's
    transaction), refusing a period that is not verified, or reductions by year that do not
    fit it."""
    if isinstance(mrv_period_id, bool) or not 1 <= mrv_period_id <= MAX_ID:
        raise RegistryNotFound("Monitoring period", mrv_period_id, "モニタリング期間")
    mrv = session.scalar(
        select(MonitoringPeriod).where(MonitoringPeriod.id == mrv_period_id).with_for_update()
    )
    if mrv is None:
        raise RegistryNotFound("Monitoring period", mrv_period_id, "モニタリング期間")
    if mrv.status not in VERIFIED_STATES or mrv.verified_er is None or mrv.verified_er < 0:
        raise PeriodNotVerified(mrv.id, mrv.status)
    existing = session.scalar(
        select(VerifiedPeriod).where(
            VerifiedPeriod.project_id == mrv.project_id,
            VerifiedPeriod.period_start == mrv.start,
            VerifiedPeriod.period_end == mrv.end,
        )
    )
    source = "verification report" if reductions_by_year is not None else None
    if reductions_by_year is None:
        reductions_by_year = _from_monitoring(session, mrv)
        source = "monitoring data" if reductions_by_year is not None else None
    if reductions_by_year is not None:
        problem = rules_vintage.reductions_problem(
            mrv.start, mrv.end, mrv.verified_er, reductions_by_year
        )
        if problem is not None:
            raise ValidationFailed.of([FieldProblem("reductions_by_year", *problem)])
    if existing is not None:
        same = (
            existing.verified_tco2 == mrv.verified_er
            and existing.jc_decision_ref == jc_decision_ref
            and existing.jc_decision_date == jc_decision_date
            and existing.reductions_by_year == reductions_by_year
        )
        if not same:
            raise VerifiedPeriodConflict(existing.id)
        return existing
    period = VerifiedPeriod(
        project_id=mrv.project_id,
        period_start=mrv.start,
        period_end=mrv.end,
        verified_tco2=mrv.verified_er,
        jc_decision_ref=jc_decision_ref,
        jc_decision_date=jc_decision_date,
        reductions_by_year=reductions_by_year,
    )
    session.add(period)
    session.flush()
    record(
        session,
        ctx,
        "registry.verified_period",
        "registry_verified_period",
        period.id,
        after={
            "mrv_period_id": mrv.id,
            "period_start": mrv.start.isoformat(),
            "period_end": mrv.end.isoformat(),
            "verified_tco2": mrv.verified_er,
            "jc_decision_ref": jc_decision_ref,
            "jc_decision_date": jc_decision_date.isoformat() if jc_decision_date else None,
            "reductions_by_year": reductions_by_year,
            "reductions_by_year_from": source,
        },
    )
    return period
