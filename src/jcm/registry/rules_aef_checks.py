"""The consistency checks a technical expert review runs on one Party's AEF report for a year,
as plain functions over the report's rows and the registry's own sums. No I/O.

Each check gives a ``Check``: its code (``CHECKS``), whether it passed, and what is wrong in
English and Japanese. ``column_value`` is what the report writes in the column "Result of the
consistency checks": the result of the checks that concern the row.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from jcm.registry import rules

Row = Mapping[str, object]
Ranges = Mapping[int, Sequence[tuple[int, int]]]

FIRST_TRANSFER = "first_transfer"  # every used or cancelled ITMO was first transferred
ROLL_FORWARD = "holdings_roll_forward"  # holdings = last year's + this year's flows
UNIQUE_IDS = "unique_identifiers"  # no unit in two holdings
ADJUSTMENTS = "adjustments_reconcile"  # first transfers and uses = the adjustment ledger
CHECKS = (FIRST_TRANSFER, ROLL_FORWARD, UNIQUE_IDS, ADJUSTMENTS)

_USES = frozenset({"Use", "Cancellation"})
_FIRST_PARTY = "First transferring participating Party ID"


@dataclass(frozen=True)
class Check:
    code: str
    passed: bool
    problems_en: tuple[str, ...] = ()
    problems_ja: tuple[str, ...] = ()
    rows: frozenset[int] = field(default_factory=frozenset)  # Table 3/4 rows it flags


def span(row: Row) -> tuple[int, int, int]:
    """(issuance, first serial, last serial) of a row's JCM units."""
    first = rules.parse_unit_id(str(row["First unit ID"]))
    last = rules.parse_unit_id(str(row["Last unit ID"]))
    return int(first["issuance"]), int(first["serial"]), int(last["serial"])


def first_transfers(actions: Sequence[Row], transferred: Ranges) -> Check:
    """Every ITMO used or cancelled in the year (Table 3) by a Party other than the one that
    authorised it is covered by a first transfer recorded by the end of the year (its
    first-transfer definition may make the use itself the first transfer: the record then
    exists too)."""
    en: list[str] = []
    ja: list[str] = []
    flagged: set[int] = set()
    for n, row in enumerate(actions):
        user = row["Using/cancelling participating Party ID"]
        if row["Action type"] not in _USES or user in ("", row[_FIRST_PARTY]):
            continue
        issuance, lo, hi = span(row)
        for a, b in rules.uncovered((lo, hi), list(transferred.get(issuance, ()))):
            flagged.add(n)
            en.append(f"{row['First unit ID']}: units {a}-{b} used with no first transfer")
            ja.append(f"{row['First unit ID']}: ユニット {a}-{b} が初回移転なしに使用されています")
    return Check(FIRST_TRANSFER, not en, tuple(en), tuple(ja), frozenset(flagged))


def roll_forward(held_before: int, flows: int, held_now: Sequence[Row]) -> Check:
    """The holdings at the end of the year equal those at the end of the year before plus
    the year's flows into and out of the Party's registry (from the movement log)."""
    now = sum(int(str(r["Quantity (t CO2 eq)"])) for r in held_now)
    if now == held_before + flows:
        return Check(ROLL_FORWARD, True)
    return Check(
        ROLL_FORWARD,
        False,
        (f"holdings {now:,} t ≠ last year's {held_before:,} t + this year's {flows:+,} t",),
        (f"保有量 {now:,} t が前年末 {held_before:,} t + 当年の増減 {flows:+,} t と一致しません",),
    )


def unique_identifiers(holdings: Sequence[Row]) -> Check:
    """No unit appears in two rows of Table 4."""
    by_issuance: dict[int, list[tuple[int, int, int]]] = defaultdict(list)
    for n, row in enumerate(holdings):
        issuance, lo, hi = span(row)
        by_issuance[issuance].append((lo, hi, n))
    en: list[str] = []
    ja: list[str] = []
    flagged: set[int] = set()
    for issuance, spans in sorted(by_issuance.items()):
        spans.sort()
        reach, owner = spans[0][1], spans[0][2]  # the furthest serial held so far, by whom
        for lo, hi, n in spans[1:]:
            if lo <= reach:
                flagged |= {owner, n}
                en.append(f"issuance {issuance}: units {lo}-{min(reach, hi)} in two holdings")
                ja.append(f"発行 {issuance}: ユニット {lo}-{min(reach, hi)} が二つの保有に重複")
            if hi > reach:
                reach, owner = hi, n
    return Check(UNIQUE_IDS, not en, tuple(en), tuple(ja), frozenset(flagged))


def adjustments(party: str, actions: Sequence[Row], ledger: Mapping[str, int]) -> Check:
    """The first transfers the Party reports (Table 3) add up to its first-transfer
    adjustments for the year, and its uses towards its NDC to its (negative) use
    adjustments. ``ledger``: the year's adjustment entries by reason."""
    first = sum(
        int(str(r["Quantity (t CO2 eq)"]))
        for r in actions
        if r["Action type"] == "First transfer" and r[_FIRST_PARTY] == party
    )
    used = sum(
        int(str(r["Quantity (t CO2 eq)"]))
        for r in actions
        if r["Action subtype"] == "Use towards NDC"
        and r["Using/cancelling participating Party ID"] == party
    )
    en: list[str] = []
    ja: list[str] = []
    booked_first = ledger.get("first_transfer", 0)
    booked_use = ledger.get("use_towards_ndc", 0)
    if first != booked_first:
        en.append(f"first transfers {first:,} t, adjustments {booked_first:+,} t")
        ja.append(f"初回移転 {first:,} t に対し相当調整 {booked_first:+,} t")
    if -used != booked_use:
        en.append(f"use towards the NDC {used:,} t, adjustments {booked_use:+,} t")
        ja.append(f"NDC への使用 {used:,} t に対し相当調整 {booked_use:+,} t")
    return Check(ADJUSTMENTS, not en, tuple(en), tuple(ja))


def column_value(checks: Iterable[Check], row: int, *, table: str) -> str:
    """The column "Result of the consistency checks" for row ``row`` of ``table``
    ("actions" or "holdings"): the checks that flag this row, else the overall result."""
    own = {FIRST_TRANSFER: "actions", UNIQUE_IDS: "holdings"}
    listed = list(checks)
    flagged = [c.code for c in listed if own.get(c.code) == table and row in c.rows]
    if flagged:
        return "Failed: " + ", ".join(flagged)
    failed = [c.code for c in listed if not c.passed]
    if failed:
        return "Report not consistent: " + ", ".join(failed)
    return f"Passed ({len(listed)} checks)"
