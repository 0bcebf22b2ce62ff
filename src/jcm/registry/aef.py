"""Article 6.2 annual report, read from the registry: the rows of the AEF tables for one
Party and year (Table 2 Authorizations, Table 3 Actions, Table 4 Holdings, Table 5 Auth.
entities). The workbook itself is written by ``jcm.registry.aef_workbook``."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, date, datetime

from sqlalchemy import and_, func, select
from sqlalchemy.orm import Session

from jcm.projects.models import Project
from jcm.reference.models import Organisation, Technology
from jcm.registry import invariants, rules_itmo
from jcm.registry.models import (
    Account,
    AllocationShare,
    Authorisation,
    FirstTransfer,
    Issuance,
    Movement,
    Registry,
    RegistryTransaction,
    VerifiedPeriod,
)
from jcm.registry.rules_aef import (
    Action,
    AuthorisationFacts,
    Units,
    action_of,
    action_row,
    authorisation_row,
    entity_row,
    first_transfer_action,
    holding_row,
    sector,
)
from jcm.registry.units import UnitNamer

Row = dict[str, object]


@dataclass(frozen=True)
class _RegistryInfo:
    code: str
    party: str
    itmo_registry_id: str
    approach: str
    name: str


@dataclass(frozen=True)
class _IssuanceInfo:
    auth: Authorisation
    partner: str
    scope: int
    activity: str
    vintage: int


class _Context:
    """Per-export lookups: issuances' authorisation and technology, registries, origins."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self.namer = UnitNamer(session)
        self.registries = {
            r.id: _RegistryInfo(
                r.code,
                r.country_iso3,
                r.itmo_registry_id or "",
                r.cooperative_approach_id or "",
                r.name_en,
            )
            for r in session.scalars(select(Registry))
        }
        self.approach_of_party = {r.party: r.approach for r in self.registries.values()}
        self.issuances: dict[int, _IssuanceInfo] = {}
        q = (
            select(
                Issuance.id, Authorisation, Project.partner_country, Technology, Issuance.vintage
            )
            .join(Authorisation, Authorisation.id == Issuance.authorisation_id)
            .join(Project, Project.id == Issuance.project_id)
            .join(Technology, Technology.code == Project.technology)
        )
        for issuance_id, auth, partner, tech, vintage in session.execute(q):
            self.issuances[issuance_id] = _IssuanceInfo(
                auth, partner, tech.sectoral_scope, tech.name_en, vintage
            )
        self.party: dict[int, str] = {
            a: p
            for a, p in session.execute(
                select(Account.id, Registry.country_iso3).join(
                    Registry, Registry.id == Account.registry_id
                )
            )
        }
        self.account_no: dict[int, str] = {
            i: n for i, n in session.execute(select(Account.id, Account.number))
        }
        self.origins: dict[int, list[tuple[int, int, int]]] = defaultdict(list)
        for iss, start, end, reg in session.execute(
            select(
                Movement.issuance_id,
                Movement.serial_start,
                Movement.serial_end,
                Account.registry_id,
            )
            .join(Account, Account.id == Movement.to_account_id)
            .where(Movement.from_account_id.is_(None))
        ):
            self.origins[iss].append((start, end, reg))

    def units(self, issuance_id: int, start: int, end: int) -> Units:
        info = self.issuances[issuance_id]
        origin = next(r for s, e, r in self.origins[issuance_id] if s <= start <= e)
        reg = self.registries[origin]
        approach = self.approach_of_party.get(info.partner, "")
        party = info.auth.party_iso3
        first_itmo = last_itmo = ""
        if approach and reg.itmo_registry_id:
            first_itmo, last_itmo = rules_itmo.itmo_range(
                approach, reg.itmo_registry_id, party, issuance_id, start, end, info.vintage
            )
        return Units(
            approach=approach,
            authorisation=info.auth.ref,
            first_transferring_party=party,
            registry=reg.itmo_registry_id,
            first_itmo=first_itmo,
            last_itmo=last_itmo,
            underlying_registry=reg.name,
            first=self.namer.unit(issuance_id, origin, start),
            last=self.namer.unit(issuance_id, origin, end),
            vintage=info.vintage,
            sector=sector(info.scope),
            activity=info.activity,
            authorised_use=info.auth.authorised_use,
            first_transfer_definition=info.auth.first_transfer_definition,
            quantity=end - start + 1,
        )


def year_bounds(year: int) -> tuple[datetime, datetime]:
    return datetime(year, 1, 1, tzinfo=UTC), datetime(year + 1, 1, 1, tzinfo=UTC)


def actions(session: Session, year: int, *, party: str | None = None) -> list[Row]:
    """Table 3: every reportable action on authorised units in the calendar year, as
    reported by ``party`` (every Party's when None)."""
    ctx, (start, end) = _Context(session), year_bounds(year)
    rows: list[tuple[str, Row]] = []
    ft = select(FirstTransfer).where(FirstTransfer.at >= start, FirstTransfer.at < end)
    for f in session.scalars(ft.order_by(FirstTransfer.id)):
        units = ctx.units(f.issuance_id, f.serial_start, f.serial_end)
        action = first_transfer_action(units.first_transfer_definition)
        row = action_row(
            units,
            action,
            f.at.date(),
            transferring=f.transferring_party,
            acquiring=f.acquiring_party or "",
        )
        rows.append((f.transferring_party, row))
    q = (
        select(
            Movement,
            RegistryTransaction.kind,
            RegistryTransaction.created_at,
            RegistryTransaction.purpose,
        )
        .join(RegistryTransaction, RegistryTransaction.id == Movement.transaction_id)
        .where(and_(RegistryTransaction.created_at >= start, RegistryTransaction.created_at < end))
        .order_by(Movement.id)
    )
    for m, kind, at, purpose in session.execute(q):
        if m.issuance_id in ctx.issuances:
            rows += _movement_rows(ctx, m, kind, at.date(), purpose)
    return [r for p, r in rows if party is None or p == party.upper()]


def _movement_rows(
    ctx: _Context, m: Movement, kind: str, on: date, purpose: str | None
) -> list[tuple[str, Row]]:
    units = ctx.units(m.issuance_id, m.serial_start, m.serial_end)
    auth = ctx.issuances[m.issuance_id].auth
    to_party = ctx.party[m.to_account_id]
    if kind == "external_transfer":
        from_party = ctx.party[m.from_account_id or 0]
        sides = {"transferring": from_party, "acquiring": to_party}
        return [
            (
                from_party,
                action_row(units, Action("Transfer", "International transfer"), on, **sides),
            ),
            (
                to_party,
                action_row(units, Action("Acquisition", "International acquisition"), on, **sides),
            ),
        ]
    action = action_of(
        kind,
        authorising_party=auth.party_iso3,
        registry_party=to_party,
        use=auth.authorised_use,
        purpose=purpose,
        year=on.year,
    )
    if action is None:
        return []
    return [(to_party, action_row(units, action, on, note=purpose or ""))]


def holdings(session: Session, year: int, *, party: str | None = None) -> list[Row]:
    """Table 4: authorised units held in ``party``'s registry at the end of the year,
    rebuilt from the movement log."""
    ctx, (_, end) = _Context(session), year_bounds(year)
    q = (
        select(
            Movement.transaction_id,
            Movement.issuance_id,
            Movement.serial_start,
            Movement.serial_end,
            Movement.from_account_id,
            Movement.to_account_id,
            Movement.to_state,
        )
        .join(RegistryTransaction, RegistryTransaction.id == Movement.transaction_id)
        .where(RegistryTransaction.created_at < end)
        .order_by(Movement.transaction_id, Movement.id)
    )
    pieces, _ = invariants.replay(invariants.Movement(*r) for r in session.execute(q))
    transferred = first_transferred_before(session, end)
    rows = []
    for p in pieces:
        if p.issuance_id not in ctx.issuances or p.state != invariants.HELD:
            continue
        if party is not None and ctx.party[p.account] != party.upper():
            continue
        done = any(s <= p.start <= e for s, e in transferred.get(p.issuance_id, []))
        units = ctx.units(p.issuance_id, p.start, p.end)
        rows.append(holding_row(units, ctx.account_no[p.account], done))
    return rows


def first_transferred_before(
    session: Session, before: datetime
) -> dict[int, list[tuple[int, int]]]:
    out: dict[int, list[tuple[int, int]]] = defaultdict(list)
    for iss, s, e in session.execute(
        select(
            FirstTransfer.issuance_id, FirstTransfer.serial_start, FirstTransfer.serial_end
        ).where(FirstTransfer.at < before)
    ):
        out[iss].append((s, e))
    return out


def authorisation_facts(
    session: Session, year: int, *, party: str | None = None
) -> list[tuple[AuthorisationFacts, list[tuple[int, str]]]]:
    """Every authorisation given by ``party`` up to the end of the year, with the units issued
    under it by then, the monitoring periods they cover and the entities holding its shares."""
    ctx, (_, end) = _Context(session), year_bounds(year)
    q = select(Authorisation).where(Authorisation.authorised_on < end.date())
    if party is not None:
        q = q.where(Authorisation.party_iso3 == party.upper())
    out = []
    for auth in session.scalars(q.order_by(Authorisation.authorised_on, Authorisation.id)):
        issued, first, last = session.execute(
            select(
                func.coalesce(func.sum(Issuance.amount), 0),
                func.min(VerifiedPeriod.period_start),
                func.max(VerifiedPeriod.period_end),
            )
            .join(VerifiedPeriod, VerifiedPeriod.id == Issuance.verified_period_id)
            .join(RegistryTransaction, RegistryTransaction.id == Issuance.transaction_id)
            .where(Issuance.authorisation_id == auth.id, RegistryTransaction.created_at < end)
        ).one()
        entities = session.execute(
            select(Organisation.id, Organisation.name_en)
            .join(Account, Account.organisation_id == Organisation.id)
            .join(AllocationShare, AllocationShare.account_id == Account.id)
            .where(AllocationShare.project_id == auth.project_id)
            .distinct()
            .order_by(Organisation.id)
        ).all()
        partner = session.scalar(
            select(Project.partner_country).where(Project.id == auth.project_id)
        )
        facts = AuthorisationFacts(
            approach=ctx.approach_of_party.get(partner or "", ""),
            ref=auth.ref,
            on=auth.authorised_on,
            party=auth.party_iso3,
            use=auth.authorised_use,
            first_transfer_definition=auth.first_transfer_definition,
            issued=int(issued),
            timeframe=(first, last) if first is not None and last is not None else None,
            entities=tuple(name for _, name in entities),
        )
        out.append((facts, [(i, n) for i, n in entities]))
    return out


def authorisations(session: Session, year: int, *, party: str | None = None) -> list[Row]:
    """Table 2: the authorisation records."""
    return [authorisation_row(a) for a, _ in authorisation_facts(session, year, party=party)]


def entities(session: Session, year: int, *, party: str | None = None) -> list[Row]:
    """Table 5: the entities each authorisation covers (the project's participants)."""
    return [
        entity_row(f"ORG{org_id:05d}", name, a)
        for a, orgs in authorisation_facts(session, year, party=party)
        for org_id, name in orgs
    ]
