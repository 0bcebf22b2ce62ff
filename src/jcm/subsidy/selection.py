"""Portfolio selection: the eligible applications that buy the most weighted lifetime
reduction within each fiscal year's budget and the caps, solved exactly as a MIP.

Money and tonnes in the result are recomputed exactly from the chosen set; only the
solver's objective, gap and bounds are floating point.
"""

from __future__ import annotations

import math
import time
from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from jcm.errors import FieldProblem, RuleViolation, ValidationFailed
from jcm.subsidy import solver
from jcm.subsidy._format import yen
from jcm.subsidy.application import Application
from jcm.subsidy.policy import SelectionPolicy
from jcm.subsidy.schedule import split_proportionally
from jcm.subsidy.screening import screen
from jcm.subsidy.selection_model import Candidate, Limit, budget_limits, cap_limits, violations
from jcm.subsidy.selection_report import (
    LimitUse,
    Reason,
    greedy,
    must_exclude_reason,
    reasons_left_out,
    within_gap_reason,
)
from jcm.subsidy.settings import CallSettings

Budget = tuple[tuple[int, int], ...]


def scale_budget(call: CallSettings, total_jpy: int | None) -> Budget:
    """The call's yearly budgets, or ``total_jpy`` split in their proportion (exact yen)."""
    if total_jpy is None:
        return call.budget_jpy_by_fiscal_year
    years = [y for y, _ in call.budget_jpy_by_fiscal_year]
    weights = [a for _, a in call.budget_jpy_by_fiscal_year]
    if sum(weights) == 0:
        weights = [1] * len(years)
    return tuple(zip(years, split_proportionally(total_jpy, weights), strict=True))


@dataclass(frozen=True)
class Portfolio:
    """One solved selection under one budget, with exact totals."""

    budget: Budget
    chosen: tuple[int, ...]
    ids: tuple[str, ...]
    total_subsidy_jpy: int
    total_lifetime_reduction_tco2: int
    weighted_value: Fraction
    spend_by_fiscal_year: tuple[tuple[int, int], ...]
    optimality_gap: float | None
    dual_bound: float | None
    status: str
    solve_seconds: float

    def totals_dict(self) -> dict[str, Any]:
        return {
            "selected": list(self.ids),
            "total_subsidy_jpy": self.total_subsidy_jpy,
            "total_lifetime_reduction_tco2": self.total_lifetime_reduction_tco2,
            "spend_by_fiscal_year": {str(y): a for y, a in self.spend_by_fiscal_year},
        }


@dataclass(frozen=True)
class SensitivityRun:
    """What a budget scaled by ``factor`` would buy."""

    factor: Fraction
    budget_jpy: int
    portfolio: Portfolio | None
    error_en: str = ""
    error_ja: str = ""


@dataclass(frozen=True)
class Selection:
    """The optimum, how it compares with greedy and the LP bound, and why others are out."""

    call: str
    portfolio: Portfolio
    lp_bound: float
    limit_uses: tuple[LimitUse, ...]
    left_out: tuple[tuple[str, tuple[Reason, ...]], ...]
    ineligible: tuple[tuple[str, tuple[str, ...]], ...]
    greedy: Portfolio
    sensitivity: tuple[SensitivityRun, ...]

    @property
    def binding(self) -> tuple[LimitUse, ...]:
        """Limits that are exactly full or that keep an application out."""
        return tuple(u for u in self.limit_uses if u.slack == 0 or u.blocks)

    def as_dict(self) -> dict[str, Any]:
        """JSON form; see ``selection_json``."""
        from jcm.subsidy.selection_json import selection_as_dict

        return selection_as_dict(self)


def select_portfolio(
    applications: Sequence[Application],
    call: CallSettings,
    policy: SelectionPolicy | None = None,
) -> Selection:
    """Screen, then choose the portfolio; raises ``RuleViolation`` if the must-include set
    cannot fit, ``ValidationFailed`` if it names unknown applications."""
    policy = policy or SelectionPolicy()
    screenings = [screen(a, call) for a in applications]
    _check_forced_ids(applications, policy)
    ineligible = tuple(
        (s.application.id, tuple(s.failed_rules)) for s in screenings if not s.eligible
    )
    _refuse_ineligible_forced(ineligible, policy)
    eligible = [s.application for s in screenings if s.eligible]
    candidates = [
        Candidate(a, policy.weight(a)) for a in eligible if a.id not in policy.must_exclude
    ]
    fixed_ix = [i for i, c in enumerate(candidates) if c.app.id in policy.must_include]
    budget = scale_budget(call, policy.budget_jpy)
    limits = _limits(candidates, budget, policy)
    portfolio = optimise(candidates, limits, fixed_ix, budget, policy)
    lp = solver.lp_bound([float(c.value) for c in candidates], limits, fixed_ix)
    uses, left_out = _explain(candidates, limits, portfolio, eligible, policy)
    greedy_ix = greedy(candidates, limits, fixed_ix)
    return Selection(
        call=call.call,
        portfolio=portfolio,
        lp_bound=lp,
        limit_uses=uses,
        left_out=left_out,
        ineligible=ineligible,
        greedy=_portfolio(candidates, tuple(sorted(greedy_ix)), budget, None, None, "greedy", 0.0),
        sensitivity=tuple(
            _sensitivity(candidates, call, policy, f) for f in policy.sensitivity_factors
        ),
    )


def _limits(
    candidates: Sequence[Candidate], budget: Budget, policy: SelectionPolicy
) -> list[Limit]:
    return (
        budget_limits(candidates, budget)
        + cap_limits(candidates, policy.country_caps, "country")
        + cap_limits(candidates, policy.technology_caps, "technology")
    )


def optimise(
    candidates: Sequence[Candidate],
    limits: Sequence[Limit],
    fixed_ix: Sequence[int],
    budget: Budget,
    policy: SelectionPolicy,
) -> Portfolio:
    """Solve the MIP; re-check the chosen set exactly and tighten any limit the solver's
    tolerance let slip (never seen in practice, but money must be exact)."""
    _refuse_infeasible_forced(candidates, limits, fixed_ix)
    values = [float(c.value) for c in candidates]
    work = list(limits)
    started = time.perf_counter()
    for _ in range(5):
        result = solver.solve(
            values, work, fixed_ix, rel_gap=policy.mip_rel_gap, time_limit_s=policy.time_limit_s
        )
        broken = violations(limits, result.chosen)
        if not broken:
            break
        excess = {limit.name: over for limit, over in broken}
        work = [_tightened(w, excess.get(w.name, 0)) for w in work]
    else:
        raise RuleViolation(
            "The solver could not find an exact selection.", "厳密な選定解が得られませんでした。"
        )
    if not result.chosen and fixed_ix:
        raise RuleViolation(
            f"No selection found ({result.status}).", f"選定解が見つかりません（{result.status}）。"
        )
    elapsed = time.perf_counter() - started
    return _portfolio(
        candidates,
        result.chosen,
        budget,
        _finite(result.mip_gap),
        _finite(result.dual_bound),
        result.status,
        elapsed,
    )


def _tightened(limit: Limit, excess: int) -> Limit:
    if not excess:
        return limit
    return Limit(limit.name, limit.kind, limit.key, limit.limit - excess, limit.coefficients)


def _finite(x: float) -> float | None:
    return x if math.isfinite(x) else None


def _portfolio(
    candidates: Sequence[Candidate],
    chosen: tuple[int, ...],
    budget: Budget,
    gap: float | None,
    dual_bound: float | None,
    status: str,
    seconds: float,
) -> Portfolio:
    apps = [candidates[i].app for i in chosen]
    spend = tuple((y, sum(a.schedule.get(y, 0) for a in apps)) for y, _ in budget)
    return Portfolio(
        budget=budget,
        chosen=chosen,
        ids=tuple(a.id for a in apps),
        total_subsidy_jpy=sum(a.requested_subsidy_jpy for a in apps),
        total_lifetime_reduction_tco2=sum(a.lifetime_reduction_tco2 for a in apps),
        weighted_value=sum((candidates[i].value for i in chosen), Fraction(0)),
        spend_by_fiscal_year=spend,
        optimality_gap=gap,
        dual_bound=dual_bound,
        status=status,
        solve_seconds=seconds,
    )


def _explain(
    candidates: Sequence[Candidate],
    limits: Sequence[Limit],
    portfolio: Portfolio,
    eligible: Sequence[Application],
    policy: SelectionPolicy,
) -> tuple[tuple[LimitUse, ...], tuple[tuple[str, tuple[Reason, ...]], ...]]:
    used = [limit.used(portfolio.chosen) for limit in limits]
    chosen = set(portfolio.chosen)
    blocks: dict[str, list[str]] = {limit.name: [] for limit in limits}
    left_out: list[tuple[str, tuple[Reason, ...]]] = []
    for i, c in enumerate(candidates):
        if i in chosen:
            continue
        reasons = reasons_left_out(i, limits, used) or [within_gap_reason()]
        for r in reasons:
            blocks.get(r.limit, []).append(c.app.id)
        left_out.append((c.app.id, tuple(reasons)))
    left_out += [(a.id, (must_exclude_reason(),)) for a in eligible if a.id in policy.must_exclude]
    uses = tuple(
        LimitUse(limit, u, tuple(blocks[limit.name])) for limit, u in zip(limits, used, strict=True)
    )
    return uses, tuple(left_out)


def _sensitivity(
    candidates: Sequence[Candidate], call: CallSettings, policy: SelectionPolicy, factor: Fraction
) -> SensitivityRun:
    base = policy.budget_jpy if policy.budget_jpy is not None else call.total_budget_jpy
    total = base * factor.numerator // factor.denominator
    budget = scale_budget(call, total)
    fixed_ix = [i for i, c in enumerate(candidates) if c.app.id in policy.must_include]
    try:
        portfolio = optimise(
            candidates, _limits(candidates, budget, policy), fixed_ix, budget, policy
        )
    except RuleViolation as error:
        return SensitivityRun(factor, total, None, error.message_en, error.message_ja)
    return SensitivityRun(factor, total, portfolio)


def _check_forced_ids(applications: Sequence[Application], policy: SelectionPolicy) -> None:
    known = {a.id for a in applications}
    problems = []
    for key, ids in (("must_include", policy.must_include), ("must_exclude", policy.must_exclude)):
        for unknown in sorted(ids - known):
            problems.append(
                FieldProblem(
                    key, f"no application '{unknown}'.", f"申請 '{unknown}' はありません。"
                )
            )
    for both in sorted(policy.must_include & policy.must_exclude):
        problems.append(
            FieldProblem(
                "must_include",
                f"'{both}' is also in must_exclude.",
                f"'{both}' は除外指定にも含まれています。",
            )
        )
    if problems:
        raise ValidationFailed.of(problems)


def _refuse_ineligible_forced(
    ineligible: Sequence[tuple[str, tuple[str, ...]]], policy: SelectionPolicy
) -> None:
    bad = [(i, rules) for i, rules in ineligible if i in policy.must_include]
    if bad:
        listed = "; ".join(f"{i} ({', '.join(rules)})" for i, rules in bad)
        raise RuleViolation(
            f"Must-include applications are not eligible: {listed}.",
            f"必須採択に指定された申請が不適格です：{listed}。",
            field="must_include",
        )


def _refuse_infeasible_forced(
    candidates: Sequence[Candidate], limits: Sequence[Limit], fixed_ix: Sequence[int]
) -> None:
    broken = violations(limits, fixed_ix)
    if broken:
        en = "; ".join(f"{limit.name} exceeded by {yen(over)}" for limit, over in broken)
        raise RuleViolation(
            f"The must-include applications alone do not fit: {en}.",
            f"必須採択の申請だけで上限を超えます：{en}。",
            field="must_include",
        )


__all__ = ["Portfolio", "Selection", "SensitivityRun", "scale_budget", "select_portfolio"]
