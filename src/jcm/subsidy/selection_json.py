"""The JSON form of a selection, for the CLI, the API and the web pages."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from jcm.subsidy._format import fixed, rate_text

if TYPE_CHECKING:
    from jcm.subsidy.selection import Selection, SensitivityRun


def _round(x: float | None, places: int = 6) -> float | None:
    return None if x is None else round(x, places)


def selection_as_dict(s: Selection) -> dict[str, Any]:
    """Integers are yen or tCO2 exactly; ``weighted_objective`` is exact text to 2 places
    (rounded down); gap and bounds are solver floats."""
    p, g = s.portfolio, s.greedy
    return {
        "call": s.call,
        **p.totals_dict(),
        "budget_jpy_by_fiscal_year": {str(y): a for y, a in p.budget},
        "weighted_objective": fixed(p.weighted_value),
        "optimality_gap": _round(p.optimality_gap, 9),
        "mip_dual_bound": _round(p.dual_bound, 3),
        "lp_bound": _round(s.lp_bound, 3),
        "solver_status": p.status,
        "solve_seconds": _round(p.solve_seconds, 3),
        "binding_constraints": [u.as_dict() for u in s.binding],
        "left_out": [
            {"id": i, "reasons": [r.as_dict() for r in reasons]} for i, reasons in s.left_out
        ],
        "ineligible": [{"id": i, "failed_rules": list(rules)} for i, rules in s.ineligible],
        "greedy": g.totals_dict(),
        "greedy_total_lifetime_reduction_tco2": g.total_lifetime_reduction_tco2,
        "optimum_extra_lifetime_reduction_tco2": (
            p.total_lifetime_reduction_tco2 - g.total_lifetime_reduction_tco2
        ),
        "sensitivity": [_run(r, p.ids) for r in s.sensitivity],
    }


def _run(r: SensitivityRun, base_ids: tuple[str, ...]) -> dict[str, Any]:
    out: dict[str, Any] = {"factor": rate_text(r.factor), "budget_jpy": r.budget_jpy}
    if r.portfolio is None:
        return {**out, "error_en": r.error_en, "error_ja": r.error_ja}
    ids, base = set(r.portfolio.ids), set(base_ids)
    return {
        **out,
        "selected_count": len(ids),
        "total_subsidy_jpy": r.portfolio.total_subsidy_jpy,
        "total_lifetime_reduction_tco2": r.portfolio.total_lifetime_reduction_tco2,
        "added": sorted(ids - base),
        "dropped": sorted(base - ids),
        "optimality_gap": _round(r.portfolio.optimality_gap, 9),
    }
