"""Load and query reference data."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from jcm.errors import FieldProblem, NotFound, ValidationFailed
from jcm.reference import rules
from jcm.reference.models import Country, Organisation, Technology


def sync_reference_data(session: Session) -> None:
    """Insert or update the shipped countries and technology categories."""
    have_c = {c.iso3: c for c in session.scalars(select(Country))}
    for row in rules.countries():
        c = have_c.get(row.iso3) or Country(iso3=row.iso3)
        c.iso2, c.name_en, c.name_ja = row.iso2, row.name_en, row.name_ja
        c.jcm_partner, c.partner_order, c.signed_year = (
            row.jcm_partner,
            row.partner_order,
            row.signed_year,
        )
        session.add(c)
    have_t = {t.code: t for t in session.scalars(select(Technology))}
    for trow in rules.technologies():
        t = have_t.get(trow.code) or Technology(code=trow.code)
        t.name_en, t.name_ja, t.category, t.sectoral_scope = (
            trow.name_en,
            trow.name_ja,
            trow.category,
            trow.sectoral_scope,
        )
        session.add(t)
    session.flush()


def countries(session: Session, *, partners_only: bool = False) -> list[Country]:
    q = select(Country).order_by(
        Country.partner_order.is_(None), Country.partner_order, Country.iso3
    )
    if partners_only:
        q = q.where(Country.jcm_partner.is_(True))
    return list(session.scalars(q))


def technologies(session: Session) -> list[Technology]:
    return list(session.scalars(select(Technology).order_by(Technology.category, Technology.code)))


def get_country(session: Session, iso3: str) -> Country:
    c = session.get(Country, iso3.upper())
    if c is None:
        raise NotFound("Country", iso3, "国")
    return c


def organisation_named(session: Session, name_en: str) -> Organisation | None:
    return session.scalar(select(Organisation).where(Organisation.name_en == name_en))


def ensure_organisation(
    session: Session, name_en: str, name_ja: str, kind: str, country_iso3: str
) -> Organisation:
    """The organisation with this English name, created if it does not exist yet."""
    org = organisation_named(session, name_en)
    if org is not None:
        return org
    if kind not in rules.ORGANISATION_KINDS:
        raise ValidationFailed.of(
            [
                FieldProblem(
                    "kind", f"Unknown organisation kind '{kind}'.", f"不明な組織種別「{kind}」。"
                )
            ]
        )
    org = Organisation(
        name_en=name_en, name_ja=name_ja or name_en, kind=kind, country_iso3=country_iso3
    )
    session.add(org)
    session.flush()
    return org


def organisations(session: Session) -> list[Organisation]:
    return list(session.scalars(select(Organisation).order_by(Organisation.name_en)))
