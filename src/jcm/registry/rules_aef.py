"""Pure Article 6.2 Agreed Electronic Format (AEF) rows, in the layout of the AEF reporting
tool's workbook (decision 6/CMA.4, annex II): the sheet names, the field names of its tables,
its action types and subtypes, its purposes, dates as dd/mm/yyyy. No I/O."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

SHEETS = (
    "Index",
    "Summary information",
    "Table 1 Submission",
    "Table 2 Authorizations",
    "Table 3 Actions",
    "Table 4 Holdings",
    "Table 5 Auth. entities",
)
SUBMISSION_COLUMNS = [
    "Party",
    "Reported year",
    "Version",
    "Date of submission",
    "Party ITMO registry ID",
    "Cooperative approach ID",
    "Additional explanatory information",
]
AUTHORIZATION_COLUMNS = [
    "Cooperative approach ID",
    "Authorization ID",
    "Date of authorization",
    "Version",
    "Authorized quantity (t CO2 eq)",
    "Authorized quantity (in non-GHG metric)",
    "Metric",
    "Applicable GWP value(s)",
    "Authorized timeframe",
    "Authorized participating Parties",
    "Authorized entities",
    "Purposes for authorization",
    "OIMP authorized by the Party",
    "First transfer definition",
    "Additional explanatory information",
]
# The fields that describe a block of ITMOs, shared by Tables 3 and 4.
UNIT_COLUMNS = [
    "Cooperative approach ID",
    "Authorization ID",
    "First transferring participating Party ID",
    "Party ITMO registry ID",
    "First ID",
    "Last ID",
    "Underlying unit registry ID",
    "First unit ID",
    "Last unit ID",
    "Metric",
    "Applicable GWP value(s)",
    "Applicable non-GHG metric",
    "Quantity (t CO2 eq)",
    "Quantity (in non-GHG metric)",
    "Mitigation type",
    "Vintage",
]
ACTION_COLUMNS = [
    "Action date",
    "Action type",
    "Action subtype",
    *UNIT_COLUMNS,
    "Transferring participating Party ID",
    "Acquiring participating Party ID",
    "Purpose for which the ITMO has been used towards or cancelled for OIMP",
    "Using/cancelling participating Party ID",
    "Using/cancelling authorized entity ID",
    "Calendar year for which the ITMOs are used towards the Party's NDC",
    "Result of the consistency checks",
    "Additional explanatory information",
]
HOLDING_COLUMNS = [
    *UNIT_COLUMNS,
    "Sector(s)",
    "Activity type(s)",
    "Purposes for authorization",
    "First transferred",
    "Result of the consistency checks",
    "Additional explanatory information",
]
ENTITY_COLUMNS = [
    "Authorized entity ID",
    "Authorized entity name",
    "Cooperative approach ID",
    "Authorization ID",
    "Date of authorization",
    "Additional explanatory information",
]

ACTION_TYPES = ("Acquisition", "Transfer", "Use", "Cancellation", "First transfer")
PURPOSES = {"ndc": "NDC", "oimp": "OIMP", "ndc_and_oimp": "NDC and OIMP"}
FIRST_TRANSFER_SUBTYPES = {
    "first_international_transfer": "First international transfer",
    "authorisation_and_issuance": "Authorization and issuance",
    "use_or_cancellation": "Use or cancellation",
}
METRIC = "GHG"
GWP = "AR5"
MITIGATION_TYPE = "Emission reductions"
NDC_USES = frozenset({"ndc", "ndc_and_oimp"})


def dmy(on: date) -> str:
    """A date as the tool writes it: dd/mm/yyyy."""
    return on.strftime("%d/%m/%Y")


def sector(sectoral_scope: int) -> str:
    """The IPCC sector of a JCM sectoral scope (the CDM's list of scopes)."""
    if sectoral_scope in {4, 5, 6, 9, 10, 11}:
        return "Industrial processes and product use"
    if sectoral_scope == 13:
        return "Waste"
    if sectoral_scope in {14, 15}:
        return "Agriculture, forestry and other land use"
    return "Energy"


@dataclass(frozen=True)
class Units:
    """A block of authorised units and what the AEF needs to describe them."""

    approach: str  # CA####, "" while the registry has none set
    authorisation: str
    first_transferring_party: str
    registry: str  # Party ITMO registry ID of the registry the units were issued in
    first_itmo: str
    last_itmo: str
    underlying_registry: str
    first: str  # JCM unit identifiers
    last: str
    vintage: int
    sector: str
    activity: str
    authorised_use: str
    first_transfer_definition: str
    quantity: int


@dataclass(frozen=True)
class Action:
    """What one registry operation on authorised units is, in the tool's terms."""

    type: str
    subtype: str
    purpose: str = ""
    using_party: str = ""
    ndc_year: int | None = None


# The kinds of cancellation a holder can ask for, as the purpose recorded on the
# cancellation (``action_of`` reads it; a voluntary cancellation of units authorised for NDC
# use in another Party's registry is still reported as their use towards that NDC).
CANCELLATION_PURPOSES = {
    "ndc": "Use towards NDC",
    "oimp": "Use towards OIMP",
    "omge": "Cancellation for OMGE",
    "voluntary": "Voluntary cancellation",
}


def action_of(
    kind: str,
    *,
    authorising_party: str,
    registry_party: str,
    use: str,
    purpose: str | None,
    year: int,
) -> Action | None:
    """The action of a cancellation or retirement of authorised units, None for a transfer
    inside one registry (not reportable). Cancelling units authorised for NDC use in a Party
    other than the authorising one is their use towards that Party's NDC."""
    said = (purpose or "").lower()
    if kind == "retirement":
        return Action("Cancellation", "Voluntary cancellation", "OP")
    if kind != "cancellation":
        return None
    if "omge" in said:
        return Action("Cancellation", "Cancellation for OMGE", "OIMP")
    if "oimp" in said and use != "ndc":
        return Action("Use", "Use towards OIMP", "OIMP", registry_party)
    if registry_party != authorising_party and use in NDC_USES:
        return Action("Use", "Use towards NDC", "NDC", registry_party, year)
    return Action("Cancellation", "Voluntary cancellation", "OP")


def unit_fields(units: Units) -> dict[str, object]:
    return {
        "Cooperative approach ID": units.approach,
        "Authorization ID": units.authorisation,
        "First transferring participating Party ID": units.first_transferring_party,
        "Party ITMO registry ID": units.registry,
        "First ID": units.first_itmo,
        "Last ID": units.last_itmo,
        "Underlying unit registry ID": units.underlying_registry,
        "First unit ID": units.first,
        "Last unit ID": units.last,
        "Metric": METRIC,
        "Applicable GWP value(s)": GWP,
        "Applicable non-GHG metric": "",
        "Quantity (t CO2 eq)": units.quantity,
        "Quantity (in non-GHG metric)": "",
        "Mitigation type": MITIGATION_TYPE,
        "Vintage": units.vintage,
    }


def action_row(
    units: Units,
    action: Action,
    on: date,
    *,
    transferring: str = "",
    acquiring: str = "",
    note: str = "",
) -> dict[str, object]:
    """One row of Table 3 (Actions)."""
    return {
        "Action date": dmy(on),
        "Action type": action.type,
        "Action subtype": action.subtype,
        **unit_fields(units),
        "Transferring participating Party ID": transferring,
        "Acquiring participating Party ID": acquiring,
        "Purpose for which the ITMO has been used towards or cancelled for OIMP": action.purpose,
        "Using/cancelling participating Party ID": action.using_party,
        "Using/cancelling authorized entity ID": "",
        "Calendar year for which the ITMOs are used towards the Party's NDC": (
            action.ndc_year if action.ndc_year is not None else ""
        ),
        "Result of the consistency checks": "",
        "Additional explanatory information": note,
    }


def first_transfer_action(definition: str) -> Action:
    return Action("First transfer", FIRST_TRANSFER_SUBTYPES.get(definition, definition))


def holding_row(units: Units, account: str, first_transferred: bool) -> dict[str, object]:
    """One row of Table 4 (Holdings at the end of the year)."""
    return {
        **unit_fields(units),
        "Sector(s)": units.sector,
        "Activity type(s)": units.activity,
        "Purposes for authorization": PURPOSES.get(units.authorised_use, units.authorised_use),
        "First transferred": "Yes" if first_transferred else "No",
        "Result of the consistency checks": "",
        "Additional explanatory information": f"Held in account {account}",
    }


@dataclass(frozen=True)
class AuthorisationFacts:
    """An authorisation record and what the registry knows of the units it covers."""

    approach: str
    ref: str
    on: date
    party: str
    use: str
    first_transfer_definition: str
    issued: int
    timeframe: tuple[date, date] | None
    entities: tuple[str, ...]


def authorisation_row(a: AuthorisationFacts) -> dict[str, object]:
    """One row of Table 2 (Authorizations)."""
    parties = sorted({a.party, "JPN"})
    timeframe = f"{dmy(a.timeframe[0])} - {dmy(a.timeframe[1])}" if a.timeframe else ""
    return {
        "Cooperative approach ID": a.approach,
        "Authorization ID": a.ref,
        "Date of authorization": dmy(a.on),
        "Version": 1,
        "Authorized quantity (t CO2 eq)": a.issued,
        "Authorized quantity (in non-GHG metric)": "",
        "Metric": METRIC,
        "Applicable GWP value(s)": GWP,
        "Authorized timeframe": timeframe,
        "Authorized participating Parties": ", ".join(parties),
        "Authorized entities": ", ".join(a.entities),
        "Purposes for authorization": PURPOSES.get(a.use, a.use),
        "OIMP authorized by the Party": "Yes" if a.use in {"oimp", "ndc_and_oimp"} else "No",
        "First transfer definition": FIRST_TRANSFER_SUBTYPES.get(
            a.first_transfer_definition, a.first_transfer_definition
        ),
        "Additional explanatory information": (
            "Quantity: units issued under this authorization; timeframe: the monitoring "
            "periods they were issued for."
        ),
    }


def entity_row(entity_id: str, name: str, a: AuthorisationFacts) -> dict[str, object]:
    """One row of Table 5 (Authorized entities)."""
    return {
        "Authorized entity ID": entity_id,
        "Authorized entity name": name,
        "Cooperative approach ID": a.approach,
        "Authorization ID": a.ref,
        "Date of authorization": dmy(a.on),
        "Additional explanatory information": "",
    }
