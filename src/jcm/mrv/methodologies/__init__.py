"""The methodology registry: every encoded methodology, keyed by (id, version)."""

from __future__ import annotations

from jcm.mrv.methodologies import (
    biomass,
    boiler,
    cogeneration,
    geothermal,
    hydro,
    solar,
    waste_heat,
)
from jcm.mrv.methodology import Methodology, Registry

ALL: list[Methodology] = [
    *solar.METHODOLOGIES,
    *hydro.METHODOLOGIES,
    *cogeneration.METHODOLOGIES,
    *boiler.METHODOLOGIES,
    *waste_heat.METHODOLOGIES,
    *geothermal.METHODOLOGIES,
    *biomass.METHODOLOGIES,
]
REGISTRY = Registry(ALL)

__all__ = ["ALL", "REGISTRY"]
