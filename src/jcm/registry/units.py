"""Names for units: turns block rows into identifiers, caching what it looked up."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from jcm.projects.models import Project
from jcm.reference.models import Country
from jcm.registry import rules
from jcm.registry.models import Account, Block, Issuance, Registry
from jcm.registry.schemas import MovedRange


class UnitNamer:
    """Looks up, once per request, what a unit identifier needs: approach, origin, project."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self._issuances: dict[int, tuple[str, str, int]] = {}
        self._registries: dict[int, str] = {}
        self._accounts: dict[int, str] = {}

    def unit(self, issuance_id: int, origin_registry_id: int, serial: int) -> str:
        approach, project, vintage = self._issuance(issuance_id)
        origin = self._registry(origin_registry_id)
        return rules.unit_id(approach, origin, project, vintage, issuance_id, serial)

    def remember(self, *accounts: Account) -> None:
        """Account numbers the caller already holds need no look-up."""
        for a in accounts:
            self._accounts[a.id] = a.number

    def number(self, account_id: int) -> str:
        if account_id not in self._accounts:
            self._accounts[account_id] = self.session.scalar(
                select(Account.number).where(Account.id == account_id)
            ) or str(account_id)
        return self._accounts[account_id]

    def moved(self, block: Block, *, from_account: str | None, to_account: str) -> MovedRange:
        return MovedRange(
            issuance_id=block.issuance_id,
            serial_start=block.serial_start,
            serial_end=block.serial_end,
            quantity=block.serial_end - block.serial_start + 1,
            first_unit=self.unit(block.issuance_id, block.origin_registry_id, block.serial_start),
            last_unit=self.unit(block.issuance_id, block.origin_registry_id, block.serial_end),
            from_account=from_account,
            to_account=to_account,
            state=block.state,
        )

    def _issuance(self, issuance_id: int) -> tuple[str, str, int]:
        if issuance_id not in self._issuances:
            row = self.session.execute(
                select(Country.iso2, Project.ref, Issuance.vintage)
                .join(Project, Project.id == Issuance.project_id)
                .join(Country, Country.iso3 == Project.partner_country)
                .where(Issuance.id == issuance_id)
            ).one()
            self._issuances[issuance_id] = (rules.cooperative_approach_id(row[0]), row[1], row[2])
        return self._issuances[issuance_id]

    def _registry(self, registry_id: int) -> str:
        if registry_id not in self._registries:
            found = registry_countries(self.session, registry_id)
            self._registries[registry_id] = found[0] if found else "??"
        return self._registries[registry_id]


def registry_countries(session: Session, registry_id: int) -> tuple[str, str] | None:
    """A registry's (code, ISO 3166 alpha-3). All registries (a few rows) are read at once
    and kept for the session; an id not seen yet reads them again."""
    cache: dict[int, tuple[str, str]] | None = session.info.get("jcm.registry.registries")
    if cache is None or registry_id not in cache:
        cache = {
            r.id: (r.code, r.country_iso3)
            for r in session.execute(select(Registry.id, Registry.code, Registry.country_iso3))
        }
        session.info["jcm.registry.registries"] = cache
    return cache.get(registry_id)
