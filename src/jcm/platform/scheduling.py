"""The 1:1 business-matching schedule of an Environment Week, as a MIP solved by HiGHS.

One binary x[r, s] per requested meeting r and slot s in which both sides are available.
Maximise the mutual preference of the meetings placed, subject to: each meeting at most
once; nobody in two meetings in one slot; at most ``tables`` meetings per slot; at most the
interpreters available per language per slot. Tables are then numbered within each slot
(any table seats any meeting). A greedy schedule is the fallback and the warm start's floor.
"""

from __future__ import annotations

import time
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import highspy
import numpy as np

from jcm.subsidy.solver import new_highs


@dataclass(frozen=True)
class Request:
    id: int
    a: int
    b: int
    weight: float
    language: str | None = None  # the language needing an interpreter, if any


@dataclass(frozen=True)
class Problem:
    slots: int
    tables: int
    requests: Sequence[Request]
    unavailable: Mapping[int, frozenset[int]] = field(default_factory=dict)
    interpreters: Mapping[str, int] = field(default_factory=dict)  # per language per slot

    def allowed(self, r: Request) -> list[int]:
        blocked = self.unavailable.get(r.a, frozenset()) | self.unavailable.get(r.b, frozenset())
        if r.language is not None and self.interpreters.get(r.language, 0) <= 0:
            return []
        return [s for s in range(self.slots) if s not in blocked]


@dataclass(frozen=True)
class Schedule:
    placed: dict[int, tuple[int, int]]  # request id -> (slot, table), both from 0
    objective: float
    bound: float
    status: str
    seconds: float

    @property
    def gap(self) -> float:
        return 0.0 if self.bound <= 0 else max(0.0, (self.bound - self.objective) / self.bound)


def mutual_weight(rank_a: int | None, rank_b: int | None, depth: int = 10) -> float:
    """1 for any meeting plus up to 1 per side, more for a higher (smaller) rank."""

    def side(rank: int | None) -> float:
        return 0.25 if rank is None else max(0.0, (depth + 1 - rank) / depth)

    return round(1 + side(rank_a) + side(rank_b), 4)


def greedy(problem: Problem) -> dict[int, int]:
    """Heaviest meetings first into the earliest slot that still fits."""
    busy: set[tuple[int, int]] = set()
    used: dict[int, int] = defaultdict(int)
    lang: dict[tuple[str, int], int] = defaultdict(int)
    out: dict[int, int] = {}
    for r in sorted(problem.requests, key=lambda r: (-r.weight, r.id)):
        for s in problem.allowed(r):
            if (r.a, s) in busy or (r.b, s) in busy or used[s] >= problem.tables:
                continue
            if r.language and lang[(r.language, s)] >= problem.interpreters.get(r.language, 0):
                continue
            busy |= {(r.a, s), (r.b, s)}
            used[s] += 1
            if r.language:
                lang[(r.language, s)] += 1
            out[r.id] = s
            break
    return out


def _columns(problem: Problem) -> list[tuple[Request, int]]:
    return [(r, s) for r in problem.requests for s in problem.allowed(r)]


def _rows(problem: Problem, cols: list[tuple[Request, int]]) -> list[tuple[list[int], float]]:
    groups: dict[tuple[object, ...], list[int]] = defaultdict(list)
    for j, (r, s) in enumerate(cols):
        groups[("meeting", r.id)].append(j)
        groups[("person", r.a, s)].append(j)
        groups[("person", r.b, s)].append(j)
        groups[("slot", s)].append(j)
        if r.language:
            groups[("lang", r.language, s)].append(j)
    rows = []
    for key, members in groups.items():
        if key[0] == "slot":
            limit = float(problem.tables)
        elif key[0] == "lang":
            limit = float(problem.interpreters.get(str(key[1]), 0))
        else:
            limit = 1.0
        if len(members) > limit:
            rows.append((members, limit))
    return rows


def solve(problem: Problem, time_limit: float = 50.0, mip_gap: float = 1e-4) -> Schedule:
    """The schedule of greatest mutual preference HiGHS finds within the time limit."""
    started = time.perf_counter()
    cols = _columns(problem)
    fallback = greedy(problem)
    weight = {r.id: r.weight for r in problem.requests}
    greedy_value = sum(weight[i] for i in fallback)
    if not cols:
        return _finish(problem, fallback, greedy_value, greedy_value, "empty", started)
    h = new_highs()
    h.setOptionValue("time_limit", float(time_limit))
    h.setOptionValue("mip_rel_gap", float(mip_gap))
    h.setOptionValue("threads", 1)
    n = len(cols)
    h.addVars(n, np.zeros(n), np.ones(n))
    idx = np.arange(n, dtype=np.int32)
    h.changeColsCost(n, idx, np.array([-r.weight for r, _ in cols], dtype=float))
    h.changeColsIntegrality(n, idx, np.full(n, highspy.HighsVarType.kInteger))
    rows = _rows(problem, cols)
    starts = np.cumsum([0] + [len(m) for m, _ in rows[:-1]]).astype(np.int32)
    index = np.fromiter((j for m, _ in rows for j in m), dtype=np.int32)
    h.addRows(
        len(rows),
        np.full(len(rows), -h.inf),
        np.array([lim for _, lim in rows], dtype=float),
        len(index),
        starts,
        index,
        np.ones(len(index)),
    )
    _warm_start(h, cols, fallback)
    h.run()
    info = h.getInfo()
    status = h.modelStatusToString(h.getModelStatus())
    values = h.getSolution().col_value if info.primal_solution_status else []
    chosen = {cols[j][0].id: cols[j][1] for j, v in enumerate(values) if v > 0.5}
    value = sum(weight[i] for i in chosen)
    bound = max(-float(info.mip_dual_bound), value) if info.mip_dual_bound < h.inf else value
    if value < greedy_value:
        chosen, value = fallback, greedy_value
    return _finish(problem, chosen, value, max(bound, value), status, started)


def _warm_start(h: highspy.Highs, cols: list[tuple[Request, int]], start: dict[int, int]) -> None:
    sol = highspy.HighsSolution()
    sol.col_value = [1.0 if start.get(r.id) == s else 0.0 for r, s in cols]
    h.setSolution(sol)


def _finish(
    problem: Problem,
    chosen: dict[int, int],
    value: float,
    bound: float,
    status: str,
    started: float,
) -> Schedule:
    by_slot: dict[int, list[int]] = defaultdict(list)
    for rid, s in sorted(chosen.items()):
        by_slot[s].append(rid)
    placed = {rid: (s, t) for s, rids in by_slot.items() for t, rid in enumerate(rids)}
    return Schedule(placed, value, bound, status, time.perf_counter() - started)


def violations(problem: Problem, schedule: Schedule) -> list[str]:
    """Every broken rule of a schedule; empty when it is feasible."""
    out: list[str] = []
    by_id = {r.id: r for r in problem.requests}
    seats: set[tuple[int, int]] = set()
    people: set[tuple[int, int]] = set()
    lang: dict[tuple[str, int], int] = defaultdict(int)
    for rid, (s, t) in schedule.placed.items():
        r = by_id[rid]
        if s not in problem.allowed(r):
            out.append(f"meeting {rid} in slot {s} when a side is unavailable")
        if not 0 <= t < problem.tables or (s, t) in seats:
            out.append(f"table {t} in slot {s} over capacity or taken twice")
        seats.add((s, t))
        for p in (r.a, r.b):
            if (p, s) in people:
                out.append(f"participant {p} double-booked in slot {s}")
            people.add((p, s))
        if r.language:
            lang[(r.language, s)] += 1
            if lang[(r.language, s)] > problem.interpreters.get(r.language, 0):
                out.append(f"too few {r.language} interpreters in slot {s}")
    return out
