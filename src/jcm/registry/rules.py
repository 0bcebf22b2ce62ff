"""Pure registry rules: allocation, serial numbers, block splitting, request hashing.

Nothing here touches the database; the service feeds plain data in and writes the results.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

HUNDRED = Decimal(100)
JAPAN_MINIMUM = Decimal(50)
SERIAL_WIDTH = 10
ISSUANCE_WIDTH = 6


@dataclass(frozen=True)
class Share:
    """One line of a project's credit allocation: who, what percentage, Japan's government?"""

    key: str
    percent: Decimal
    japan_government: bool = False


@dataclass(frozen=True)
class HeldBlock:
    """A live block as the splitting rule sees it."""

    id: int
    issuance_id: int
    start: int
    end: int

    @property
    def size(self) -> int:
        return self.end - self.start + 1


@dataclass(frozen=True)
class Take:
    """Units [start, end] taken out of block ``block_id``; ``keep`` is what stays behind."""

    block_id: int
    start: int
    end: int
    keep: tuple[tuple[int, int], ...]

    @property
    def size(self) -> int:
        return self.end - self.start + 1

    @property
    def whole(self) -> bool:
        return not self.keep


def allocation_problems(shares: Sequence[Share], *, subsidised: bool) -> list[tuple[str, str]]:
    """Why the allocation cannot be used (English, Japanese); empty when it is valid."""
    if not shares:
        return [("no shares are defined.", "配分が定義されていません。")]
    problems: list[tuple[str, str]] = []
    if any(s.percent <= 0 for s in shares):
        problems.append(
            ("every share must be above 0 %.", "各配分は 0% より大きくする必要があります。")
        )
    total = sum((s.percent for s in shares), Decimal(0))
    if total != HUNDRED:
        problems.append(
            (f"shares sum to {total} %, not 100 %.", f"配分の合計が {total}% です（100% 必要）。")
        )
    japan = sum((s.percent for s in shares if s.japan_government), Decimal(0))
    if subsidised and japan < JAPAN_MINIMUM:
        problems.append(
            (
                f"a subsidised project gives the Government of Japan at least 50 %, not {japan} %.",
                f"補助事業では日本国政府に 50% 以上を配分する必要があります（現在 {japan}%）。",
            )
        )
    return problems


def allocate_largest_remainder(amount: int, shares: Sequence[Share]) -> list[int]:
    """Split ``amount`` by percentage into whole credits that sum exactly to ``amount``.

    The Government of Japan's combined quota is rounded up, so "at least half" survives
    rounding; the rest goes to the other shares by largest remainder: each gets the floor of
    its exact quota, and the credits left over go one each to the largest fractional parts,
    ties to the share listed first. Several Japanese government shares split their total
    the same way.
    """
    quotas = [Decimal(amount) * s.percent / HUNDRED for s in shares]
    japan = [i for i, s in enumerate(shares) if s.japan_government]
    others = [i for i, s in enumerate(shares) if not s.japan_government]
    japan_total = min(amount, _ceil(sum((quotas[i] for i in japan), Decimal(0))))
    out = [0] * len(shares)
    for group, total in ((japan, japan_total), (others, amount - japan_total)):
        for i, n in zip(group, _largest_remainder(total, [quotas[i] for i in group]), strict=True):
            out[i] = n
    return out


def _largest_remainder(total: int, quotas: Sequence[Decimal]) -> list[int]:
    if not quotas:
        return []
    floors = [int(q) for q in quotas]
    left = total - sum(floors)
    order = sorted(range(len(quotas)), key=lambda i: (-(quotas[i] - floors[i]), i))
    for k in range(left):
        floors[order[k % len(order)]] += 1
    return floors


def _ceil(value: Decimal) -> int:
    whole = int(value)
    return whole + 1 if value > whole else whole


def consecutive_ranges(amounts: Sequence[int], first: int = 1) -> list[tuple[int, int] | None]:
    """Give each non-zero amount the next contiguous serial range, starting at ``first``."""
    out: list[tuple[int, int] | None] = []
    cursor = first
    for n in amounts:
        if n <= 0:
            out.append(None)
            continue
        out.append((cursor, cursor + n - 1))
        cursor += n
    return out


def cooperative_approach_id(partner_iso2: str) -> str:
    """The cooperative approach: the JCM between Japan and one partner, e.g. ``JCM-JP-ID``."""
    return f"JCM-JP-{partner_iso2.upper()}"


def unit_id(
    approach: str, origin: str, project: str, vintage: int, issuance: int, serial: int
) -> str:
    """A unit's identifier, ``JCM-JP-ID.ID.ID001.2023.000001.0000000001`` (see README)."""
    return (
        f"{approach}.{origin.upper()}.{project}.{vintage:04d}."
        f"{issuance:0{ISSUANCE_WIDTH}d}.{serial:0{SERIAL_WIDTH}d}"
    )


def parse_unit_id(text: str) -> dict[str, Any]:
    """Split a unit identifier back into its parts; ValueError when it is malformed."""
    parts = text.split(".")
    if len(parts) != 6 or not parts[0].startswith("JCM-JP-"):
        raise ValueError(f"not a JCM unit identifier: {text!r}")
    approach, origin, project, vintage, issuance, serial = parts
    return {
        "approach": approach,
        "origin": origin,
        "project": project,
        "vintage": int(vintage),
        "issuance": int(issuance),
        "serial": int(serial),
    }


def take_units(
    blocks: Sequence[HeldBlock], quantity: int, *, serial_start: int | None = None
) -> tuple[list[Take], int]:
    """Choose which units leave: blocks in the given order, or the exact range
    [serial_start, serial_start + quantity - 1]. Returns the takes and how many matching
    units were available; the takes cover ``quantity`` only when enough were available."""
    if serial_start is None:
        return _take_in_order(blocks, quantity)
    return _take_range(blocks, serial_start, serial_start + quantity - 1)


def _take_in_order(blocks: Sequence[HeldBlock], quantity: int) -> tuple[list[Take], int]:
    takes: list[Take] = []
    need = quantity
    for b in blocks:
        if need == 0:
            break
        n = min(need, b.size)
        keep = ((b.start + n, b.end),) if n < b.size else ()
        takes.append(Take(b.id, b.start, b.start + n - 1, keep))
        need -= n
    return takes, quantity - need


def _take_range(blocks: Sequence[HeldBlock], first: int, last: int) -> tuple[list[Take], int]:
    takes: list[Take] = []
    for b in blocks:
        lo, hi = max(first, b.start), min(last, b.end)
        if lo > hi:
            continue
        keep: list[tuple[int, int]] = []
        if b.start < lo:
            keep.append((b.start, lo - 1))
        if hi < b.end:
            keep.append((hi + 1, b.end))
        takes.append(Take(b.id, lo, hi, tuple(keep)))
    return takes, sum(t.size for t in takes)


def canonical_json(payload: Any) -> str:
    """Deterministic JSON: sorted keys, no spaces, decimals and dates as strings."""
    return json.dumps(
        payload, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str
    )


def request_hash(kind: str, payload: dict[str, Any]) -> str:
    """SHA-256 of the canonical request, so a replay can be told from a conflicting reuse."""
    return hashlib.sha256(canonical_json({"kind": kind, "request": payload}).encode()).hexdigest()


def first_transfer_due(definition: str, trigger: str, *, international: bool = False) -> bool:
    """Whether an operation is the Article 6.2 first transfer under the authorisation's
    definition: ``issuance``, ``external_transfer``, ``cancellation`` or ``retirement``.

    ``international``: the units go into a registry of a Party other than the authorising
    one. An issuance straight into another Party's registry *is* the first international
    transfer, exactly as an external transfer is.
    """
    if definition == "authorisation_and_issuance":
        return trigger == "issuance"
    if definition == "first_international_transfer":
        return trigger == "external_transfer" or (trigger == "issuance" and international)
    if definition == "use_or_cancellation":
        return trigger in {"cancellation", "retirement"}
    return False


USES = frozenset({"cancellation", "retirement"})
USES_STATES = frozenset({"cancelled", "retired"})


def use_without_first_transfer(
    trigger: str, *, authorising_party: str | None, holder_party: str, first_transferred: bool
) -> bool:
    """Whether an operation would use or cancel authorised units in the registry of a Party
    other than the authorising one while their first transfer is not recorded (after this
    operation's own first transfer, if it is one). Such a use is refused: the authorising
    Party would not have applied its corresponding adjustment (double counting)."""
    return (
        trigger in USES
        and authorising_party is not None
        and holder_party != authorising_party
        and not first_transferred
    )


def uncovered(span: tuple[int, int], covered: Sequence[tuple[int, int]]) -> list[tuple[int, int]]:
    """The parts of the serial range ``span`` (inclusive) not inside any range of ``covered``."""
    out: list[tuple[int, int]] = []
    cursor, last = span
    for start, end in sorted(covered):
        if end < cursor or start > last:
            continue
        if start > cursor:
            out.append((cursor, start - 1))
        cursor = max(cursor, end + 1)
        if cursor > last:
            return out
    if cursor <= last:
        out.append((cursor, last))
    return out


STAFF_ROLES = frozenset({"admin", "secretariat"})


def may_act_on_account(
    role: str,
    *,
    user_organisation: int | None,
    user_organisation_kind: str | None,
    user_country: str | None,
    account_organisation: int,
    registry_country: str,
) -> bool:
    """Organisation scoping of registry accounts (docs/security.md, "Organisation scoping").

    Staff (admin, secretariat) act on every account. Every other role is organisation-scoped
    and a user without an organisation acts on none. A participant acts on its
    organisation's accounts; a partner-government user belongs to one government and acts
    only on that government's accounts in that government's own registry. Other roles act
    on no account.
    """
    if role in STAFF_ROLES:
        return True
    if user_organisation is None or account_organisation != user_organisation:
        return False
    if role == "participant":
        return True
    if role == "partner_government":
        return user_organisation_kind == "government" and registry_country == user_country
    return False
