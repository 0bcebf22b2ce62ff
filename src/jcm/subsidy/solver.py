"""The MIP solver port: HiGHS through ``highspy``. Inputs are exact; only the solver works
in floating point, and callers re-check the chosen set exactly."""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

import highspy
import numpy as np

from jcm.subsidy.selection_model import Limit

_quieted = False


@contextlib.contextmanager
def _quiet_stdout() -> Iterator[None]:
    """HiGHS prints a banner from C on the first ``Highs()`` of a process, which would
    spoil ``--json`` output; send file descriptor 1 to /dev/null meanwhile."""
    sys.stdout.flush()
    try:
        saved = os.dup(1)
    except OSError:
        yield
        return
    devnull = os.open(os.devnull, os.O_WRONLY)
    try:
        os.dup2(devnull, 1)
        yield
    finally:
        os.dup2(saved, 1)
        os.close(saved)
        os.close(devnull)


def new_highs() -> highspy.Highs:
    global _quieted
    if _quieted:
        h = highspy.Highs()  # type: ignore[no-untyped-call]
    else:
        with _quiet_stdout():
            h = highspy.Highs()  # type: ignore[no-untyped-call]
        _quieted = True
    h.setOptionValue("output_flag", False)
    return h


@dataclass(frozen=True)
class SolverResult:
    chosen: tuple[int, ...]
    status: str
    optimal: bool
    mip_gap: float
    dual_bound: float
    objective: float


def _build(
    h: highspy.Highs,
    values: Sequence[float],
    limits: Sequence[Limit],
    fixed: Sequence[int],
    integer: bool,
) -> None:
    n = len(values)
    lower = np.zeros(n)
    lower[list(fixed)] = 1.0
    h.addVars(n, lower, np.ones(n))
    h.changeColsCost(n, np.arange(n, dtype=np.int32), np.asarray(values, dtype=float))
    if integer and n:
        kinds = np.full(n, highspy.HighsVarType.kInteger)
        h.changeColsIntegrality(n, np.arange(n, dtype=np.int32), kinds)
    for limit in limits:
        cols = np.fromiter(limit.coefficients.keys(), dtype=np.int32)
        coef = np.fromiter(limit.coefficients.values(), dtype=float)
        h.addRow(-h.inf, float(limit.limit), len(cols), cols, coef)
    h.changeObjectiveSense(highspy.ObjSense.kMaximize)


def solve(
    values: Sequence[float],
    limits: Sequence[Limit],
    fixed: Sequence[int],
    *,
    rel_gap: float,
    time_limit_s: float,
) -> SolverResult:
    """Maximise Σ value × x over binary x subject to the limits; ``fixed`` forced to 1."""
    h = new_highs()
    _build(h, values, limits, fixed, integer=True)
    h.setOptionValue("mip_rel_gap", rel_gap)
    h.setOptionValue("time_limit", time_limit_s)
    h.setOptionValue("mip_feasibility_tolerance", 1e-9)
    h.setOptionValue("primal_feasibility_tolerance", 1e-9)
    h.run()
    status = h.getModelStatus()
    info = h.getInfo()
    solution = h.getSolution()
    has_solution = info.primal_solution_status == 2 and len(values) > 0
    chosen = tuple(i for i, x in enumerate(solution.col_value) if x > 0.5) if has_solution else ()
    return SolverResult(
        chosen=chosen,
        status=h.modelStatusToString(status),
        optimal=status == highspy.HighsModelStatus.kOptimal,
        mip_gap=float(info.mip_gap) if len(values) else 0.0,
        dual_bound=float(info.mip_dual_bound) if len(values) else 0.0,
        objective=float(info.objective_function_value) if has_solution else 0.0,
    )


def lp_bound(values: Sequence[float], limits: Sequence[Limit], fixed: Sequence[int]) -> float:
    """The LP-relaxation optimum: no selection can do better than this."""
    if not values:
        return 0.0
    h = new_highs()
    _build(h, values, limits, fixed, integer=False)
    h.run()
    return float(h.getInfo().objective_function_value)
