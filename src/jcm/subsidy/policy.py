"""How the secretariat wants a portfolio chosen: weights, caps, forced choices, budget."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

from jcm.errors import FieldProblem, ValidationFailed
from jcm.subsidy._fields import FieldReader, to_fraction
from jcm.subsidy.application import Application
from jcm.subsidy.selection_model import Cap


@dataclass(frozen=True)
class SelectionPolicy:
    """Weights multiply an application's lifetime reduction in the objective.

    ``first_of_kind_bonus`` applies when no similar project was adopted in the country
    before (counted at the call, not among the applications chosen together).
    ``budget_jpy`` replaces the call's total budget, split over the years in proportion.
    """

    first_of_kind_bonus: Fraction = Fraction(1)
    country_weights: Mapping[str, Fraction] = field(default_factory=dict)
    technology_weights: Mapping[str, Fraction] = field(default_factory=dict)
    country_caps: tuple[Cap, ...] = ()
    technology_caps: tuple[Cap, ...] = ()
    must_include: frozenset[str] = frozenset()
    must_exclude: frozenset[str] = frozenset()
    budget_jpy: int | None = None
    mip_rel_gap: float = 1e-4
    time_limit_s: float = 30.0
    sensitivity_factors: tuple[Fraction, ...] = (Fraction(9, 10), Fraction(11, 10))

    def weight(self, app: Application) -> Fraction:
        """The objective weight of one application."""
        w = self.first_of_kind_bonus if app.similar_projects_in_country == 0 else Fraction(1)
        w *= self.country_weights.get(app.partner_country, Fraction(1))
        return w * self.technology_weights.get(app.technology, Fraction(1))


def load_policy(data: Mapping[str, Any]) -> SelectionPolicy:
    """A policy from JSON-like data; problems name the field, e.g. ``country_caps[0].key``."""
    r = FieldReader(data)
    bonus = r.fraction("first_of_kind_bonus", required=False)
    policy = SelectionPolicy(
        first_of_kind_bonus=bonus if bonus is not None else Fraction(1),
        country_weights=_weights(r, "country_weights"),
        technology_weights=_weights(r, "technology_weights"),
        country_caps=_caps(r, "country_caps"),
        technology_caps=_caps(r, "technology_caps"),
        must_include=_ids(r, "must_include"),
        must_exclude=_ids(r, "must_exclude"),
        budget_jpy=r.optional_integer("budget_jpy", minimum=0),
        mip_rel_gap=float(r.fraction("mip_rel_gap", required=False) or Fraction(1, 10_000)),
        time_limit_s=float(r.fraction("time_limit_s", required=False) or 30),
    )
    if r.problems:
        raise ValidationFailed.of(r.problems)
    return policy


def _weights(r: FieldReader, key: str) -> dict[str, Fraction]:
    raw = r.data.get(key) or {}
    out: dict[str, Fraction] = {}
    if not isinstance(raw, Mapping):
        r.problem(key, "must be an object of weights.", "重みのオブジェクトが必要です。")
        return out
    for name, value in raw.items():
        weight = to_fraction(value)
        if weight is None or weight < 0:
            r.problems.append(
                FieldProblem(
                    f"{key}.{name}", "must be a non-negative number.", "0 以上の数値が必要です。"
                )
            )
        else:
            out[str(name)] = weight
    return out


def _caps(r: FieldReader, key: str) -> tuple[Cap, ...]:
    raw = r.data.get(key) or []
    if not isinstance(raw, list) or not all(isinstance(x, Mapping) for x in raw):
        r.problem(key, "must be a list of objects.", "オブジェクトのリストが必要です。")
        return ()
    caps = []
    for i, item in enumerate(raw):
        sub = FieldReader(item, prefix=f"{key}[{i}].")
        caps.append(
            Cap(
                sub.text("key"),
                sub.optional_integer("max_projects", minimum=0),
                sub.optional_integer("max_jpy", minimum=0),
            )
        )
        r.problems.extend(sub.problems)
    return tuple(caps)


def _ids(r: FieldReader, key: str) -> frozenset[str]:
    raw = r.data.get(key) or []
    if not isinstance(raw, list):
        r.problem(key, "must be a list of application ids.", "申請 ID のリストが必要です。")
        return frozenset()
    return frozenset(str(x) for x in raw)
