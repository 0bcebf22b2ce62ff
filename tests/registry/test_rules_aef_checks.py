"""The AEF consistency checks as plain functions, on hand-made rows."""

from __future__ import annotations

from jcm.registry import rules_aef_checks as checks
from jcm.registry.rules import unit_id


def _unit(issuance: int, serial: int) -> str:
    return unit_id("JCM-JP-ID", "JP", "ID001", 2023, issuance, serial)


def _row(issuance: int, lo: int, hi: int, **fields: object) -> dict[str, object]:
    return {
        "First unit ID": _unit(issuance, lo),
        "Last unit ID": _unit(issuance, hi),
        "Quantity (t CO2 eq)": hi - lo + 1,
        "First transferring participating Party ID": "IDN",
        "Using/cancelling participating Party ID": "",
        "Action type": "Transfer",
        "Action subtype": "International transfer",
        **fields,
    }


def _use(issuance: int, lo: int, hi: int, by: str = "JPN") -> dict[str, object]:
    return _row(
        issuance,
        lo,
        hi,
        **{
            "Action type": "Use",
            "Action subtype": "Use towards NDC",
            "Using/cancelling participating Party ID": by,
        },
    )


def test_a_use_needs_a_first_transfer_of_every_unit_it_uses() -> None:
    actions = [_row(1, 1, 10), _use(1, 1, 10), _use(2, 5, 9)]
    ok = checks.first_transfers(actions, {1: [(1, 10)], 2: [(1, 9)]})
    assert ok.passed
    # the last unit of the range not covered: named, and only that row flagged
    gap = checks.first_transfers(actions, {1: [(1, 9)], 2: [(1, 9)]})
    assert not gap.passed
    assert gap.rows == frozenset({1})
    assert "units 10-10" in gap.problems_en[0]
    assert "10-10" in gap.problems_ja[0]
    # the authorising Party's own voluntary cancellation needs none
    own = _use(3, 1, 5, by="IDN")
    assert checks.first_transfers([own], {}).passed


def test_holdings_roll_forward_from_last_year() -> None:
    now = [_row(1, 1, 60), _row(1, 71, 100)]  # 90 t
    assert checks.roll_forward(100, -10, now).passed
    off = checks.roll_forward(100, -9, now)
    assert not off.passed
    assert "90" in off.problems_en[0]
    assert "91" not in off.problems_en[0]


def test_no_unit_in_two_holdings_even_behind_a_long_one() -> None:
    assert checks.unique_identifiers([_row(1, 1, 10), _row(1, 11, 20), _row(2, 1, 10)]).passed
    # a long block hides an overlap from the next pair: 1-50 overlaps 30-35, which sits
    # between 10-20 and 40-45 once sorted
    rows = [_row(1, 1, 50), _row(1, 10, 20), _row(1, 40, 45), _row(1, 51, 60)]
    dup = checks.unique_identifiers(rows)
    assert not dup.passed
    assert dup.rows == frozenset({0, 1, 2})
    assert len(dup.problems_en) == 2
    # touching at the last unit is an overlap too
    assert not checks.unique_identifiers([_row(1, 1, 10), _row(1, 10, 12)]).passed


def test_first_transfers_and_uses_reconcile_with_the_ledger() -> None:
    first = _row(1, 1, 30, **{"Action type": "First transfer", "Action subtype": "x"})
    actions = [first, _use(1, 1, 12)]
    assert checks.adjustments("IDN", actions, {"first_transfer": 30}).passed
    assert checks.adjustments("JPN", actions, {"use_towards_ndc": -12}).passed
    short = checks.adjustments("IDN", actions, {"first_transfer": 29})
    assert not short.passed
    assert "30" in short.problems_en[0]
    assert not checks.adjustments("JPN", actions, {"use_towards_ndc": 12}).passed
    assert not checks.adjustments("JPN", actions, {}).passed


def test_the_column_says_what_concerns_the_row() -> None:
    passed = [checks.Check(code, True) for code in checks.CHECKS]
    assert checks.column_value(passed, 0, table="actions") == "Passed (4 checks)"
    gap = checks.Check(checks.FIRST_TRANSFER, False, ("x",), ("x",), frozenset({2}))
    mixed = [gap, *passed[1:]]
    assert checks.column_value(mixed, 2, table="actions") == "Failed: first_transfer"
    assert checks.column_value(mixed, 1, table="actions").startswith("Report not consistent")
    # a row of Table 4 with the same number is not the flagged action
    assert checks.column_value(mixed, 2, table="holdings").startswith("Report not consistent")
