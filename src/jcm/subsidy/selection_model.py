"""The selection problem in exact terms: candidates, their value, and linear limits.

Every limit is "Σ coefficient × chosen ≤ limit" with integer yen or project counts, so a
chosen set can be checked exactly, whatever the solver's floating-point tolerances.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from fractions import Fraction

from jcm.subsidy.application import Application


@dataclass(frozen=True)
class Cap:
    """A limit per country or per technology: projects and/or yen. Key "*" = each one."""

    key: str
    max_projects: int | None = None
    max_jpy: int | None = None


@dataclass(frozen=True)
class Candidate:
    """An eligible application with its weight in the objective."""

    app: Application
    weight: Fraction

    @property
    def value(self) -> Fraction:
        """Weighted lifetime reduction, tCO2."""
        return self.weight * self.app.lifetime_reduction_tco2


@dataclass(frozen=True)
class Limit:
    """One linear limit: coefficients by candidate position, in yen or projects."""

    name: str
    kind: str  # budget | country_projects | country_jpy | technology_projects | technology_jpy
    key: str
    limit: int
    coefficients: Mapping[int, int] = field(default_factory=dict)

    def used(self, chosen: Iterable[int]) -> int:
        return sum(self.coefficients.get(i, 0) for i in chosen)


def budget_limits(
    candidates: Sequence[Candidate], budget: Sequence[tuple[int, int]]
) -> list[Limit]:
    """One limit per fiscal year: the sum of the chosen schedules for that year."""
    out = []
    for year, amount in budget:
        coef = {i: c.app.schedule.get(year, 0) for i, c in enumerate(candidates)}
        out.append(
            Limit(
                f"budget_fy{year}",
                "budget",
                str(year),
                amount,
                {i: v for i, v in coef.items() if v},
            )
        )
    return out


def cap_limits(candidates: Sequence[Candidate], caps: Sequence[Cap], dimension: str) -> list[Limit]:
    """Limits for country (``dimension="country"``) or technology caps."""
    groups: dict[str, list[int]] = {}
    for i, c in enumerate(candidates):
        key = c.app.partner_country if dimension == "country" else c.app.technology
        groups.setdefault(key, []).append(i)
    out: list[Limit] = []
    for cap in caps:
        keys = sorted(groups) if cap.key == "*" else [cap.key]
        for key in keys:
            members = groups.get(key, [])
            out.extend(_cap_pair(candidates, cap, dimension, key, members))
    return out


def _cap_pair(
    candidates: Sequence[Candidate], cap: Cap, dimension: str, key: str, members: list[int]
) -> list[Limit]:
    out = []
    if cap.max_projects is not None:
        out.append(
            Limit(
                f"{dimension}_projects_{key}",
                f"{dimension}_projects",
                key,
                cap.max_projects,
                dict.fromkeys(members, 1),
            )
        )
    if cap.max_jpy is not None:
        coef = {i: candidates[i].app.requested_subsidy_jpy for i in members}
        out.append(Limit(f"{dimension}_jpy_{key}", f"{dimension}_jpy", key, cap.max_jpy, coef))
    return out


def violations(limits: Sequence[Limit], chosen: Iterable[int]) -> list[tuple[Limit, int]]:
    """Each limit the chosen set exceeds, with the excess."""
    chosen = list(chosen)
    out = []
    for limit in limits:
        excess = limit.used(chosen) - limit.limit
        if excess > 0:
            out.append((limit, excess))
    return out
