"""Pure Article 6.2 identifiers: cooperative approach IDs, Party ITMO registry IDs and ITMO
unique identifiers (decision 6/CMA.4, annex I, paragraph 5). No I/O."""

from __future__ import annotations

import re

from jcm.registry.rules import SERIAL_WIDTH

APPROACH_ID = re.compile(r"CA\d{4}")
REGISTRY_ID = re.compile(r"[A-Z]{3}\d{2}")
ITMO_ID = re.compile(r"(CA\d{4})-([A-Z]{3}\d{2})-([A-Z]{3})-([1-9]\d*)-(\d{4})")
_PARTY = re.compile(r"[A-Z]{3}")


def valid_approach_id(text: str) -> bool:
    """A cooperative approach ID as the centralized accounting and reporting platform gives
    it: ``CA`` and four digits, e.g. ``CA0001``."""
    return APPROACH_ID.fullmatch(text) is not None


def valid_registry_id(text: str) -> bool:
    """A Party ITMO registry ID: ISO 3166 alpha-3 of the Party and two digits, e.g. ``JPN01``."""
    return REGISTRY_ID.fullmatch(text) is not None


def default_registry_id(party_iso3: str) -> str:
    """The first registry of a Party: ``JPN`` → ``JPN01``."""
    return f"{party_iso3.upper()}01"


def itmo_serial(issuance: int, serial: int) -> int:
    """A serial unique across the registry's issuances: the issuance number followed by the
    unit's ten-digit JCM serial within it (issuance 1, serial 501 → 10000000501)."""
    if issuance < 1 or not 1 <= serial < 10**SERIAL_WIDTH:
        raise ValueError(f"no ITMO serial for issuance {issuance}, serial {serial}")
    return issuance * int(10**SERIAL_WIDTH) + serial


def itmo_id(
    approach_id: str, registry_id: str, first_transferring_party: str, serial: int, vintage: int
) -> str:
    """``<cooperative approach ID>-<Party ITMO registry ID>-<first transferring Party>-<serial>-
    <vintage>``, e.g. ``CA0001-JPN01-MNG-1-2023``; ValueError on a malformed part."""
    if not valid_approach_id(approach_id):
        raise ValueError(f"not a cooperative approach ID: {approach_id!r}")
    if not valid_registry_id(registry_id):
        raise ValueError(f"not a Party ITMO registry ID: {registry_id!r}")
    if _PARTY.fullmatch(first_transferring_party) is None:
        raise ValueError(f"not an ISO 3166 alpha-3 Party: {first_transferring_party!r}")
    if serial < 1 or not 1000 <= vintage <= 9999:
        raise ValueError(f"no ITMO identifier for serial {serial}, vintage {vintage}")
    return f"{approach_id}-{registry_id}-{first_transferring_party}-{serial}-{vintage}"


def itmo_range(
    approach_id: str,
    registry_id: str,
    first_transferring_party: str,
    issuance: int,
    first: int,
    last: int,
    vintage: int,
) -> tuple[str, str]:
    """The first and last ITMO identifiers of a block of JCM serials [first, last]."""
    return (
        itmo_id(
            approach_id,
            registry_id,
            first_transferring_party,
            itmo_serial(issuance, first),
            vintage,
        ),
        itmo_id(
            approach_id, registry_id, first_transferring_party, itmo_serial(issuance, last), vintage
        ),
    )


def parse_itmo_id(text: str) -> dict[str, str | int]:
    """Split an ITMO identifier into its parts; ValueError when it is malformed."""
    m = ITMO_ID.fullmatch(text)
    if m is None:
        raise ValueError(f"not an ITMO identifier: {text!r}")
    approach, registry, party, serial, vintage = m.groups()
    return {
        "approach": approach,
        "registry": registry,
        "party": party,
        "serial": int(serial),
        "vintage": int(vintage),
    }
