from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from jcm.errors import IllegalTransition
from jcm.projects.rules import (
    LIFE_CYCLE,
    Status,
    allowed_next,
    check_figures,
    check_ref,
    check_transition,
)


def test_a_project_moves_one_step_at_a_time_along_the_life_cycle() -> None:
    for current, nxt in zip(LIFE_CYCLE, LIFE_CYCLE[1:], strict=False):
        check_transition(current, nxt)


def test_skipping_a_step_is_refused_with_both_states_named() -> None:
    with pytest.raises(IllegalTransition) as exc:
        check_transition(Status.ADOPTED, Status.REGISTERED)
    assert "adopted" in exc.value.message_en
    assert "registered" in exc.value.message_en
    assert "採択" in exc.value.message_ja


def test_going_backwards_is_refused() -> None:
    with pytest.raises(IllegalTransition):
        check_transition(Status.REGISTERED, Status.ADOPTED)


@given(st.sampled_from([s for s in LIFE_CYCLE if s is not Status.CREDITED]))
def test_any_open_project_can_be_withdrawn(status: Status) -> None:
    check_transition(status, Status.WITHDRAWN)


@given(st.sampled_from(list(Status)))
def test_withdrawn_and_credited_are_terminal(target: Status) -> None:
    assert allowed_next(Status.WITHDRAWN) == ()
    with pytest.raises(IllegalTransition):
        check_transition(Status.WITHDRAWN, target)


def test_reference_is_two_letters_and_three_digits_of_the_partner() -> None:
    assert check_ref("TH001", "TH") == []
    assert check_ref("TH01", "TH")[0].field == "ref"
    assert "VN" in check_ref("TH001", "VN")[0].message_en


def test_figures_out_of_range_are_each_named() -> None:
    problems = check_figures(-1, 1999, Decimal("-1"), Decimal("91"), Decimal("181"))
    assert [p.field for p in problems] == [
        "expected_reduction_tco2_per_year",
        "fiscal_year",
        "capacity_mw",
        "latitude",
        "longitude",
    ]
