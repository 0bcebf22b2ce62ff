"""Article 6.2 bookkeeping inside a registry write: first transfers and the adjustment ledger."""

from __future__ import annotations

from sqlalchemy.orm import Session

from jcm.registry import rules
from jcm.registry.models import (
    AdjustmentEntry,
    Authorisation,
    Block,
    FirstTransfer,
    RegistryTransaction,
)


class Article6:
    """Records first transfers and corresponding adjustments for blocks one request touches."""

    def __init__(self, session: Session, tx: RegistryTransaction, year: int) -> None:
        """``year``: the calendar year the operation happens in, where its adjustments go."""
        self.session = session
        self.tx = tx
        self.year = year
        self._auths: dict[int, Authorisation | None] = {}

    def authorisation(self, authorisation_id: int | None) -> Authorisation | None:
        if authorisation_id is None:
            return None
        if authorisation_id not in self._auths:
            self._auths[authorisation_id] = self.session.get(Authorisation, authorisation_id)
        return self._auths[authorisation_id]

    def touch(self, block: Block, trigger: str, acquiring_party: str | None) -> None:
        """Mark the block first-transferred when this operation is its first transfer: an
        operation that puts the units into the registry of ``acquiring_party``, a Party other
        than the authorising one, is an international transfer."""
        auth = self.authorisation(block.authorisation_id)
        if auth is None or block.first_transferred:
            return
        international = acquiring_party is not None and acquiring_party != auth.party_iso3
        if not rules.first_transfer_due(
            auth.first_transfer_definition, trigger, international=international
        ):
            return
        quantity = block.serial_end - block.serial_start + 1
        self.session.add(
            FirstTransfer(
                transaction_id=self.tx.id,
                authorisation_id=auth.id,
                issuance_id=block.issuance_id,
                serial_start=block.serial_start,
                serial_end=block.serial_end,
                transferring_party=auth.party_iso3,
                acquiring_party=acquiring_party if international else None,
            )
        )
        self.session.add(
            AdjustmentEntry(
                party_iso3=auth.party_iso3,
                year=self.year,
                quantity=quantity,
                reason="first_transfer",
                transaction_id=self.tx.id,
            )
        )
        block.first_transferred = True
        block.ca_status = "applied"

    def use_towards_ndc(self, block: Block, using_party: str) -> None:
        """A cancellation toward a party's NDC: the using party's adjustment (subtracted)."""
        auth = self.authorisation(block.authorisation_id)
        if auth is None or auth.authorised_use == "oimp" or using_party == auth.party_iso3:
            return
        self.session.add(
            AdjustmentEntry(
                party_iso3=using_party,
                year=self.year,
                quantity=-(block.serial_end - block.serial_start + 1),
                reason="use_towards_ndc",
                transaction_id=self.tx.id,
            )
        )
