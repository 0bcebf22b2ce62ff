"""Benchmark of subsidy screening and portfolio selection.

Run: .venv/bin/python benchmarks/subsidy_bench.py [--out benchmarks/results/subsidy.md]

5,000 seeded synthetic applications over 3 fiscal years, 30 countries (29 partners and one
non-partner), 12 technologies: screen them all, then select with per-country and
per-technology caps at mip_rel_gap = 1e-4 within a 30 s limit.
"""

from __future__ import annotations

import argparse
import os
import platform
import random
import time
from pathlib import Path

import highspy

from jcm.subsidy.application import Application
from jcm.subsidy.countries import PARTNER_ISO3
from jcm.subsidy.policy import SelectionPolicy
from jcm.subsidy.schedule import default_schedule
from jcm.subsidy.screening import screen_all
from jcm.subsidy.selection import select_portfolio
from jcm.subsidy.selection_model import Cap
from jcm.subsidy.settings import FY2022

SEED = 20220
N = 5_000
COUNTRIES = (*PARTNER_ISO3, "IND")
TECHNOLOGIES = (
    "solar_pv_rooftop",
    "solar_pv_ground",
    "small_hydro",
    "biomass_power",
    "geothermal_binary",
    "gas_cogeneration",
    "once_through_boiler",
    "orc_waste_heat",
    "wind_power",
    "waste_to_energy",
    "efficient_chiller",
    "led_lighting",
)
POLICY = SelectionPolicy(
    country_caps=(Cap("*", max_projects=6),),
    technology_caps=(Cap("*", max_jpy=2_500_000_000),),
    mip_rel_gap=1e-4,
    time_limit_s=30.0,
)


def synthetic_applications(n: int = N, seed: int = SEED) -> list[Application]:
    """Seeded applications; most pass, a few fail each rule."""
    rng = random.Random(seed)
    apps = []
    for k in range(n):
        tech = rng.choice(TECHNOLOGIES)
        years = FY2022.technology_by_code[tech].durable_years
        investment = rng.randrange(50, 6_000) * 1_000_000
        similar = rng.choice((0, 0, 1, 2, 3, 4, 6))
        rate = FY2022.rate_cap(similar)
        subsidy = int(investment * rate * rng.uniform(0.5, 1.02)) // 1000 * 1000
        tco2 = max(1, int(subsidy / (years * rng.uniform(1_200, 4_400))))
        months = rng.choice((12, 18, 24, 30, 36, 36, 40))
        apps.append(
            Application(
                id=f"B{k:05d}",
                partner_country=rng.choice(COUNTRIES),
                technology=tech,
                representative_participant_country="JPN" if rng.random() > 0.01 else "USA",
                initial_investment_jpy=investment,
                requested_subsidy_jpy=subsidy,
                annual_reduction_tco2=tco2,
                legal_durable_years=years,
                annual_net_savings_jpy=investment // rng.randrange(2, 15),
                implementation_months=months,
                schedule_jpy_by_fiscal_year=default_schedule(subsidy, 2022, months),
                similar_projects_in_country=similar,
                other_public_subsidy=rng.random() < 0.01,
            )
        )
    return apps


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--out", type=Path, default=Path("benchmarks/results/subsidy.md"))
    args = parser.parse_args()
    apps = synthetic_applications()

    started = time.perf_counter()
    screenings = screen_all(apps, FY2022)
    screen_s = time.perf_counter() - started
    eligible = sum(s.eligible for s in screenings)

    started = time.perf_counter()
    selection = select_portfolio(apps, FY2022, POLICY)
    total_s = time.perf_counter() - started
    p, g = selection.portfolio, selection.greedy
    gap = p.optimality_gap if p.optimality_gap is not None else float("nan")
    ok = gap <= 1e-4 and p.solve_seconds <= 30
    lines = [
        "# Subsidy screening and selection benchmark",
        "",
        "Command: `.venv/bin/python benchmarks/subsidy_bench.py`",
        "",
        f"Machine: {platform.platform()}, {os.cpu_count()} CPUs, Python {platform.python_version()}, "
        f"HiGHS {highspy.Highs().version()}",  # type: ignore[no-untyped-call]
        "",
        f"Input: {N:,} seeded applications (seed {SEED}), 3 fiscal years (FY2022 budget "
        f"{FY2022.total_budget_jpy:,} yen), {len(COUNTRIES)} countries, {len(TECHNOLOGIES)} technologies; "
        "caps: at most 6 projects per country, at most 2,500,000,000 yen per technology.",
        "",
        "| figure | value |",
        "|---|---|",
        f"| screening | {N:,} applications in {screen_s:.3f} s = **{N / screen_s:,.0f} applications/s** |",
        f"| eligible | {eligible:,} |",
        f"| MIP solve time (main run) | **{p.solve_seconds:.2f} s** (limit 30 s) |",
        f"| solver status | {p.status} |",
        f"| optimality gap | **{gap:.6%}** (required <= 0.01 %: {'met' if ok else 'NOT met'}) |",
        f"| MIP dual bound | {p.dual_bound:,.1f} tCO2 |"
        if p.dual_bound is not None
        else "| MIP dual bound | n/a |",
        f"| LP-relaxation bound | {selection.lp_bound:,.1f} tCO2 |",
        f"| selected | {len(p.ids)} applications, {p.total_subsidy_jpy:,} yen |",
        f"| lifetime reduction (optimum) | {p.total_lifetime_reduction_tco2:,} tCO2 |",
        f"| lifetime reduction (greedy by yen/tCO2) | {g.total_lifetime_reduction_tco2:,} tCO2 "
        f"({len(g.ids)} applications) |",
        f"| optimum buys more than greedy | {p.total_lifetime_reduction_tco2 - g.total_lifetime_reduction_tco2:,} tCO2 |",
        f"| spend by fiscal year | {', '.join(f'FY{y}: {a:,}' for y, a in p.spend_by_fiscal_year)} |",
        f"| binding limits | {len(selection.binding)} |",
        f"| whole select_portfolio (screen + MIP + LP + greedy + two sensitivity MIPs) | {total_s:.2f} s |",
        "",
    ]
    for run in selection.sensitivity:
        if run.portfolio is not None:
            lines.append(
                f"- budget x {float(run.factor):.1f} ({run.budget_jpy:,} yen): "
                f"{len(run.portfolio.ids)} applications, {run.portfolio.total_lifetime_reduction_tco2:,} tCO2, "
                f"solved in {run.portfolio.solve_seconds:.2f} s"
            )
    text = "\n".join(lines) + "\n"
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(text, encoding="utf-8")
    print(text)  # noqa: T201 - a script's report


if __name__ == "__main__":
    main()
