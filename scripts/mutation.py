"""Mutation testing of the pure rules (``make mutation``): run mutmut, check, report.

mutmut reads ``[tool.mutmut]`` in pyproject.toml: the modules it may mutate
(``only_mutate``) and the fast test files it runs (``pytest_add_cli_args_test_selection``).
It learns which of those tests call each function and runs only those against that
function's mutants. This script adds what mutmut does not do:

* ``SCOPE`` narrows a module to its pure functions where the rest of it does I/O;
* every surviving mutant must be listed, with a reason, in ``tests/mutation_equivalent.txt``
  (an entry names the mutant and repeats its mutated line, so an entry that no longer
  matches its mutant after a source change counts as missing);
* ``docs/mutation.md`` gets the table per module and the equivalent mutants.

It exits 1 when a mutant survives outside that list, when a mutant in scope is reached by
no test, or when a listed mutant is now killed (the list must stay true).

    python scripts/mutation.py                   # the full run: wipes mutants/, writes the report
    python scripts/mutation.py --module src/jcm/registry/rules.py   # one module, no report
"""

from __future__ import annotations

import argparse
import fnmatch
import json
import os
import shutil
import subprocess
import sys
import time
import tomllib
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EQUIVALENT = ROOT / "tests" / "mutation_equivalent.txt"
REPORT = ROOT / "docs" / "mutation.md"
MUTANTS = ROOT / "mutants"
LOG = MUTANTS / "mutmut-run.log"
COMMAND = "make mutation  # = .venv/bin/python scripts/mutation.py"

# Modules mutated only in part: the functions named here (``Class.method`` for a method).
# The rest of each reads or writes the database, or is catalogue data, not a rule.
SCOPE: dict[str, tuple[str, ...]] = {
    "src/jcm/auth/throttle.py": ("delay_after", "_keys", "code_key", "TooManyAttempts.__init__"),
    "src/jcm/auth/totp.py": ("required_for", "_step", "_use"),
    "src/jcm/mrv/methodologies/biomass.py": (
        "reference_emissions",
        "project_emissions",
        "_re",
        "_pe",
    ),
    "src/jcm/mrv/methodologies/boiler.py": ("reference_emissions", "project_emissions", "_pe"),
    "src/jcm/mrv/methodologies/cogeneration.py": ("reference_emissions", "project_emissions"),
    "src/jcm/mrv/methodologies/geothermal.py": (
        "reference_emissions",
        "project_emissions",
        "_re",
        "_pe",
    ),
    "src/jcm/mrv/methodologies/hydro.py": ("reference_emissions",),
    "src/jcm/mrv/methodologies/solar.py": ("reference_emissions", "project_emissions", "_re"),
    "src/jcm/mrv/methodologies/waste_heat.py": ("reference_emissions", "_re"),
}

KILLED = {"killed", "caught by type check"}
TIMEOUT = {"timeout"}
SURVIVED = {"survived"}


def say(text: str = "") -> None:
    sys.stdout.write(text + "\n")
    sys.stdout.flush()


@dataclass
class Module:
    path: str
    patterns: list[str]
    statuses: dict[str, str] = field(default_factory=dict)  # mutant name -> status
    tests: set[str] = field(default_factory=set)

    @property
    def dotted(self) -> str:
        return self.path.removeprefix("src/").removesuffix(".py").replace("/", ".")

    def counts(self) -> Counter[str]:
        return Counter(self.statuses.values())


def _patterns(path: str) -> list[str]:
    dotted = path.removeprefix("src/").removesuffix(".py").replace("/", ".")
    out = []
    for name in SCOPE.get(path, ("*",)):
        if name == "*":
            out.append(f"{dotted}.*")
        elif "." in name:
            cls, meth = name.split(".")
            out.append(f"{dotted}.x\u01c1{cls}\u01c1{meth}__mutmut_*")
        else:
            out.append(f"{dotted}.x_{name}__mutmut_*")
    return out


def load_modules(only: Iterable[str]) -> list[Module]:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))["tool"]["mutmut"]
    paths = list(config["only_mutate"])
    if any("*" in p for p in paths):
        sys.exit("only_mutate must name files, not patterns, so every module has a report row")
    unknown = set(SCOPE) - set(paths)
    if unknown:
        sys.exit(f"SCOPE names modules mutmut does not mutate: {sorted(unknown)}")
    wanted = set(only)
    if wanted - set(paths):
        sys.exit(f"not in [tool.mutmut] only_mutate: {sorted(wanted - set(paths))}")
    return [Module(p, _patterns(p)) for p in paths if not wanted or p in wanted]


@dataclass(frozen=True)
class Equivalent:
    name: str
    reason: str
    code: str


def load_equivalents() -> dict[str, Equivalent]:
    out: dict[str, Equivalent] = {}
    for n, line in enumerate(EQUIVALENT.read_text("utf-8").splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        parts = line.split(" | ", 2)
        if len(parts) != 3 or not all(p.strip() for p in parts):
            sys.exit(f"{EQUIVALENT.name}:{n}: expected 'mutant | reason | mutated code'")
        name, reason, code = (p.strip() for p in parts)
        if name in out:
            sys.exit(f"{EQUIVALENT.name}:{n}: {name} is listed twice")
        out[name] = Equivalent(name, reason, code)
    return out


def run_mutmut(modules: list[Module], *, fresh: bool) -> float:
    if fresh and MUTANTS.exists():
        shutil.rmtree(MUTANTS)
    MUTANTS.mkdir(exist_ok=True)
    globs = [p for m in modules for p in m.patterns]
    mutmut = Path(sys.executable).parent / "mutmut"
    start = time.monotonic()
    with LOG.open("w") as log:
        proc = subprocess.Popen(
            [str(mutmut), "run", *globs],
            cwd=ROOT,
            stdout=log,
            stderr=subprocess.STDOUT,
            env=os.environ | {"PYTHONHASHSEED": "0"},
        )
        while proc.poll() is None:
            time.sleep(30)
            tail = LOG.read_bytes()[-400:].decode("utf-8", "replace")
            last = tail.replace("\r", "\n").strip().splitlines()[-1:] or [""]
            say(f"  {int(time.monotonic() - start)}s  {last[0].strip()}")
    if proc.returncode:
        say(LOG.read_text("utf-8", "replace")[-4000:])
        sys.exit(f"mutmut run failed with exit code {proc.returncode} (log: {LOG})")
    return time.monotonic() - start


def collect(modules: list[Module]) -> None:
    from mutmut.stats import status_by_exit_code

    stats = json.loads((MUTANTS / "mutmut-stats.json").read_text("utf-8"))
    tests_by_function: dict[str, list[str]] = stats["tests_by_mangled_function_name"]
    for m in modules:
        meta = json.loads((MUTANTS / f"{m.path}.meta").read_text("utf-8"))
        for name, code in meta["exit_code_by_key"].items():
            if any(fnmatch.fnmatchcase(name, p) for p in m.patterns):
                m.statuses[name] = status_by_exit_code[code]
                for test in tests_by_function.get(name.partition("__mutmut_")[0], []):
                    m.tests.add(test.partition("::")[0])


def mutated_code(name: str, path: str) -> str:
    from mutmut.mutation.diff_apply import get_diff_for_mutant

    cwd = Path.cwd()
    os.chdir(ROOT)
    try:
        diff = get_diff_for_mutant(name, path=Path(path))
    finally:
        os.chdir(cwd)
    added = [
        line[1:].strip()
        for line in diff.splitlines()
        if line.startswith("+") and not line.startswith("+++")
    ]
    return " / ".join(added) or "(line removed)"


@dataclass
class Verdict:
    unlisted: list[tuple[str, str]] = field(default_factory=list)  # (name, mutated code)
    stale: list[str] = field(default_factory=list)
    untested: list[str] = field(default_factory=list)
    equivalent: dict[str, int] = field(default_factory=dict)  # module path -> count

    @property
    def ok(self) -> bool:
        return not (self.unlisted or self.stale or self.untested)


def judge(modules: list[Module], equivalents: dict[str, Equivalent]) -> Verdict:
    v = Verdict()
    seen: set[str] = set()
    for m in modules:
        v.equivalent[m.path] = 0
        for name, status in sorted(m.statuses.items()):
            if status in KILLED | TIMEOUT:
                if name in equivalents:
                    v.stale.append(f"{name} is listed as equivalent but is now {status}")
                    seen.add(name)
                continue
            if status == "no tests":
                v.untested.append(name)
                continue
            code = mutated_code(name, m.path)
            listed = equivalents.get(name)
            if status in SURVIVED and listed is not None and listed.code == code:
                v.equivalent[m.path] += 1
                seen.add(name)
            else:
                if listed is not None:
                    seen.add(name)
                    v.stale.append(f"{name}: listed as `{listed.code}`, but the mutant is `{code}`")
                v.unlisted.append((f"{name} ({status})", code))
    in_run = {n for m in modules for n in m.statuses}
    for name in equivalents:
        if name not in seen and any(name.startswith(m.dotted + ".") for m in modules):
            if name not in in_run:
                v.stale.append(f"{name} is listed as equivalent but no such mutant exists")
    return v


def _row(m: Module, equivalent: int) -> str:
    c = m.counts()
    killed = sum(c[s] for s in KILLED)
    timeouts = sum(c[s] for s in TIMEOUT)
    survived = sum(c[s] for s in SURVIVED) - equivalent
    other = len(m.statuses) - killed - timeouts - survived - equivalent
    scope = ", ".join(f"`{f}`" for f in SCOPE.get(m.path, ())) or "whole module"
    tests = "<br>".join(f"`{t.removeprefix('tests/')}`" for t in sorted(m.tests)) or "none"
    killed_text = f"{killed + timeouts}" + (f" ({timeouts} by timeout)" if timeouts else "")
    return (
        f"| `{m.path.removeprefix('src/jcm/')}` | {scope} | {len(m.statuses)} | {killed_text} "
        f"| {survived + other} | {equivalent} | {tests} |"
    )


def write_report(
    modules: list[Module], verdict: Verdict, equivalents: dict[str, Equivalent], seconds: float
) -> None:
    total = sum(len(m.statuses) for m in modules)
    lines = [
        "# Mutation testing of the pure rules",
        "",
        "Generated by `scripts/mutation.py`; do not edit by hand. Run it with:",
        "",
        "```sh",
        COMMAND,
        "```",
        "",
        "[mutmut](https://mutmut.readthedocs.io/) 3 changes one operator, constant, string,",
        "argument or keyword at a time in each function of the modules below and runs, against",
        "each mutant, the tests that call that function (mutmut records which; the tests are the",
        "fast files of `pytest_add_cli_args_test_selection` in `[tool.mutmut]` of",
        "`pyproject.toml`, with Hypothesis's deterministic `ci` profile). A mutant is *killed*",
        "when a test fails (or hangs past mutmut's time limit). Every mutant that survives must",
        "be listed in `tests/mutation_equivalent.txt` with the reason no test can tell it from",
        "the original; `make mutation` fails on any other survivor, on a mutant in scope that no",
        "test reaches, and on a listed mutant that is now killed. It is not part of `make test`.",
        "",
        f"Last full run: {total} mutants in {seconds / 60:.1f} min on a 2-core machine.",
        "",
        "| Module (under `src/jcm/`) | Scope | Mutants | Killed | Survived | Equivalent "
        "| Tests mutmut ran (under `tests/`) |",
        "| --- | --- | ---: | ---: | ---: | ---: | --- |",
        *(_row(m, verdict.equivalent[m.path]) for m in modules),
        "",
        "Where the scope is a list of functions, the rest of the module reads or writes the",
        "database (throttle counters, stored TOTP secrets) or is catalogue data (a",
        "methodology's parameters, descriptions and applicability criteria), not a rule.",
        "",
        "## Equivalent mutants",
        "",
        "| Mutant | Mutated code | Why no test can tell it from the original |",
        "| --- | --- | --- |",
    ]
    for m in modules:
        for name in sorted(n for n in m.statuses if n in equivalents):
            e = equivalents[name]
            code, reason = e.code.replace("|", "\\|"), e.reason.replace("|", "\\|")
            lines.append(f"| `{name}` | `{code}` | {reason} |")
    REPORT.write_text("\n".join(lines) + "\n", "utf-8")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--module", action="append", default=[], help="only this source file (no report)"
    )
    args = parser.parse_args()
    os.chdir(ROOT)
    modules = load_modules(args.module)
    equivalents = load_equivalents()
    full = not args.module
    seconds = run_mutmut(modules, fresh=full)
    collect(modules)
    verdict = judge(modules, equivalents)
    for m in modules:
        c = m.counts()
        say(f"{m.path}: {len(m.statuses)} mutants, " + ", ".join(f"{n} {s}" for s, n in c.items()))
    if full:
        write_report(modules, verdict, equivalents, seconds)
        say(f"wrote {REPORT.relative_to(ROOT)} ({seconds / 60:.1f} min)")
    for name, code in verdict.unlisted:
        say(f"SURVIVED  {name}: {code}")
    for name in verdict.untested:
        say(f"NO TESTS  {name}")
    for problem in verdict.stale:
        say(f"STALE     {problem}")
    if not verdict.ok:
        say(f"mutation testing failed: kill these mutants or list them in {EQUIVALENT.name}")
        return 1
    say("mutation testing passed: every surviving mutant is a documented equivalent")
    return 0


if __name__ == "__main__":
    sys.exit(main())
