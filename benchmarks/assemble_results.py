"""Rebuild benchmarks/RESULTS.md: its project-register section as it stands, then each
feature's benchmarks/results/<name>.md under its heading (headings one level down).

    .venv/bin/python benchmarks/assemble_results.py
"""

from __future__ import annotations

from pathlib import Path

HERE = Path(__file__).parent
SECTIONS = (
    ("subsidy", "Subsidy screening and selection"),
    ("mrv", "MRV ingest, QA and calculation"),
    ("registry", "Registry"),
    ("insight", "Insight dashboards"),
    ("platform", "Platform matching and Environment Week scheduling"),
)


def _demoted(text: str) -> str:
    """The file without its title, every other heading one level down."""
    lines = text.splitlines()
    if lines and lines[0].startswith("# "):
        lines = lines[1:]
    return "\n".join("#" + line if line.startswith("#") else line for line in lines).strip()


def assemble(results: Path) -> str:
    kept = results.read_text(encoding="utf-8").split(f"\n## {SECTIONS[0][1]}\n", 1)[0]
    parts = [kept.rstrip()]
    for name, title in SECTIONS:
        body = _demoted((HERE / "results" / f"{name}.md").read_text(encoding="utf-8"))
        parts.append(f"## {title}\n\n(from `benchmarks/results/{name}.md`)\n\n{body}")
    return "\n\n\n".join(parts) + "\n"


def main() -> None:
    target = HERE / "RESULTS.md"
    target.write_text(assemble(target), encoding="utf-8")


if __name__ == "__main__":
    main()
