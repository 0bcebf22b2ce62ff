"""The pure invariant checks against a unit-by-unit model of the registry.

``replay`` must rebuild, from any movement log, exactly the holdings a serial-by-serial
simulation gives, and report exactly the movements that simulation refuses, with the reason.
"""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from jcm.registry.invariants import Movement, Piece, block_problems, compare, normalise, replay

HELD = "held"
ACCOUNTS = (100, 101, 102)
STATES = (HELD, HELD, "retired", "cancelled")

Unit = tuple[int, str]  # (account, state) of one serial
Model = dict[int, dict[int, Unit]]  # issuance -> serial -> holder


def _pieces(model: Model) -> list[Piece]:
    """Maximal runs of consecutive serials with one holder and state, as ``normalise`` gives."""
    out: list[Piece] = []
    for issuance in sorted(model):
        for serial in sorted(model[issuance]):
            account, state = model[issuance][serial]
            last = out[-1] if out else None
            if last is not None and (last.issuance_id, last.end + 1, last.account, last.state) == (
                issuance,
                serial,
                account,
                state,
            ):
                out[-1] = Piece(issuance, last.start, serial, account, state)
            else:
                out.append(Piece(issuance, serial, serial, account, state))
    return out


def _refusal(model: Model, m: Movement) -> str | None:
    """Why the unit-by-unit model refuses ``m`` (the reason ``replay`` must give), or None."""
    units = model.setdefault(m.issuance_id, {})
    serials = range(m.start, m.end + 1)
    if m.from_account is None:
        return "serials issued twice" if any(s in units for s in serials) else None
    if any(s not in units for s in serials):
        return f"moves serials {m.start}-{m.end} that are not all live"
    for s in serials:
        account, state = units[s]
        if account != m.from_account:
            return f"moves serials held by account {account}, not the sender {m.from_account}"
        if state != HELD:
            return f"moves {state} serials; cancelled and retired units are final"
    return None


def _edges(model: Model, issuance: int) -> list[int]:
    """Serials next to every run boundary: where an off-by-one would show."""
    out = {1}
    for p in _pieces({issuance: model.get(issuance, {})}):
        out |= {p.start - 1, p.start, p.start + 1, p.end - 1, p.end, p.end + 1}
    return sorted(s for s in out if s >= 1)


@st.composite
def _log(draw: st.DrawFn) -> tuple[list[Movement], Model, list[str]]:
    model: Model = {}
    log: list[Movement] = []
    problems: list[str] = []
    for tx in range(1, draw(st.integers(1, 14)) + 1):
        issuance = draw(st.sampled_from((1, 1, 2)))
        edges = _edges(model, issuance)
        start = draw(st.sampled_from(edges) | st.integers(1, 30))
        end = draw(st.sampled_from([e for e in edges if e >= start] or [start]) | st.just(start))
        end = max(end, start)
        live = model.get(issuance, {})
        if draw(st.booleans()) or not live:
            sender = None
        elif start in live and draw(st.integers(0, 3)):
            sender = live[start][0]  # usually the real holder, so most moves are legal
        else:
            sender = draw(st.sampled_from(ACCOUNTS))
        to, state = draw(st.sampled_from(ACCOUNTS)), draw(st.sampled_from(STATES))
        m = Movement(tx, issuance, start, end, sender, to, HELD if sender is None else state)
        log.append(m)
        why = _refusal(model, m)
        if why is None:
            for s in range(start, end + 1):
                model[issuance][s] = (m.to_account, m.to_state)
        else:
            problems.append(f"transaction {tx}: {why}")
    return log, {i: u for i, u in model.items() if u}, problems


@given(_log())
def test_replay_rebuilds_every_unit_and_refuses_exactly_the_illegal_movements(
    case: tuple[list[Movement], Model, list[str]],
) -> None:
    log, model, problems = case
    pieces, found = replay(log)
    assert found == problems
    assert pieces == _pieces(model)


def test_moving_the_middle_of_a_block_splits_it_in_three() -> None:
    log = [
        Movement(1, 1, 1, 10, None, 100, HELD),
        Movement(2, 1, 4, 6, 100, 101, HELD),
    ]
    assert replay(log) == (
        [Piece(1, 1, 3, 100, HELD), Piece(1, 4, 6, 101, HELD), Piece(1, 7, 10, 100, HELD)],
        [],
    )


def test_a_movement_ending_on_a_later_blocks_first_serial_takes_from_both() -> None:
    log = [
        Movement(1, 1, 1, 5, None, 100, HELD),
        Movement(2, 1, 6, 10, None, 100, HELD),
        Movement(3, 1, 3, 6, 100, 101, HELD),
        Movement(4, 1, 7, 7, 100, 102, HELD),
    ]
    assert replay(log) == (
        [
            Piece(1, 1, 2, 100, HELD),
            Piece(1, 3, 6, 101, HELD),
            Piece(1, 7, 7, 102, HELD),
            Piece(1, 8, 10, 100, HELD),
        ],
        [],
    )


def test_issuing_a_serial_again_is_refused_and_the_log_goes_on() -> None:
    log = [
        Movement(1, 1, 1, 5, None, 100, HELD),
        Movement(2, 1, 5, 8, None, 101, HELD),  # serial 5 again
        Movement(3, 1, 6, 8, None, 101, HELD),
        Movement(4, 1, 1, 5, 100, 102, "retired"),
    ]
    assert replay(log) == (
        [Piece(1, 1, 5, 102, "retired"), Piece(1, 6, 8, 101, HELD)],
        ["transaction 2: serials issued twice"],
    )


def test_a_double_issue_is_found_after_a_block_was_moved_whole() -> None:
    """Moving a whole piece leaves the index of the live pieces in order, so a later issue
    over a serial already issued (5 here) is still seen."""
    log = [
        Movement(1, 1, 2, 2, None, 100, HELD),
        Movement(2, 1, 5, 5, None, 100, HELD),
        Movement(3, 1, 1, 1, None, 100, HELD),
        Movement(4, 1, 1, 1, 100, 101, HELD),
        Movement(5, 1, 6, 6, None, 100, HELD),
        Movement(6, 1, 3, 5, None, 100, HELD),
    ]
    assert replay(log) == (
        [Piece(1, 1, 1, 101, HELD), Piece(1, 2, 2, 100, HELD), Piece(1, 5, 6, 100, HELD)],
        ["transaction 6: serials issued twice"],
    )


def test_a_sender_that_does_not_hold_the_units_is_refused_and_the_log_goes_on() -> None:
    log = [
        Movement(1, 1, 1, 5, None, 100, HELD),
        Movement(2, 1, 1, 5, 101, 102, HELD),
        Movement(3, 1, 1, 6, 100, 102, HELD),
        Movement(4, 1, 1, 5, 100, 102, HELD),
    ]
    assert replay(log) == (
        [Piece(1, 1, 5, 102, HELD)],
        [
            "transaction 2: moves serials held by account 100, not the sender 101",
            "transaction 3: moves serials 1-6 that are not all live",
        ],
    )


def test_normalise_merges_adjacent_runs_of_one_holder_only() -> None:
    pieces = [
        Piece(2, 1, 3, 100, HELD),
        Piece(1, 4, 6, 100, HELD),
        Piece(1, 1, 3, 100, HELD),
        Piece(1, 7, 9, 100, "retired"),
        Piece(1, 11, 12, 100, "retired"),
        Piece(1, 10, 10, 100, "retired"),
        Piece(1, 13, 14, 101, "retired"),
    ]
    assert normalise(pieces) == [
        Piece(1, 1, 6, 100, HELD),
        Piece(1, 7, 12, 100, "retired"),
        Piece(1, 13, 14, 101, "retired"),
        Piece(2, 1, 3, 100, HELD),
    ]


def test_normalise_does_not_merge_across_issuances() -> None:
    pieces = [Piece(1, 1, 3, 100, HELD), Piece(2, 4, 6, 100, HELD)]
    assert normalise(pieces) == pieces


KINDS = {
    100: "participant_holding",
    101: "government_holding",
    102: "retirement",
    103: "cancellation",
}


def test_blocks_that_fill_an_issuance_exactly_are_clean() -> None:
    blocks = [
        Piece(1, 1, 1, 100, HELD),  # a single unit at the first serial
        Piece(1, 2, 5, 101, HELD),
        Piece(1, 6, 9, 102, "retired"),
        Piece(1, 10, 10, 103, "cancelled"),  # ends at the issuance's last serial
    ]
    assert block_problems(blocks, {1: 10}, KINDS) == []


def test_each_serial_bound_is_checked_on_its_own() -> None:
    blocks = [
        Piece(2, 6, 5, 100, HELD),  # reversed
        Piece(3, 8, 11, 100, HELD),  # past the issuance's last serial
    ]
    assert block_problems(blocks, {2: 10, 3: 10}, KINDS) == [
        "issuance 2: block 6-5 out of range",
        "issuance 3: block 8-11 out of range",
        "issuance 2: issued 10 but blocks hold 0",
        "issuance 3: issued 10 but blocks hold 4",
    ]
    below = block_problems([Piece(1, 0, 3, 100, HELD)], {1: 10}, KINDS)
    assert "issuance 1: block 0-3 out of range" in below


def test_blocks_sharing_one_serial_are_found() -> None:
    blocks = [Piece(1, 1, 5, 100, HELD), Piece(1, 5, 9, 100, HELD)]
    assert block_problems(blocks, {1: 9}, KINDS) == [
        "issuance 1: serial 5 is in two live blocks",
        "issuance 1: issued 9 but blocks hold 10",
    ]


def test_a_block_of_an_unknown_issuance_is_reported_and_the_rest_still_checked() -> None:
    blocks = [Piece(0, 1, 2, 100, HELD), Piece(1, 1, 4, 100, "retired")]
    assert block_problems(blocks, {1: 4}, KINDS) == [
        "block 1-2 belongs to unknown issuance 0",
        "issuance 1: block 1-4 is retired in a participant_holding account",
    ]


def test_a_block_in_an_account_of_no_known_kind_is_reported() -> None:
    assert block_problems([Piece(1, 1, 4, 999, HELD)], {1: 4}, KINDS) == [
        "issuance 1: block 1-4 is held in a None account"
    ]


def test_compare_is_empty_when_the_blocks_are_what_the_log_rebuilds() -> None:
    rebuilt = [Piece(1, 1, 6, 100, HELD)]
    assert compare(rebuilt, [Piece(1, 4, 6, 100, HELD), Piece(1, 1, 3, 100, HELD)]) == []


def test_compare_names_each_difference_both_ways() -> None:
    rebuilt = [Piece(1, 1, 5, 100, HELD), Piece(1, 6, 6, 101, HELD)]
    blocks = [Piece(1, 1, 6, 100, HELD)]
    assert compare(rebuilt, blocks) == [
        f"block not explained by the log: {Piece(1, 1, 6, 100, HELD)}",
        f"log holding missing from blocks: {Piece(1, 1, 5, 100, HELD)}",
        f"log holding missing from blocks: {Piece(1, 6, 6, 101, HELD)}",
    ]


def test_compare_lists_at_most_twenty_differences_each_way_in_serial_order() -> None:
    rebuilt = [Piece(1, 2 * i + 1, 2 * i + 1, 100, HELD) for i in range(25)]
    blocks = [Piece(2, 2 * i + 1, 2 * i + 1, 100, HELD) for i in reversed(range(25))]
    diffs = compare(rebuilt, blocks)
    assert diffs == [
        *(
            f"block not explained by the log: {Piece(2, 2 * i + 1, 2 * i + 1, 100, HELD)}"
            for i in range(20)
        ),
        *(
            f"log holding missing from blocks: {Piece(1, 2 * i + 1, 2 * i + 1, 100, HELD)}"
            for i in range(20)
        ),
    ]


def test_compare_reports_the_same_pieces_in_another_order() -> None:
    a, b = Piece(1, 1, 2, 100, HELD), Piece(1, 4, 5, 100, HELD)
    assert compare([b, a], [a, b]) == ["blocks and log differ in order"]
