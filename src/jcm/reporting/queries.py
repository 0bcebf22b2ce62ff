"""The dashboards' questions, each one aggregate query over the register, MRV and the
credit summary (never over the credit blocks themselves)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from jcm.cities.models import CityPair
from jcm.mrv.models import MonitoringPeriod
from jcm.projects.models import Project
from jcm.reference.models import Country
from jcm.reporting.models import CreditSummary, ProjectFacts
from jcm.subsidy.models import SubsidyApplication

DIMENSIONS = ("country", "technology", "fiscal_year", "vintage")
PIPELINE_STATUSES = (
    "adopted",
    "under_construction",
    "validated",
    "registered",
    "monitoring",
    "credited",
)


@dataclass(frozen=True)
class ReductionRow:
    key: str
    projects: int
    expected: int
    verified: int
    issued: int
    cancelled: int
    retired: int


def _column(dim: str) -> Any:
    columns: dict[str, Any] = {
        "country": ProjectFacts.country,
        "technology": ProjectFacts.technology,
        "fiscal_year": ProjectFacts.fiscal_year,
    }
    return columns[dim]


def status_counts(session: Session) -> dict[str, int]:
    rows = session.execute(select(Project.status, func.count()).group_by(Project.status))
    return {status: int(n) for status, n in rows}


def reductions_by(session: Session, dim: str) -> list[ReductionRow]:
    """Expected (tCO2/y), verified, issued, cancelled and retired tCO2 per value of ``dim``
    (one pass over the per-project facts)."""
    if dim == "vintage":
        return _reductions_by_vintage(session)
    col = _column(dim)
    f = ProjectFacts
    rows = session.execute(
        select(
            col,
            func.count(),
            func.sum(f.expected),
            func.sum(f.verified),
            func.sum(f.issued),
            func.sum(f.cancelled),
            func.sum(f.retired),
        ).group_by(col)
    )
    out = [
        ReductionRow(str(k), int(n), *(int(x or 0) for x in (e, v, i, c, r)))
        for k, n, e, v, i, c, r in rows
    ]
    return sorted(out, key=lambda row: row.key)


def _reductions_by_vintage(session: Session) -> list[ReductionRow]:
    year = func.extract("year", MonitoringPeriod.end)
    verified = {
        int(y): int(v or 0)
        for y, v in session.execute(
            select(year, func.sum(MonitoringPeriod.verified_er))
            .where(MonitoringPeriod.verified_er.is_not(None))
            .group_by(year)
        )
    }
    credits = {
        int(v): (int(p), int(i or 0), int(c or 0), int(r or 0))
        for v, p, i, c, r in session.execute(
            select(
                CreditSummary.vintage,
                func.count(func.distinct(CreditSummary.project_id)),
                func.sum(CreditSummary.issued),
                func.sum(CreditSummary.cancelled),
                func.sum(CreditSummary.retired),
            ).group_by(CreditSummary.vintage)
        )
    }
    years = sorted(set(verified) | set(credits))
    return [
        ReductionRow(
            str(y),
            credits.get(y, (0,))[0],
            0,
            verified.get(y, 0),
            *credits.get(y, (0, 0, 0, 0))[1:],
        )
        for y in years
    ]


def issued_by_vintage(session: Session) -> dict[int, int]:
    rows = session.execute(
        select(CreditSummary.vintage, func.sum(CreditSummary.issued)).group_by(
            CreditSummary.vintage
        )
    )
    return {int(v): int(n or 0) for v, n in rows}


def pipeline_groups(session: Session) -> list[tuple[int, int, int | None]]:
    """Adopted-or-later projects grouped by (fiscal year adopted, last vintage issued):
    summed expected tCO2/y, so the forecast loops over groups, not projects."""
    f = ProjectFacts
    rows = session.execute(
        select(f.fiscal_year, f.last_vintage, func.sum(f.expected))
        .where(f.status.in_(PIPELINE_STATUSES))
        .group_by(f.fiscal_year, f.last_vintage)
    )
    return [(int(fy), int(e or 0), int(v) if v is not None else None) for fy, v, e in rows]


def verification_history(session: Session) -> tuple[int, int]:
    """Verified tCO2 and the expected tCO2 of the same periods (pro rata of days)."""
    f = ProjectFacts
    verified, expected = session.execute(
        select(func.sum(f.verified), func.sum(f.expected * f.verified_days / 365.0)).where(
            f.verified_days > 0
        )
    ).one()
    return int(verified or 0), int(expected or 0)


def partner_signed_years(session: Session) -> list[tuple[str, str, str, int]]:
    rows = session.execute(
        select(Country.iso3, Country.name_en, Country.name_ja, Country.signed_year)
        .where(Country.jcm_partner.is_(True), Country.signed_year.is_not(None))
        .order_by(Country.signed_year, Country.partner_order)
    )
    return [(iso3, en, ja, int(y or 0)) for iso3, en, ja, y in rows]


def subsidy_by_technology(session: Session) -> list[tuple[str, int, int, int]]:
    """(technology, applications, requested yen, expected tCO2/y of the linked projects)."""
    rows = session.execute(
        select(
            SubsidyApplication.technology,
            func.count(),
            func.sum(SubsidyApplication.requested_subsidy_jpy),
            func.sum(Project.expected_reduction_tco2_per_year),
        )
        .outerjoin(Project, Project.ref == SubsidyApplication.project_ref)
        .group_by(SubsidyApplication.technology)
        .order_by(SubsidyApplication.technology)
    )
    return [(t, int(n), int(y or 0), int(e or 0)) for t, n, y, e in rows]


MapRow = tuple[str, str, str, str, str, str, int, float, float]


def mapped_projects(session: Session, limit: int = 5000) -> list[MapRow]:
    """The largest located projects as plain tuples: ref, English and Japanese title,
    country, technology, status, expected tCO2/y, latitude and longitude (4 decimals).
    Read through Core (no ORM row processing), only the columns the map draws."""
    stmt = (
        select(
            Project.ref,
            Project.title_en,
            Project.title_ja,
            Project.partner_country,
            Project.technology,
            Project.status,
            Project.expected_reduction_tco2_per_year,
            Project.latitude,
            Project.longitude,
        )
        .where(Project.latitude.is_not(None), Project.longitude.is_not(None))
        .order_by(Project.expected_reduction_tco2_per_year.desc(), Project.ref)
        .limit(limit)
    )
    return [
        (
            ref,
            en,
            ja or "",
            c,
            t,
            st,
            int(e or 0),
            round(float(la or 0), 4),
            round(float(lo or 0), 4),
        )
        for ref, en, ja, c, t, st, e, la, lo in session.connection().execute(stmt).all()
    ]


def city_links(session: Session) -> list[dict[str, Any]]:
    rows = session.execute(
        select(
            CityPair.japanese_municipality_en,
            CityPair.japanese_municipality_ja,
            CityPair.partner_city_en,
            CityPair.partner_city_ja,
            CityPair.country_iso3,
            func.count(),
            func.min(CityPair.fiscal_year),
            func.max(CityPair.fiscal_year),
        )
        .group_by(
            CityPair.japanese_municipality_en,
            CityPair.japanese_municipality_ja,
            CityPair.partner_city_en,
            CityPair.partner_city_ja,
            CityPair.country_iso3,
        )
        .order_by(CityPair.japanese_municipality_en, CityPair.partner_city_en)
    )
    keys = ("muni_en", "muni_ja", "city_en", "city_ja", "country", "years", "first", "last")
    return [dict(zip(keys, r, strict=True)) for r in rows]
