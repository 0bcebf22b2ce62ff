from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from jcm.registry import rules_itmo as r


def test_the_issue_example() -> None:
    assert r.itmo_id("CA0001", "JPN01", "MNG", 1, 2023) == "CA0001-JPN01-MNG-1-2023"


def test_a_block_of_serials_gets_first_and_last_identifiers() -> None:
    first, last = r.itmo_range("CA0001", "JPN01", "MNG", 3, 501, 700, 2023)
    assert first == "CA0001-JPN01-MNG-30000000501-2023"
    assert last == "CA0001-JPN01-MNG-30000000700-2023"


@pytest.mark.parametrize(
    ("approach", "registry", "party", "serial", "vintage"),
    [
        ("JCM-JP-MN", "JPN01", "MNG", 1, 2023),
        ("CA001", "JPN01", "MNG", 1, 2023),
        ("CA0001", "JP01", "MNG", 1, 2023),
        ("CA0001", "JPN01", "mng", 1, 2023),
        ("CA0001", "JPN01", "MNG", 0, 2023),
        ("CA0001", "JPN01", "MNG", 1, 23),
    ],
)
def test_malformed_parts_are_refused(
    approach: str, registry: str, party: str, serial: int, vintage: int
) -> None:
    with pytest.raises(ValueError, match="not|no ITMO"):
        r.itmo_id(approach, registry, party, serial, vintage)


def test_identifier_settings_are_validated() -> None:
    assert r.valid_approach_id("CA0042")
    assert not r.valid_approach_id("CA42")
    assert r.valid_registry_id("IDN01")
    assert not r.valid_registry_id("idn01")
    assert r.default_registry_id("idn") == "IDN01"


@given(
    st.integers(1, 10**6),
    st.integers(1, 10**10 - 1),
    st.integers(1, 10**6),
    st.integers(1, 10**10 - 1),
    st.integers(2013, 2100),
)
def test_identifiers_are_unique_per_unit_and_parse_back(
    i1: int, s1: int, i2: int, s2: int, vintage: int
) -> None:
    a = r.itmo_id("CA0001", "JPN01", "MNG", r.itmo_serial(i1, s1), vintage)
    b = r.itmo_id("CA0001", "JPN01", "MNG", r.itmo_serial(i2, s2), vintage)
    assert (a == b) == ((i1, s1) == (i2, s2))
    assert r.ITMO_ID.fullmatch(a)
    assert r.parse_itmo_id(a)["serial"] == r.itmo_serial(i1, s1)
