"""Benchmark of Environment Week business matching and of need–technology ranking.

Run: .venv/bin/python benchmarks/platform_bench.py [--out benchmarks/results/platform.md]

Scheduling: 400 seeded companies (200 Japanese, 200 local), 1,600 requested meetings, 16
slots, 80 tables, 15 % of company-slots unavailable, interpreters per slot (vi 25, th 15,
id 15; 60 % of meetings need one), solved by HiGHS with a 50 s limit and mip_rel_gap 1e-3.
Matching: precision@5 on the shipped labelled set of need–technology pairs.
"""

from __future__ import annotations

import argparse
import csv
import platform
import random
import time
from collections import Counter
from importlib.resources import files
from pathlib import Path

import highspy

from jcm.platform.catalogue import evaluate
from jcm.platform.scheduling import Problem, Request, greedy, mutual_weight, solve, violations

SEED = 2019
COMPANIES, REQUESTS, SLOTS, TABLES = 400, 1_600, 16, 100
INTERPRETERS = {"vi": 25, "th": 15, "id": 15}


def instance(seed: int = SEED) -> Problem:
    rng = random.Random(seed)
    japanese = range(200)
    local = range(200, COMPANIES)
    language = {c: rng.choice(list(INTERPRETERS)) for c in local}
    pairs: set[tuple[int, int]] = set()
    while len(pairs) < REQUESTS:
        pairs.add((rng.choice(japanese), rng.choice(local)))
    requests = []
    for i, (a, b) in enumerate(sorted(pairs)):
        weight = mutual_weight(rng.randint(1, 10), rng.choice([None, *range(1, 11)]))
        needs = language[b] if rng.random() < 0.6 else None
        requests.append(Request(i, a, b, weight, needs))
    unavailable = {
        c: frozenset(s for s in range(SLOTS) if rng.random() < 0.15) for c in range(COMPANIES)
    }
    return Problem(SLOTS, TABLES, requests, unavailable, INTERPRETERS)


def partners() -> frozenset[str]:
    text = files("jcm.data").joinpath("jcm-partner-countries.csv").read_text("utf-8")
    return frozenset(r["iso3"] for r in csv.DictReader(text.splitlines()))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--out", type=Path, default=None)
    args = parser.parse_args()
    problem = instance()
    t0 = time.perf_counter()
    g = greedy(problem)
    greedy_s = time.perf_counter() - t0
    weight = {r.id: r.weight for r in problem.requests}
    schedule = solve(problem, time_limit=50, mip_gap=1e-3)
    bad = violations(problem, schedule)
    feasible_max = sum(1 for r in problem.requests if problem.allowed(r))
    per_company = Counter(p for r in problem.requests for p in (r.a, r.b))
    ev = evaluate(partners())
    lines = [
        "# Platform benchmark",
        "",
        f"Command: `.venv/bin/python benchmarks/platform_bench.py --out {args.out}`  ",
        f"Machine: {platform.machine()}, Python {platform.python_version()}, "
        f"HiGHS {highspy.Highs().version()}, 1 solver thread.",  # type: ignore[no-untyped-call]
        "",
        "## Environment Week 1:1 schedule",
        "",
        f"{COMPANIES} companies, {REQUESTS:,} requested meetings "
        f"(max {max(per_company.values())} per company), {SLOTS} slots, {TABLES} tables per "
        f"slot, interpreters per slot {INTERPRETERS}.",
        "",
        "| | value |",
        "|---|---|",
        f"| HiGHS status | {schedule.status} |",
        f"| solve time (s) | {schedule.seconds:.1f} |",
        f"| meetings placed | {len(schedule.placed):,} of {REQUESTS:,} "
        f"({len(schedule.placed) / REQUESTS:.1%}) |",
        f"| table-slots available | {SLOTS * TABLES:,} |",
        f"| requests with a common free slot | {feasible_max:,} |",
        f"| mutual-preference objective | {schedule.objective:.2f} |",
        f"| dual bound | {schedule.bound:.2f} |",
        f"| gap | {schedule.gap:.3%} |",
        f"| greedy baseline | {len(g):,} placed, objective "
        f"{sum(weight[i] for i in g):.2f}, {greedy_s:.2f} s |",
        f"| rule violations | {len(bad)} |",
        "",
        "## Need–technology matching",
        "",
        f"{ev.needs} needs, {ev.pairs} labelled pairs, 33 technologies ranked per need.",
        "precision@5 = relevant technologies in the top 5 ÷ min(5, relevant ones labelled).",
        "",
        "| ranking | precision@5 |",
        "|---|---|",
        f"| text + structured fit (default weights) | {ev.precision_at_5:.3f} |",
        f"| text relevance only | {ev.text_only_precision_at_5:.3f} |",
        "",
    ]
    text = "\n".join(lines)
    print(text)  # noqa: T201
    if args.out:
        args.out.write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main()
