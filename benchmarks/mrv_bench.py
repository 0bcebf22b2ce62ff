"""MRV benchmark: ingest + QA/QC + emission reductions over a year of 15-minute PV readings.

    .venv/bin/python benchmarks/mrv_bench.py --sites 1000 --days 365

Generates ``benchmarks/out/pv_<sites>x<days>.parquet`` once (seeded), then runs, each in a
fresh process so peak memory (ru_maxrss) is measured per phase:

* baseline: a bare Polars streaming scan of the file summing ``value`` per point;
* pipeline: ``read_monitoring_file`` (validation, SHA-256) + ``calculate(streaming=True)``.

Prints the figures and writes them to ``benchmarks/out/mrv_latest.md``; the history of runs,
with what changed between them, is kept by hand in ``benchmarks/results/mrv.md``.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import time
from datetime import UTC, date, datetime
from pathlib import Path

import polars as pl

from jcm.mrv import demo
from jcm.mrv.calc import calculate
from jcm.mrv.ingest import read_monitoring_file
from jcm.mrv.inputs import parse_input
from jcm.mrv.methodologies import REGISTRY

ROOT = Path(__file__).resolve().parent
LATEST = ROOT / "out" / "mrv_latest.md"
START = date(2023, 1, 1)
GAP_SITES = 5  # sites given a one-day outage, so the gap path is exercised


def _path(sites: int, days: int) -> Path:
    return ROOT / "out" / f"pv_{sites}x{days}.parquet"


def generate(sites: int, days: int) -> Path:
    path = _path(sites, days)
    if path.exists():
        return path
    path.parent.mkdir(parents=True, exist_ok=True)
    outage = (pl.col("point") < f"PV-{GAP_SITES:04d}") & (
        pl.col("timestamp").dt.date() == date(2023, 4, 10)
    )
    demo.pv_readings(sites, START, days).filter(~outage).sink_parquet(path)
    return path


def _cpu_seconds() -> float:
    """User + system CPU time of this process so far (all threads): steadier than wall time
    when the cores are shared."""
    use = resource.getrusage(resource.RUSAGE_SELF)
    return use.ru_utime + use.ru_stime


def _maxrss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def baseline(path: Path) -> dict[str, float]:
    t, c = time.perf_counter(), _cpu_seconds()
    (pl.scan_parquet(path).group_by("point").agg(pl.col("value").sum()).collect(engine="streaming"))
    return {
        "seconds": time.perf_counter() - t,
        "cpu_seconds": _cpu_seconds() - c,
        "maxrss_mib": _maxrss_mib(),
    }


def pipeline(path: Path, sites: int, days: int) -> dict[str, float | str | int]:
    inputs = parse_input(demo.pv_input(sites, START, days))
    t, c = time.perf_counter(), _cpu_seconds()
    data = read_monitoring_file(path, inputs.timezone)
    t_ingest = time.perf_counter() - t
    result = calculate(REGISTRY.get("TH_AM001"), inputs, data, streaming=True)
    return {
        "seconds": time.perf_counter() - t,
        "cpu_seconds": _cpu_seconds() - c,
        "ingest_seconds": t_ingest,
        "maxrss_mib": _maxrss_mib(),
        "er_tco2": result.emission_reductions,
        "re_exact": str(result.reference_emissions),
        "qa": json.dumps(result.qa.counts()),
    }


def _child(phase: str, sites: int, days: int, src: str | None = None) -> dict[str, object]:
    cmd = [sys.executable, __file__, "--phase", phase, "--sites", str(sites), "--days", str(days)]
    env = dict(os.environ, PYTHONPATH=src) if src else None
    out = subprocess.run(cmd, check=True, capture_output=True, text=True, env=env).stdout
    figures: dict[str, object] = json.loads(out.strip().splitlines()[-1])
    return figures


def _f(figures: dict[str, object], key: str, digits: int = 2) -> str:
    return f"{float(str(figures[key])):.{digits}f}"


def _write(
    sites: int,
    days: int,
    rows: int,
    size_mib: float,
    base: dict[str, object],
    run: dict[str, object],
    before: dict[str, object] | None = None,
    before_src: str | None = None,
) -> None:
    ratio = float(str(run["seconds"])) / float(str(base["seconds"]))
    cpu_ratio = float(str(run["cpu_seconds"])) / float(str(base["cpu_seconds"]))
    text = f"""# MRV benchmark

Command: `.venv/bin/python benchmarks/mrv_bench.py --sites {sites} --days {days}`
Run: {datetime.now(UTC):%Y-%m-%d %H:%M} UTC, Polars {pl.__version__}, Python {sys.version.split()[0]}
Data: {sites} PV sites × {days} days of 15-minute readings = {rows:,} rows,
Parquet {size_mib:.0f} MiB (seeded, `jcm.mrv.demo.pv_readings`; {GAP_SITES} sites with a one-day
outage).

| phase | wall time (s) | CPU time (s) | peak RSS (MiB) |
|---|---|---|---|
| baseline: streaming scan, sum of value per point | {_f(base, "seconds")} | {_f(base, "cpu_seconds")} | {_f(base, "maxrss_mib", 0)} |
| pipeline: ingest + validation + SHA-256 + QA/QC + ER | {_f(run, "seconds")} | {_f(run, "cpu_seconds")} | {_f(run, "maxrss_mib", 0)} |
| of which ingest (validation pass + SHA-256) | {_f(run, "ingest_seconds")} | | |

Ratio pipeline / baseline: **{ratio:.2f}×** wall, {cpu_ratio:.2f}× CPU (aim ≤ 3×).
Peak memory limit 4 GiB = 4096 MiB.

Result: ER = {run["er_tco2"]} tCO2 (RE exact {run["re_exact"]} tCO2); QA counts {run["qa"]}.
"""
    if before is not None:
        b_ratio = float(str(before["seconds"])) / float(str(base["seconds"]))
        same = all(before[k] == run[k] for k in ("er_tco2", "re_exact", "qa"))
        b_cpu = float(str(before["cpu_seconds"])) / float(str(base["cpu_seconds"]))
        text += f"""
Before (same run, source `{before_src}`): pipeline {_f(before, "seconds")} s wall,
{_f(before, "cpu_seconds")} s CPU (ingest {_f(before, "ingest_seconds")} s), peak RSS
{_f(before, "maxrss_mib", 0)} MiB, ratio {b_ratio:.2f}× wall, {b_cpu:.2f}× CPU;
result {"identical" if same else "DIFFERENT"}.
"""
    LATEST.parent.mkdir(parents=True, exist_ok=True)
    LATEST.write_text(text, encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sites", type=int, default=1000)
    parser.add_argument("--days", type=int, default=365)
    parser.add_argument(
        "--phase", choices=["all", "generate", "baseline", "pipeline"], default="all"
    )
    parser.add_argument(
        "--before-src",
        help="a source tree (e.g. from `git archive <commit> src`) to time the pipeline before",
    )
    args = parser.parse_args()
    path = _path(args.sites, args.days)
    if args.phase == "generate":
        generate(args.sites, args.days)
        sys.stdout.write("{}\n")
        return
    if args.phase == "baseline":
        sys.stdout.write(json.dumps(baseline(path)) + "\n")
        return
    if args.phase == "pipeline":
        sys.stdout.write(json.dumps(pipeline(path, args.sites, args.days)) + "\n")
        return
    _child("generate", args.sites, args.days)  # in its own process: keeps peak RSS apart
    rows = pl.scan_parquet(path).select(pl.len()).collect().item()
    base = _child("baseline", args.sites, args.days)
    before = _child("pipeline", args.sites, args.days, args.before_src) if args.before_src else None
    run = _child("pipeline", args.sites, args.days)
    size = path.stat().st_size / 2**20
    _write(args.sites, args.days, rows, size, base, run, before, args.before_src)
    sys.stdout.write(LATEST.read_text(encoding="utf-8"))


if __name__ == "__main__":
    main()
