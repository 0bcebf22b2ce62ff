"""Builds the dashboard panels by name, after bringing the credit summary up to date."""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy.orm import Session

from jcm.db import Database
from jcm.reporting import panels, panels_geo, summary
from jcm.reporting.panels import Labels, Table
from jcm.reporting.settings import InsightSettings

Builder = Callable[[Session, Labels, InsightSettings], Table]

BUILDERS: dict[str, Builder] = {
    "funnel": panels.funnel,
    "goal": lambda s, lb, cfg: panels.goal(s, lb, cfg),
    "partners": lambda s, lb, cfg: panels.partners(s, lb, cfg),
    "reductions-country": lambda s, lb, cfg: panels.reductions(s, lb, "country"),
    "reductions-technology": lambda s, lb, cfg: panels.reductions(s, lb, "technology"),
    "reductions-fiscal_year": lambda s, lb, cfg: panels.reductions(s, lb, "fiscal_year"),
    "reductions-vintage": lambda s, lb, cfg: panels.reductions(s, lb, "vintage"),
    "subsidy": panels.subsidy,
    "map": lambda s, lb, cfg: panels_geo.project_map(s, lb),
    "cities": lambda s, lb, cfg: panels_geo.city_network(s, lb),
}
STAFF_ONLY = frozenset({"subsidy"})


def build(db: Database, names: list[str], lang: str, cfg: InsightSettings) -> list[Table]:
    """The named panels, read in one transaction after refreshing the summary."""
    summary.ensure_fresh(db)
    with db.read() as s:
        lb = Labels(s, lang)
        return [BUILDERS[n](s, lb, cfg) for n in names]
