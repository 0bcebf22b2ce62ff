"""Run the consistency checks on one Party's AEF report for a year (``rules_aef_checks``),
reading the registry's movement log and adjustment ledger for the sums they compare."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import and_, func, or_, select
from sqlalchemy.orm import Session

from jcm.registry import aef
from jcm.registry import rules_aef_checks as checks
from jcm.registry.models import (
    Account,
    AdjustmentEntry,
    Issuance,
    Movement,
    Registry,
    RegistryTransaction,
)

Row = dict[str, object]


@dataclass(frozen=True)
class CheckedReport:
    party: str
    year: int
    actions: list[Row]
    holdings: list[Row]
    checks: list[checks.Check]

    @property
    def passed(self) -> bool:
        return all(c.passed for c in self.checks)

    def as_dict(self) -> dict[str, object]:
        return {
            "party": self.party,
            "year": self.year,
            "passed": self.passed,
            "checks": [
                {
                    "check": c.code,
                    "passed": c.passed,
                    "problems_en": list(c.problems_en),
                    "problems_ja": list(c.problems_ja),
                }
                for c in self.checks
            ],
        }


def check(session: Session, party: str, year: int) -> CheckedReport:
    """Tables 3 and 4 of ``party``'s report for ``year`` and the result of every check,
    the column "Result of the consistency checks" filled in each row."""
    party = party.upper()
    actions = aef.actions(session, year, party=party)
    holdings = aef.holdings(session, year, party=party)
    before = aef.holdings(session, year - 1, party=party)
    _, end = aef.year_bounds(year)
    held_before = sum(int(str(r["Quantity (t CO2 eq)"])) for r in before)
    results = [
        checks.first_transfers(actions, aef.first_transferred_before(session, end)),
        checks.roll_forward(held_before, _flows(session, party, year), holdings),
        checks.unique_identifiers(holdings),
        checks.adjustments(party, actions, _ledger(session, party, year)),
    ]
    for table, rows in (("actions", actions), ("holdings", holdings)):
        for n, row in enumerate(rows):
            row["Result of the consistency checks"] = checks.column_value(results, n, table=table)
    return CheckedReport(party, year, actions, holdings, results)


def _flows(session: Session, party: str, year: int) -> int:
    """Authorised units that came into the Party's registry to be held in the year, less
    those that left a holding there (to another registry, a cancellation or a retirement)."""
    start, end = aef.year_bounds(year)
    ours = select(Account.id).join(Registry, Registry.id == Account.registry_id)
    ours = ours.where(Registry.country_iso3 == party)
    size = Movement.serial_end - Movement.serial_start + 1
    base = (
        select(func.coalesce(func.sum(size), 0))
        .join(RegistryTransaction, RegistryTransaction.id == Movement.transaction_id)
        .join(Issuance, Issuance.id == Movement.issuance_id)
        .where(
            Issuance.authorisation_id.is_not(None),
            RegistryTransaction.created_at >= start,
            RegistryTransaction.created_at < end,
        )
    )
    came = session.scalar(base.where(Movement.to_account_id.in_(ours), Movement.to_state == "held"))
    left = session.scalar(
        base.where(
            Movement.from_account_id.in_(ours),
            or_(Movement.to_state != "held", ~Movement.to_account_id.in_(ours)),
        )
    )
    inside = session.scalar(
        base.where(
            and_(Movement.from_account_id.in_(ours), Movement.to_account_id.in_(ours)),
            Movement.to_state == "held",
        )
    )
    return int(came or 0) - int(inside or 0) - int(left or 0)


def _ledger(session: Session, party: str, year: int) -> dict[str, int]:
    rows = session.execute(
        select(AdjustmentEntry.reason, func.sum(AdjustmentEntry.quantity))
        .where(AdjustmentEntry.party_iso3 == party, AdjustmentEntry.year == year)
        .group_by(AdjustmentEntry.reason)
    )
    return {reason: int(q or 0) for reason, q in rows}
