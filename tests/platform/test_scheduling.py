from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from jcm.platform.scheduling import Problem, Request, greedy, mutual_weight, solve, violations


@st.composite
def problems(draw: st.DrawFn) -> Problem:
    people = draw(st.integers(2, 8))
    slots = draw(st.integers(1, 4))
    n = draw(st.integers(0, 14))
    requests = []
    for i in range(n):
        a = draw(st.integers(0, people - 1))
        b = draw(st.integers(0, people - 1).filter(lambda x, a=a: x != a))
        lang = draw(st.sampled_from([None, "vi", "th"]))
        requests.append(Request(i, a, b, draw(st.floats(1, 3)), lang))
    unavailable = {
        p: frozenset(draw(st.sets(st.integers(0, slots - 1), max_size=slots)))
        for p in range(people)
    }
    return Problem(
        slots=slots,
        tables=draw(st.integers(1, 3)),
        requests=requests,
        unavailable=unavailable,
        interpreters={"vi": draw(st.integers(0, 2)), "th": draw(st.integers(0, 1))},
    )


@settings(max_examples=60, deadline=None)
@given(problems())
def test_the_solved_schedule_breaks_no_rule(problem: Problem) -> None:
    schedule = solve(problem, time_limit=5)
    assert violations(problem, schedule) == []


@settings(max_examples=60, deadline=None)
@given(problems())
def test_the_optimum_is_never_worse_than_the_greedy_schedule(problem: Problem) -> None:
    weight = {r.id: r.weight for r in problem.requests}
    greedy_value = sum(weight[i] for i in greedy(problem))
    assert solve(problem, time_limit=5).objective >= greedy_value - 1e-6


def test_two_requests_of_one_company_go_to_different_slots() -> None:
    p = Problem(slots=2, tables=5, requests=[Request(1, 0, 1, 2.0), Request(2, 0, 2, 2.0)])
    s = solve(p)
    assert {s.placed[1][0], s.placed[2][0]} == {0, 1}


def test_a_meeting_needing_an_absent_interpreter_is_not_placed() -> None:
    p = Problem(slots=2, tables=5, requests=[Request(1, 0, 1, 2.0, "vi")], interpreters={})
    assert solve(p).placed == {}


def test_the_mutually_preferred_meeting_wins_the_only_table() -> None:
    p = Problem(
        slots=1,
        tables=1,
        requests=[Request(1, 0, 1, mutual_weight(1, 1)), Request(2, 2, 3, mutual_weight(5, None))],
    )
    assert set(solve(p).placed) == {1}


def test_a_side_unavailable_in_a_slot_is_not_scheduled_there() -> None:
    p = Problem(
        slots=2, tables=1, requests=[Request(1, 0, 1, 1.0)], unavailable={1: frozenset({0})}
    )
    assert solve(p).placed == {1: (1, 0)}
