"""Pure rules of the portfolio dashboards: the pipeline funnel, the FY2030 forecast and
its band, partner countries over time, cost per tonne. Standard library only.

The forecast, documented once here (and in ``docs/open-data.md``):

* a project adopted in fiscal year *A* is commissioned in *A + implementation_years*
  (the subsidy rules allow at most 3 years; 2 is the typical value);
* it then reduces ``expected × realisation`` tCO2 a year for ``durable_years`` years;
* the reductions of fiscal year *Y* (the vintage) are verified and issued in
  *Y + verification_lag_years*, so the vintages from *this FY − lag* on are still open and
  the forecast fills them; the goal counts reductions by vintage up to FY2030;
* ``realisation`` is the historical ratio verified ÷ expected over the monitoring periods
  verified so far (``default_realisation`` until there is enough history), and the band
  applies ``band_low`` / ``band_high`` multipliers to the realisation.
* projects already crediting contribute their issued credits as history, and the forecast
  only adds the years after the last issued vintage.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date

FUNNEL_STAGES: tuple[str, ...] = ("applied", "adopted", "registered", "credited")
LIFE_CYCLE_ORDER: tuple[str, ...] = (
    "idea",
    "applied",
    "adopted",
    "under_construction",
    "validated",
    "registered",
    "monitoring",
    "credited",
)


@dataclass(frozen=True)
class Goals:
    """The government's targets (settings with these defaults)."""

    cumulative_tco2: int = 100_000_000
    cumulative_by_fy: int = 2030
    partner_countries: int = 30
    partner_countries_by: int = 2025


@dataclass(frozen=True)
class ForecastParams:
    implementation_years: int = 2
    durable_years: int = 15
    verification_lag_years: int = 1
    default_realisation: float = 0.8
    min_history_tco2: int = 10_000
    band_low: float = 0.75
    band_high: float = 1.15


@dataclass(frozen=True)
class PipelineProject:
    """One project the forecast counts: adopted fiscal year, expected tCO2/y, first
    fiscal year not yet credited (None: nothing issued yet)."""

    fiscal_year: int
    expected_tco2_per_year: int
    credited_through_fy: int | None = None


@dataclass(frozen=True)
class ForecastPoint:
    fiscal_year: int
    actual: int | None
    central: int
    low: int
    high: int


def stage_reached(status: str, stage: str) -> bool:
    """Whether a project in ``status`` has passed ``stage`` of the life cycle."""
    if status not in LIFE_CYCLE_ORDER:
        return stage == "applied" and status == "withdrawn"
    return LIFE_CYCLE_ORDER.index(status) >= LIFE_CYCLE_ORDER.index(stage)


def funnel(status_counts: Mapping[str, int]) -> list[tuple[str, int]]:
    """Projects that reached each funnel stage (withdrawn ones count as applied only)."""
    return [
        (stage, sum(n for s, n in status_counts.items() if stage_reached(s, stage)))
        for stage in FUNNEL_STAGES
    ]


def realisation(verified_tco2: int, expected_tco2: int, params: ForecastParams) -> float:
    """Verified ÷ expected over the verified periods, or the default without history."""
    if expected_tco2 <= 0 or verified_tco2 + expected_tco2 < params.min_history_tco2:
        return params.default_realisation
    return verified_tco2 / expected_tco2


def commissioning_fy(adopted_fy: int, params: ForecastParams) -> int:
    """Fiscal year the equipment starts operating."""
    return adopted_fy + params.implementation_years


def issued_by_fy(
    project: PipelineProject, params: ForecastParams, ratio: float
) -> dict[int, float]:
    """Reductions the project is forecast to have credited, by vintage (fiscal year)."""
    first = commissioning_fy(project.fiscal_year, params)
    if project.credited_through_fy is not None:
        first = max(first, project.credited_through_fy + 1)
    last = commissioning_fy(project.fiscal_year, params) + params.durable_years - 1
    yearly = project.expected_tco2_per_year * ratio
    return {y: yearly for y in range(first, last + 1)}


def forecast(
    pipeline: Iterable[PipelineProject],
    actual_by_fy: Mapping[int, int],
    params: ForecastParams,
    ratio: float,
    *,
    until_fy: int,
    this_fy: int,
) -> list[ForecastPoint]:
    """Cumulative credits by vintage: issued so far, then the pipeline's forecast from
    ``this_fy`` (the first open vintage) on, with its low/high band."""
    future: dict[int, float] = {}
    for p in pipeline:
        for fy, q in issued_by_fy(p, params, ratio).items():
            if this_fy <= fy <= until_fy:
                future[fy] = future.get(fy, 0.0) + q
    start = min([*actual_by_fy, this_fy])
    points: list[ForecastPoint] = []
    done = central = 0.0
    for fy in range(start, until_fy + 1):
        if fy < this_fy:
            done += actual_by_fy.get(fy, 0)
            central = done
        else:
            central += future.get(fy, 0.0) + actual_by_fy.get(fy, 0)
        band = central - done
        points.append(
            ForecastPoint(
                fy,
                int(done) if fy < this_fy else None,
                round(central),
                round(done + band * params.band_low),
                round(done + band * params.band_high),
            )
        )
    return points


def first_open_vintage(this_fy: int, params: ForecastParams) -> int:
    """The oldest vintage whose credits are not all issued yet."""
    return this_fy - params.verification_lag_years


def goal_share(cumulative_tco2: float, goals: Goals) -> float:
    """Share of the cumulative goal reached, 0–1 (may exceed 1)."""
    return cumulative_tco2 / goals.cumulative_tco2 if goals.cumulative_tco2 else 0.0


def partners_by_year(signed_years: Iterable[int], first: int, last: int) -> list[tuple[int, int]]:
    """Cumulative number of partner countries at the end of each calendar year."""
    years = sorted(signed_years)
    return [(y, sum(1 for s in years if s <= y)) for y in range(first, last + 1)]


def yen_per_tco2(subsidy_jpy: int, tco2_per_year: int, durable_years: int) -> float | None:
    """Subsidy over lifetime reductions (the screening's cost-effectiveness measure)."""
    lifetime = tco2_per_year * durable_years
    return subsidy_jpy / lifetime if lifetime > 0 else None


def fiscal_year_of(year: int, month: int) -> int:
    """Japan's fiscal year starts in April."""
    return year if month >= 4 else year - 1


def share(parts: Sequence[int]) -> list[float]:
    """Each part's share of the whole (zeros when the whole is zero)."""
    total = sum(parts)
    return [p / total if total else 0.0 for p in parts]


def report_year(text: str, today: date) -> int:
    """The fiscal year a report asks for: the one given when it is a plausible year, else the
    year before ``today``'s (the last complete one)."""
    return int(text) if text.isdigit() and 1990 < int(text) < 2200 else today.year - 1
