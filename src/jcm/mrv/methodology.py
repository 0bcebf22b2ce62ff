"""Methodologies as code and data: parameters, applicability and one pure function per equation.

A methodology is identified by ``(id, version)``; versions coexist in the registry and a
project is bound to exactly one. Equations receive :class:`Values` in each parameter's own
unit and return tCO2 as exact Decimals.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum
from typing import Any

from jcm.errors import FieldProblem, NotFound, ValidationFailed


class Source(StrEnum):
    """Where a parameter value comes from."""

    MONITORED = "monitored"
    FIXED_EX_ANTE = "fixed_ex_ante"
    DEFAULT = "default"


class Side(StrEnum):
    """Which emissions a parameter raises; decides the conservative choice in QA."""

    REFERENCE = "reference"
    PROJECT = "project"


@dataclass(frozen=True)
class Parameter:
    """One parameter of a methodology."""

    symbol: str
    description_en: str
    description_ja: str
    unit: str
    source: Source
    side: Side
    option: str | None = None  # monitoring option A, B or C
    minimum: Decimal | None = Decimal(0)
    maximum: Decimal | None = None
    default: Decimal | None = None
    per_point: bool = False  # one value per monitoring point (Σ_i)
    generation: bool = False  # checked against capacity × interval hours

    def check_range(self, value: Decimal) -> None:
        """Refuse a value outside the allowed range."""
        low_ok = self.minimum is None or value >= self.minimum
        high_ok = self.maximum is None or value <= self.maximum
        if not (low_ok and high_ok):
            span = f"[{self.minimum if self.minimum is not None else '-∞'}, "
            span += f"{self.maximum if self.maximum is not None else '∞'}]"
            raise ValidationFailed.of(
                [
                    FieldProblem(
                        self.symbol,
                        f"{value} {self.unit} is outside the allowed range {span}.",
                        f"{value} {self.unit} は許容範囲 {span} の外です。",
                    )
                ]
            )

    def as_dict(self) -> dict[str, Any]:
        return {
            "symbol": self.symbol,
            "description_en": self.description_en,
            "description_ja": self.description_ja,
            "unit": self.unit,
            "source": self.source.value,
            "side": self.side.value,
            "monitoring_option": self.option,
            "minimum": None if self.minimum is None else str(self.minimum),
            "maximum": None if self.maximum is None else str(self.maximum),
            "default": None if self.default is None else str(self.default),
            "per_point": self.per_point,
        }


@dataclass(frozen=True)
class Criterion:
    """One applicability condition, in both languages."""

    en: str
    ja: str


@dataclass(frozen=True)
class Values:
    """Parameter values in each parameter's unit: scalars and per-point values."""

    scalars: Mapping[str, Decimal] = field(default_factory=dict)
    points: Mapping[str, Mapping[str, Decimal]] = field(default_factory=dict)

    def __getitem__(self, symbol: str) -> Decimal:
        if symbol in self.scalars:
            return self.scalars[symbol]
        return sum(self.points.get(symbol, {}).values(), Decimal(0))

    def per_point(self, symbol: str) -> Mapping[str, Decimal]:
        return self.points.get(symbol, {})


Equation = Callable[[Values], Decimal]


@dataclass(frozen=True)
class Methodology:
    """An approved methodology at one version."""

    id: str
    version: str
    family: str
    title_en: str
    title_ja: str
    sectoral_scope: str
    applicability: tuple[Criterion, ...]
    parameters: tuple[Parameter, ...]
    reference: Equation
    project: Equation
    equations: tuple[str, ...]
    note: str = ""

    @property
    def key(self) -> str:
        return f"{self.id}:{self.version}"

    def parameter(self, symbol: str) -> Parameter:
        for p in self.parameters:
            if p.symbol == symbol:
                return p
        raise NotFound("Parameter", f"{symbol} of {self.key}", "パラメータ")

    def summary(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "version": self.version,
            "family": self.family,
            "title_en": self.title_en,
            "title_ja": self.title_ja,
            "sectoral_scope": self.sectoral_scope,
        }

    def as_dict(self) -> dict[str, Any]:
        return self.summary() | {
            "applicability": [{"en": c.en, "ja": c.ja} for c in self.applicability],
            "parameters": [p.as_dict() for p in self.parameters],
            "equations": list(self.equations),
            "note": self.note,
        }


class Registry:
    """Methodologies keyed by (id, version)."""

    def __init__(self, methodologies: list[Methodology]) -> None:
        self._by_key = {(m.id, m.version): m for m in methodologies}

    def all(self) -> list[Methodology]:
        return sorted(self._by_key.values(), key=lambda m: (m.id, _version_key(m.version)))

    def get(self, methodology_id: str, version: str | None = None) -> Methodology:
        """One methodology; the latest version when none is named."""
        if version is not None:
            found = self._by_key.get((methodology_id, version))
        else:
            versions = [m for (i, _), m in self._by_key.items() if i == methodology_id]
            found = max(versions, key=lambda m: _version_key(m.version)) if versions else None
        if found is None:
            key = methodology_id + (f":{version}" if version else "")
            raise NotFound("Methodology", key, "方法論")
        return found

    def parse(self, ref: str) -> Methodology:
        """Resolve ``ID`` or ``ID:version``."""
        mid, _, version = ref.partition(":")
        return self.get(mid.strip(), version.strip() or None)


def _version_key(version: str) -> tuple[int, ...]:
    parts = []
    for piece in version.split("."):
        digits = "".join(ch for ch in piece if ch.isdigit())
        parts.append(int(digits) if digits else 0)
    return tuple(parts)
