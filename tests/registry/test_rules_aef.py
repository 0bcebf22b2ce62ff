"""How each kind of cancellation a holder can choose is reported in the AEF's Table 3."""

from __future__ import annotations

import pytest

from jcm.registry.rules_aef import CANCELLATION_PURPOSES, action_of


def _as(kind: str, use: str, registry: str) -> tuple[str, str, str]:
    action = action_of(
        "cancellation",
        authorising_party="MNG",
        registry_party=registry,
        use=use,
        purpose=CANCELLATION_PURPOSES[kind],
        year=2024,
    )
    assert action is not None
    return action.type, action.subtype, action.purpose


@pytest.mark.parametrize(
    ("kind", "use", "registry", "expected"),
    [
        ("ndc", "ndc", "JPN", ("Use", "Use towards NDC", "NDC")),
        ("voluntary", "ndc", "JPN", ("Use", "Use towards NDC", "NDC")),
        ("ndc", "ndc", "MNG", ("Cancellation", "Voluntary cancellation", "OP")),
        ("voluntary", "oimp", "JPN", ("Cancellation", "Voluntary cancellation", "OP")),
        ("oimp", "oimp", "JPN", ("Use", "Use towards OIMP", "OIMP")),
        ("oimp", "ndc", "JPN", ("Use", "Use towards NDC", "NDC")),
        ("omge", "ndc", "JPN", ("Cancellation", "Cancellation for OMGE", "OIMP")),
    ],
)
def test_each_cancellation_kind_is_reported_as_the_units_authorisation_says(
    kind: str, use: str, registry: str, expected: tuple[str, str, str]
) -> None:
    assert _as(kind, use, registry) == expected


def test_a_use_towards_an_ndc_names_the_using_party_and_year() -> None:
    action = action_of(
        "cancellation",
        authorising_party="MNG",
        registry_party="JPN",
        use="ndc_and_oimp",
        purpose=CANCELLATION_PURPOSES["ndc"],
        year=2024,
    )
    assert action is not None
    assert (action.using_party, action.ndc_year) == ("JPN", 2024)
