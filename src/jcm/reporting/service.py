"""Builds the dashboard panels by name, after bringing the credit summary up to date."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial

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
# Panels that depend on nothing but the data version and the language: built once per
# version (the map draws up to 5,000 projects with their hover text).
CACHED = frozenset({"map"})
_cache: dict[tuple[str, str, str], Table] = {}


def build(db: Database, names: list[str], lang: str, cfg: InsightSettings) -> list[Table]:
    """The named panels, read in one transaction after refreshing the summaries."""
    version = summary.ensure_fresh(db)
    with db.read() as s:
        lb = Labels(s, lang)
        return [_cached(n, lang, version, partial(BUILDERS[n], s, lb, cfg)) for n in names]


def _cached(name: str, lang: str, version: str, make: Callable[[], Table]) -> Table:
    if name not in CACHED or not version:
        return make()
    key = (name, lang, version)
    table = _cache.get(key)
    if table is None:
        table = make()
        for old in [k for k in _cache if k[2] != version]:
            _cache.pop(old, None)
        _cache[key] = table
    return table
