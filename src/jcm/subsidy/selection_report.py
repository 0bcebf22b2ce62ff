"""Explanations of a selection: why each eligible application was left out, which limits
bind, and what a simple cost-effectiveness ranking would have bought instead."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from jcm.subsidy._format import yen
from jcm.subsidy.selection_model import Candidate, Limit

_KIND_JA = {
    "country_projects": "国別件数上限",
    "country_jpy": "国別金額上限",
    "technology_projects": "技術別件数上限",
    "technology_jpy": "技術別金額上限",
}


@dataclass(frozen=True)
class Reason:
    """Why one limit keeps an application out."""

    limit: str
    message_en: str
    message_ja: str

    def as_dict(self) -> dict[str, str]:
        return {"limit": self.limit, "message_en": self.message_en, "message_ja": self.message_ja}


@dataclass(frozen=True)
class LimitUse:
    """How much of one limit the selection uses, and whom it keeps out."""

    limit: Limit
    used: int
    blocks: tuple[str, ...]

    @property
    def slack(self) -> int:
        return self.limit.limit - self.used

    def as_dict(self) -> dict[str, Any]:
        return {
            "name": self.limit.name,
            "kind": self.limit.kind,
            "key": self.limit.key,
            "limit": self.limit.limit,
            "used": self.used,
            "slack": self.slack,
            "tight": self.slack == 0,
            "blocks": list(self.blocks),
        }


def blocking_reason(limit: Limit, used: int, extra: int) -> Reason | None:
    """The reason ``limit`` refuses ``extra`` more on top of ``used``, or None if it fits."""
    over = used + extra - limit.limit
    if over <= 0:
        return None
    if limit.kind == "budget":
        return Reason(
            limit.name,
            f"would need {yen(over)} yen more in FY{limit.key}",
            f"FY{limit.key} の予算があと {yen(over)} 円不足",
        )
    what, ja = limit.kind.split("_")[0], _KIND_JA[limit.kind]
    if limit.kind.endswith("projects"):
        return Reason(
            limit.name,
            f"{what} cap reached ({limit.key}: {used} of {limit.limit} projects)",
            f"{ja}に到達（{limit.key}：{limit.limit} 件中 {used} 件）",
        )
    return Reason(
        limit.name,
        f"{what} cap on yen: would need {yen(over)} yen more for {limit.key}",
        f"{ja}（{limit.key}）をあと {yen(over)} 円超過",
    )


def reasons_left_out(index: int, limits: Sequence[Limit], used: Sequence[int]) -> list[Reason]:
    """Every limit that adding candidate ``index`` to the selection would break."""
    out = []
    for limit, in_use in zip(limits, used, strict=True):
        extra = limit.coefficients.get(index, 0)
        reason = blocking_reason(limit, in_use, extra) if extra else None
        if reason is not None:
            out.append(reason)
    return out


def within_gap_reason() -> Reason:
    return Reason(
        "optimality_gap",
        "would fit, but was left out within the solver's optimality gap",
        "予算内に収まるが、最適性ギャップの範囲内で選外",
    )


def must_exclude_reason() -> Reason:
    return Reason("must_exclude", "must-exclude", "除外指定")


def greedy(
    candidates: Sequence[Candidate], limits: Sequence[Limit], fixed: Sequence[int]
) -> list[int]:
    """Take must-includes, then the most cost-effective (yen/tCO2 ascending) while it fits."""
    used = [limit.used(fixed) for limit in limits]
    chosen = list(fixed)
    fixed_set = set(fixed)
    order = sorted(
        (i for i in range(len(candidates)) if i not in fixed_set),
        key=lambda i: (_yen_per_tonne(candidates[i]), candidates[i].app.id),
    )
    for i in order:
        extra = [limit.coefficients.get(i, 0) for limit in limits]
        if all(u + e <= limit.limit for u, e, limit in zip(used, extra, limits, strict=True)):
            chosen.append(i)
            used = [u + e for u, e in zip(used, extra, strict=True)]
    return chosen


def _yen_per_tonne(c: Candidate) -> Fraction:
    return Fraction(c.app.requested_subsidy_jpy, max(c.app.lifetime_reduction_tco2, 1))
