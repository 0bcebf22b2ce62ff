"""Pure invariant checks: rebuild holdings from the movement log and compare with the blocks.

conservation        per issuance, issued = held + cancelled + retired
no double serial    no two live blocks share a serial
only held units     every movement takes units its sender held, in state "held"
terminal is final   cancelled and retired units never move again
within verified     each issuance is at most its verified reductions
"""

from __future__ import annotations

from bisect import bisect_right
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

HELD = "held"
STATE_FOR_KIND = {
    "government_holding": HELD,
    "participant_holding": HELD,
    "cancellation": "cancelled",
    "retirement": "retired",
}


@dataclass(frozen=True)
class Movement:
    """Units [start, end] of one issuance moved from one account (None = issued) to another."""

    transaction_id: int
    issuance_id: int
    start: int
    end: int
    from_account: int | None
    to_account: int
    to_state: str


@dataclass(frozen=True)
class Piece:
    """A run of serials with one holder and state (a block, or a rebuilt segment)."""

    issuance_id: int
    start: int
    end: int
    account: int
    state: str


class _Live:
    """Live pieces of one issuance, sorted by first serial, with the starts kept alongside."""

    def __init__(self) -> None:
        self.starts: list[int] = []
        self.pieces: list[Piece] = []

    def overlapping(self, start: int, end: int) -> list[int]:
        i = max(bisect_right(self.starts, start) - 1, 0)
        out = []
        while i < len(self.pieces) and self.pieces[i].start <= end:
            if self.pieces[i].end >= start:
                out.append(i)
            i += 1
        return out

    def insert(self, piece: Piece) -> None:
        i = bisect_right(self.starts, piece.start)
        self.starts.insert(i, piece.start)
        self.pieces.insert(i, piece)

    def replace(self, first: int, last: int, pieces: list[Piece]) -> None:
        self.pieces[first : last + 1] = pieces
        self.starts[first : last + 1] = [p.start for p in pieces]


def replay(movements: Iterable[Movement]) -> tuple[list[Piece], list[str]]:
    """Rebuild the live pieces from movements in log order; report every illegal movement."""
    live: dict[int, _Live] = defaultdict(_Live)
    problems: list[str] = []
    for m in movements:
        pieces = live[m.issuance_id]
        if m.from_account is None:
            if pieces.overlapping(m.start, m.end):
                problems.append(f"transaction {m.transaction_id}: serials issued twice")
                continue
        else:
            why = _remove(pieces, m)
            if why:
                problems.append(f"transaction {m.transaction_id}: {why}")
                continue
        pieces.insert(Piece(m.issuance_id, m.start, m.end, m.to_account, m.to_state))
    rebuilt = [p for group in live.values() for p in group.pieces]
    return normalise(rebuilt), problems


def _remove(live: _Live, m: Movement) -> str | None:
    idx = live.overlapping(m.start, m.end)
    pieces = live.pieces
    covered = sum(min(m.end, pieces[i].end) - max(m.start, pieces[i].start) + 1 for i in idx)
    if covered != m.end - m.start + 1:
        return f"moves serials {m.start}-{m.end} that are not all live"
    for i in idx:
        p = pieces[i]
        if p.account != m.from_account:
            return f"moves serials held by account {p.account}, not the sender {m.from_account}"
        if p.state != HELD:
            return f"moves {p.state} serials; cancelled and retired units are final"
    replacement: list[Piece] = []
    for i in idx:
        p = pieces[i]
        if p.start < m.start:
            replacement.append(Piece(p.issuance_id, p.start, m.start - 1, p.account, p.state))
        if p.end > m.end:
            replacement.append(Piece(p.issuance_id, m.end + 1, p.end, p.account, p.state))
    live.replace(idx[0], idx[-1], replacement)
    return None


def normalise(pieces: Iterable[Piece]) -> list[Piece]:
    """Sort and merge adjacent runs with the same holder and state."""
    out: list[Piece] = []
    for p in sorted(pieces, key=lambda p: (p.issuance_id, p.start)):
        last = out[-1] if out else None
        if (
            last is not None
            and last.issuance_id == p.issuance_id
            and last.end + 1 == p.start
            and (last.account, last.state) == (p.account, p.state)
        ):
            out[-1] = Piece(p.issuance_id, last.start, p.end, p.account, p.state)
        else:
            out.append(p)
    return out


def block_problems(
    blocks: Iterable[Piece], issued: Mapping[int, int], account_kinds: Mapping[int, str]
) -> list[str]:
    """Check the current blocks on their own: serial bounds, overlaps, conservation, states."""
    problems: list[str] = []
    totals: dict[int, int] = defaultdict(int)
    last_end: dict[int, int] = {}
    for b in sorted(blocks, key=lambda p: (p.issuance_id, p.start)):
        amount = issued.get(b.issuance_id)
        if amount is None:
            problems.append(f"block {b.start}-{b.end} belongs to unknown issuance {b.issuance_id}")
            continue
        if b.start > b.end or b.start < 1 or b.end > amount:
            problems.append(f"issuance {b.issuance_id}: block {b.start}-{b.end} out of range")
        if last_end.get(b.issuance_id, 0) >= b.start:
            problems.append(f"issuance {b.issuance_id}: serial {b.start} is in two live blocks")
        last_end[b.issuance_id] = b.end
        totals[b.issuance_id] += b.end - b.start + 1
        expected = STATE_FOR_KIND.get(account_kinds.get(b.account, ""))
        if expected != b.state:
            problems.append(
                f"issuance {b.issuance_id}: block {b.start}-{b.end} is {b.state} "
                f"in a {account_kinds.get(b.account)} account"
            )
    for issuance_id, amount in issued.items():
        if totals[issuance_id] != amount:
            problems.append(
                f"issuance {issuance_id}: issued {amount} but blocks hold {totals[issuance_id]}"
            )
    return problems


def compare(rebuilt: list[Piece], blocks: Iterable[Piece]) -> list[str]:
    """Differences between holdings rebuilt from the log and the current blocks."""
    actual = normalise(blocks)
    if actual == rebuilt:
        return []
    a, r = set(actual), set(rebuilt)
    diffs = [f"block not explained by the log: {p}" for p in sorted(a - r, key=_key)[:20]]
    diffs += [f"log holding missing from blocks: {p}" for p in sorted(r - a, key=_key)[:20]]
    return diffs or ["blocks and log differ in order"]


def _key(p: Piece) -> tuple[int, int]:
    return (p.issuance_id, p.start)
