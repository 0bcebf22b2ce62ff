"""Pure Article 6.2 Agreed Electronic Format rows: the annual "actions" and "holdings" tables."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

ACTION_COLUMNS = [
    "Party",
    "Cooperative approach ID",
    "Unique identifier first",
    "Unique identifier last",
    "Vintage",
    "Sector",
    "Activity type",
    "Action type",
    "Action date",
    "Transferring party",
    "Acquiring party",
    "Purposes for authorization",
    "OIMP",
    "First transfer definition",
    "Using party",
    "Quantity in tCO2e",
]
HOLDING_COLUMNS = [
    "Party",
    "Cooperative approach ID",
    "Unique identifier first",
    "Unique identifier last",
    "Vintage",
    "Sector",
    "Activity type",
    "Holding account",
    "Purposes for authorization",
    "First transferred",
    "Quantity in tCO2e",
]
PURPOSES = {"ndc": "NDC", "oimp": "OIMP", "ndc_and_oimp": "NDC and OIMP"}
FIRST_TRANSFER = {
    "first_international_transfer": "First international transfer",
    "authorisation_and_issuance": "Authorization and issuance",
    "use_or_cancellation": "Use or cancellation",
}


@dataclass(frozen=True)
class Units:
    """A serial range of authorised units and what the AEF needs to describe them."""

    approach: str
    first: str
    last: str
    vintage: int
    sector: str
    activity: str
    authorised_use: str
    first_transfer_definition: str
    quantity: int


def action_type(kind: str, *, authorising_party: str, registry_party: str, use: str) -> str:
    """The AEF action type of one registry operation on authorised units."""
    if kind == "issuance":
        return "Authorization"
    if kind == "retirement":
        return "Voluntary cancellation"
    if kind == "cancellation":
        if registry_party != authorising_party and use in {"ndc", "ndc_and_oimp"}:
            return "Use towards NDC"
        return "Cancellation"
    return "Transfer"


def action_row(
    party: str,
    units: Units,
    action: str,
    on: date,
    *,
    transferring: str = "",
    acquiring: str = "",
    using: str = "",
) -> dict[str, object]:
    """One row of the actions table."""
    return {
        "Party": party,
        "Cooperative approach ID": units.approach,
        "Unique identifier first": units.first,
        "Unique identifier last": units.last,
        "Vintage": units.vintage,
        "Sector": units.sector,
        "Activity type": units.activity,
        "Action type": action,
        "Action date": on.isoformat(),
        "Transferring party": transferring,
        "Acquiring party": acquiring,
        "Purposes for authorization": PURPOSES.get(units.authorised_use, units.authorised_use),
        "OIMP": "Yes" if units.authorised_use in {"oimp", "ndc_and_oimp"} else "No",
        "First transfer definition": FIRST_TRANSFER.get(
            units.first_transfer_definition, units.first_transfer_definition
        ),
        "Using party": using,
        "Quantity in tCO2e": units.quantity,
    }


def holding_row(
    party: str, units: Units, account: str, first_transferred: bool
) -> dict[str, object]:
    """One row of the holdings table."""
    return {
        "Party": party,
        "Cooperative approach ID": units.approach,
        "Unique identifier first": units.first,
        "Unique identifier last": units.last,
        "Vintage": units.vintage,
        "Sector": units.sector,
        "Activity type": units.activity,
        "Holding account": account,
        "Purposes for authorization": PURPOSES.get(units.authorised_use, units.authorised_use),
        "First transferred": "Yes" if first_transferred else "No",
        "Quantity in tCO2e": units.quantity,
    }
