"""Taking units by serial range conserves every unit: what is taken plus what each block
keeps is exactly the block, for every start and length inside it — including ranges that end
at the block's last unit or one before it (a boundary an earlier suite let through)."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from jcm.registry.rules import HeldBlock, take_units


def _units(start: int, end: int) -> set[int]:
    return set(range(start, end + 1))


@st.composite
def _blocks_and_range(draw: st.DrawFn) -> tuple[list[HeldBlock], int, int]:
    sizes = draw(st.lists(st.integers(1, 40), min_size=1, max_size=4))
    blocks, at = [], draw(st.integers(1, 1000))
    for i, size in enumerate(sizes):
        gap = draw(st.integers(0, 3))
        at += gap
        blocks.append(HeldBlock(i + 1, 7, at, at + size - 1))
        at += size
    first = draw(st.integers(blocks[0].start, blocks[-1].end))
    quantity = draw(st.integers(1, blocks[-1].end - first + 1))
    return blocks, first, quantity


@given(_blocks_and_range())
def test_a_range_take_conserves_every_block(case: tuple[list[HeldBlock], int, int]) -> None:
    blocks, first, quantity = case
    takes, available = take_units(blocks, quantity, serial_start=first)
    wanted = _units(first, first + quantity - 1)
    by_block = {b.id: b for b in blocks}
    taken: set[int] = set()
    for t in takes:
        b = by_block[t.block_id]
        kept = set().union(*(_units(lo, hi) for lo, hi in t.keep)) if t.keep else set()
        took = _units(t.start, t.end)
        assert took.isdisjoint(kept)
        assert took | kept == _units(b.start, b.end)  # nothing lost, nothing made
        taken |= took
    held = set().union(*(_units(b.start, b.end) for b in blocks))
    assert taken == wanted & held
    assert available == len(taken)


def test_a_range_ending_one_before_the_blocks_end_keeps_the_last_unit() -> None:
    block = HeldBlock(1, 7, 1, 10)
    (take,), available = take_units([block], 8, serial_start=2)  # units 2..9
    assert (take.start, take.end, available) == (2, 9, 8)
    assert take.keep == ((1, 1), (10, 10))


def test_a_range_ending_at_the_blocks_end_keeps_only_the_head() -> None:
    block = HeldBlock(1, 7, 1, 10)
    (take,), _ = take_units([block], 9, serial_start=2)  # units 2..10
    assert take.keep == ((1, 1),)
