"""Run every benchmark in turn with its default (issue-sized) workload.

    .venv/bin/python benchmarks/run_all.py

Each benchmark prints its figures; the MRV, subsidy and registry benchmarks also rewrite
their section under benchmarks/results/. Copy new figures into benchmarks/RESULTS.md.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).parent
SCRIPTS = [
    ["foundation_bench.py"],
    ["subsidy_bench.py"],
    ["mrv_bench.py", "--sites", "1000", "--days", "365"],
    ["registry_bench.py", "--transactions", "100000", "--clients", "8", "--pgbench-seconds", "60"],
]


def main() -> int:
    worst = 0
    for script, *args in SCRIPTS:
        sys.stderr.write(f"== {script} {' '.join(args)}\n")
        worst = max(worst, subprocess.call([sys.executable, str(HERE / script), *args]))
    return worst


if __name__ == "__main__":
    raise SystemExit(main())
