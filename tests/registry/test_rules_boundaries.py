"""Boundary cases of the pure registry rules, one per edge a wrong operator would move."""

from __future__ import annotations

import hashlib
from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from jcm.registry import rules
from jcm.registry.rules import HeldBlock, Share, take_units


def test_an_empty_allocation_is_refused_in_both_languages() -> None:
    assert rules.allocation_problems([], subsidised=False) == [
        ("no shares are defined.", "配分が定義されていません。")
    ]


def test_exactly_half_for_japan_is_enough_for_a_subsidised_project() -> None:
    shares = [Share("JP", Decimal(50), japan_government=True), Share("PP", Decimal(50))]
    assert rules.allocation_problems(shares, subsidised=True) == []


def test_just_under_half_for_japan_is_refused_with_the_share_it_has() -> None:
    shares = [Share("JP", Decimal("49.5"), japan_government=True), Share("PP", Decimal("50.5"))]
    assert rules.allocation_problems(shares, subsidised=True) == [
        (
            "a subsidised project gives the Government of Japan at least 50 %, not 49.5 %.",
            "補助事業では日本国政府に 50% 以上を配分する必要があります（現在 49.5%）。",
        )
    ]


def test_a_leftover_credit_goes_to_the_largest_remainder_not_the_first_share() -> None:
    # quotas 1.49 and 0.51: floors 1 + 0, and the one left over goes to the 0.51
    shares = [Share("A", Decimal("74.5")), Share("B", Decimal("25.5"))]
    assert rules.allocate_largest_remainder(2, shares) == [1, 1]


def test_a_single_credit_amount_gets_its_own_serial() -> None:
    assert rules.consecutive_ranges([1, 0, 1, 2]) == [(1, 1), None, (2, 2), (3, 4)]
    assert rules.consecutive_ranges([2], first=5) == [(5, 6)]


def test_a_unit_identifier_parses_into_every_part() -> None:
    assert rules.parse_unit_id("JCM-JP-ID.JP.ID001.2023.000012.0000000345") == {
        "approach": "JCM-JP-ID",
        "origin": "JP",
        "project": "ID001",
        "vintage": 2023,
        "issuance": 12,
        "serial": 345,
    }


def test_six_parts_without_the_jcm_prefix_are_not_a_unit_identifier() -> None:
    with pytest.raises(ValueError, match="not a JCM unit identifier"):
        rules.parse_unit_id("VCS-JP-ID.JP.ID001.2023.000012.0000000345")


def test_an_in_order_take_stops_once_the_quantity_is_met() -> None:
    blocks = [HeldBlock(7, 1, 1, 10), HeldBlock(8, 1, 11, 20), HeldBlock(9, 1, 21, 30)]
    takes, available = take_units(blocks, 11)
    assert available == 11
    assert [(t.block_id, t.start, t.end, t.keep) for t in takes] == [
        (7, 1, 10, ()),
        (8, 11, 11, ((12, 20),)),
    ]


def test_an_in_order_take_of_whole_blocks_leaves_the_rest_untouched() -> None:
    blocks = [HeldBlock(7, 1, 1, 10), HeldBlock(8, 1, 11, 20), HeldBlock(9, 1, 21, 30)]
    takes, available = take_units(blocks, 20)
    assert available == 20
    assert [(t.block_id, t.whole) for t in takes] == [(7, True), (8, True)]


def test_a_range_from_the_blocks_first_unit_keeps_only_the_tail() -> None:
    (take,), available = take_units([HeldBlock(3, 1, 5, 14)], 4, serial_start=5)
    assert (take.block_id, take.start, take.end, available) == (3, 5, 8, 4)
    assert take.keep == ((9, 14),)


def test_a_range_covering_the_whole_block_keeps_nothing() -> None:
    (take,), _ = take_units([HeldBlock(3, 1, 5, 14)], 10, serial_start=5)
    assert take.whole
    assert take.keep == ()


@st.composite
def _block_and_range(draw: st.DrawFn) -> tuple[HeldBlock, int, int]:
    start = draw(st.integers(1, 50))
    end = start + draw(st.integers(0, 12))
    edges = [start, start + 1, end - 1, end]
    first = draw(st.sampled_from(edges) | st.integers(start, end))
    first = min(max(first, start), end)
    last = draw(st.sampled_from([end, end - 1, first]) | st.integers(first, end))
    last = min(max(last, first), end)
    return HeldBlock(1, 1, start, end), first, last


@given(_block_and_range())
def test_every_range_inside_a_block_keeps_exactly_the_units_around_it(
    case: tuple[HeldBlock, int, int],
) -> None:
    """Takes from the first unit, up to the last unit or one before it, and in between: the
    kept ranges are never empty, lie on either side of the taken range and, with it, make up
    the block exactly."""
    block, first, last = case
    (take,), available = take_units([block], last - first + 1, serial_start=first)
    expected_keep = []
    if first > block.start:
        expected_keep.append((block.start, first - 1))
    if last < block.end:
        expected_keep.append((last + 1, block.end))
    assert (take.start, take.end, available) == (first, last, last - first + 1)
    assert take.keep == tuple(expected_keep)


def test_canonical_json_is_sorted_compact_utf8_with_decimals_and_dates_as_strings() -> None:
    payload = {"b": Decimal("1.50"), "a": "日本", "d": date(2023, 1, 2), "n": [1, 2]}
    assert rules.canonical_json(payload) == '{"a":"日本","b":"1.50","d":"2023-01-02","n":[1,2]}'


def test_the_request_hash_is_sha256_of_the_canonical_kind_and_request() -> None:
    """Stored hashes must stay comparable across releases: the recipe is fixed."""
    expected = hashlib.sha256(b'{"kind":"transfer","request":{"q":1}}').hexdigest()
    assert rules.request_hash("transfer", {"q": 1}) == expected


def test_an_issuance_is_not_international_unless_said_so() -> None:
    assert not rules.first_transfer_due("first_international_transfer", "issuance")
    assert rules.first_transfer_due("use_or_cancellation", "retirement")
    assert not rules.first_transfer_due("use_or_cancellation", "transfer")


@pytest.mark.parametrize(
    ("span", "covered", "expected"),
    [
        ((10, 20), [(5, 10)], [(11, 20)]),  # a range ending at the span's first serial
        ((10, 20), [(20, 25)], [(10, 19)]),  # a range starting at the span's last serial
        ((10, 20), [(25, 30)], [(10, 20)]),  # a range wholly after the span
        ((10, 20), [(1, 4)], [(10, 20)]),  # a range wholly before it
        ((1, 10), [(1, 9)], [(10, 10)]),  # everything but the last serial
        ((1, 10), [(2, 10)], [(1, 1)]),  # everything but the first serial
        ((1, 10), [(1, 3), (5, 9)], [(4, 4), (10, 10)]),
    ],
)
def test_uncovered_serials_at_the_edges_of_the_span(
    span: tuple[int, int], covered: list[tuple[int, int]], expected: list[tuple[int, int]]
) -> None:
    assert rules.uncovered(span, covered) == expected


@given(
    st.tuples(st.integers(1, 30), st.integers(0, 15)),
    st.lists(st.tuples(st.integers(-5, 50), st.integers(0, 10)), max_size=5),
)
def test_uncovered_is_every_serial_of_the_span_that_no_range_covers(
    span: tuple[int, int], covered: list[tuple[int, int]]
) -> None:
    first, last = span[0], span[0] + span[1]
    ranges = [(s, s + n) for s, n in covered]
    serials = {u for u in range(first, last + 1) if not any(s <= u <= e for s, e in ranges)}
    out = rules.uncovered((first, last), ranges)
    assert [u for lo, hi in out for u in range(lo, hi + 1)] == sorted(serials)
    assert all(hi + 1 < lo for (_, hi), (lo, _) in zip(out, out[1:], strict=False))
