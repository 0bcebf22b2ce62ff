"""Call settings to and from JSON, so the secretariat can edit and version each call year.

Rates and thresholds are written as exact text ("0.4", "4000", "1/3"); a bad value raises
``ValidationFailed`` whose problems name the field, e.g. ``rate_tiers[1].rate``.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from decimal import Decimal
from fractions import Fraction
from pathlib import Path
from typing import Any, cast

from jcm.errors import FieldProblem, ValidationFailed
from jcm.subsidy._fields import FieldReader
from jcm.subsidy._format import ratio_text
from jcm.subsidy.settings import (
    PAYBACK_FORMULAS,
    CallSettings,
    CostEffectivenessException,
    PaybackFormula,
    RateTier,
    Severity,
    SimilarProjects,
)
from jcm.subsidy.technologies import Technology


def dump_call_settings(call: CallSettings) -> dict[str, Any]:
    """The settings as a JSON-ready dict that ``load_call_settings`` reads back equal."""
    return {
        "call": call.call,
        "fiscal_years": list(call.fiscal_years),
        "budget_jpy_by_fiscal_year": {str(y): a for y, a in call.budget_jpy_by_fiscal_year},
        "budget_note": call.budget_note,
        "rate_tiers": [
            {"min_similar_projects": t.min_similar_projects, "rate": ratio_text(t.rate)}
            for t in call.rate_tiers
        ],
        "ceiling_jpy": call.ceiling_jpy,
        "cost_effectiveness_threshold_jpy_per_tco2": ratio_text(
            call.cost_effectiveness_threshold_jpy_per_tco2
        ),
        "cost_effectiveness_exceptions": [
            _dump_exception(e) for e in call.cost_effectiveness_exceptions
        ],
        "minimum_payback_years": ratio_text(call.minimum_payback_years),
        "payback_formula": call.payback_formula,
        "payback_below_minimum": call.payback_below_minimum,
        "maximum_implementation_months": call.maximum_implementation_months,
        "representative_country": call.representative_country,
        "eligible_countries": list(call.eligible_countries),
        "technologies": [vars(t).copy() for t in call.technologies],
        "similar_projects_adopted": [vars(s).copy() for s in call.similar_projects_adopted],
        "notes": list(call.notes),
    }


def _dump_exception(e: CostEffectivenessException) -> dict[str, Any]:
    out: dict[str, Any] = {
        "technology": e.technology,
        "partner_country": e.partner_country,
        "exempt": e.exempt,
        "note": e.note,
    }
    if e.threshold_jpy_per_tco2 is not None:
        out["threshold_jpy_per_tco2"] = ratio_text(e.threshold_jpy_per_tco2)
    return out


def call_settings_to_json(call: CallSettings) -> str:
    return json.dumps(dump_call_settings(call), ensure_ascii=False, indent=2)


def call_settings_from_json(text: str) -> CallSettings:
    """Parse JSON text; a syntax error is reported as a problem too."""
    try:
        data = json.loads(text, parse_float=Decimal)
    except json.JSONDecodeError as exc:
        raise ValidationFailed.of(
            [FieldProblem("(file)", f"not valid JSON: {exc}", f"JSON として読めません：{exc}")]
        ) from None
    if not isinstance(data, Mapping):
        raise ValidationFailed.of(
            [FieldProblem("(file)", "must be a JSON object.", "JSON オブジェクトが必要です。")]
        )
    return load_call_settings(data)


def read_call_settings(path: Path) -> CallSettings:
    return call_settings_from_json(path.read_text(encoding="utf-8"))


def load_call_settings(data: Mapping[str, Any]) -> CallSettings:
    """Validated ``CallSettings`` from a dict; every bad field is listed."""
    r = FieldReader(data)
    years = _fiscal_years(r)
    settings = CallSettings(
        call=r.text("call"),
        fiscal_years=years,
        budget_jpy_by_fiscal_year=_budget(r, years),
        budget_note=r.text("budget_note", required=False),
        rate_tiers=_rate_tiers(r),
        ceiling_jpy=r.integer("ceiling_jpy", minimum=1),
        cost_effectiveness_threshold_jpy_per_tco2=_positive(
            r, "cost_effectiveness_threshold_jpy_per_tco2"
        ),
        cost_effectiveness_exceptions=tuple(
            _exception(r, i, e) for i, e in _items(r, "cost_effectiveness_exceptions")
        ),
        minimum_payback_years=_positive(r, "minimum_payback_years", allow_zero=True),
        payback_formula=cast(PaybackFormula, _choice(r, "payback_formula", PAYBACK_FORMULAS)),
        payback_below_minimum=cast(
            Severity, _choice(r, "payback_below_minimum", ("fail", "review"))
        ),
        maximum_implementation_months=r.integer("maximum_implementation_months", minimum=1),
        representative_country=r.iso3("representative_country"),
        eligible_countries=_countries(r),
        technologies=tuple(_technology(r, i, t) for i, t in _items(r, "technologies")),
        similar_projects_adopted=tuple(
            _similar(r, i, s) for i, s in _items(r, "similar_projects_adopted")
        ),
        notes=tuple(str(n) for n in data.get("notes") or ()),
    )
    if r.problems:
        raise ValidationFailed.of(r.problems)
    return settings


def _items(r: FieldReader, key: str) -> list[tuple[int, Mapping[str, Any]]]:
    raw = r.data.get(key) or []
    if not isinstance(raw, list) or not all(isinstance(x, Mapping) for x in raw):
        r.problem(key, "must be a list of objects.", "オブジェクトのリストが必要です。")
        return []
    return list(enumerate(raw))


def _sub(key: str, index: int, item: Mapping[str, Any]) -> FieldReader:
    return FieldReader(item, prefix=f"{key}[{index}].")


def _absorb(r: FieldReader, sub: FieldReader) -> None:
    r.problems.extend(sub.problems)


def _fiscal_years(r: FieldReader) -> tuple[int, ...]:
    raw = r.data.get("fiscal_years")
    items: list[object] = list(raw) if isinstance(raw, list) else []
    years = tuple(y for y in items if isinstance(y, int) and not isinstance(y, bool))
    if not years or len(years) != len(items) or list(years) != sorted(set(years)):
        r.problem(
            "fiscal_years",
            "must be a non-empty list of increasing years, e.g. [2022, 2023, 2024].",
            "[2022, 2023, 2024] のような昇順の年度リストが必要です。",
        )
    return years or (0,)


def _budget(r: FieldReader, years: tuple[int, ...]) -> tuple[tuple[int, int], ...]:
    raw = r.data.get("budget_jpy_by_fiscal_year")
    if not isinstance(raw, Mapping):
        r.problem(
            "budget_jpy_by_fiscal_year",
            'must be an object {"2022": yen, ...}.',
            '{"2022": 円, ...} の形式が必要です。',
        )
        return ()
    sub = FieldReader(raw, prefix="budget_jpy_by_fiscal_year.")
    out = tuple((y, sub.integer(str(y), minimum=0)) for y in years)
    extra = sorted(set(raw) - {str(y) for y in years})
    for key in extra:
        sub.problem(key, "is not one of fiscal_years.", "fiscal_years に含まれない年度です。")
    _absorb(r, sub)
    return out


def _rate_tiers(r: FieldReader) -> tuple[RateTier, ...]:
    tiers = []
    for i, item in _items(r, "rate_tiers"):
        sub = _sub("rate_tiers", i, item)
        rate = sub.fraction("rate")
        if rate is not None and not 0 < rate <= 1:
            sub.problem(
                "rate",
                "must be above 0 and at most 1.",
                "0 より大きく 1 以下である必要があります。",
            )
        tiers.append(RateTier(sub.integer("min_similar_projects", minimum=0), rate or Fraction(0)))
        _absorb(r, sub)
    if not tiers or tiers[0].min_similar_projects != 0:
        r.problem(
            "rate_tiers",
            "must start with a tier for 0 similar projects.",
            "同種案件 0 件の区分から始める必要があります。",
        )
    if [t.min_similar_projects for t in tiers] != sorted({t.min_similar_projects for t in tiers}):
        r.problem(
            "rate_tiers",
            "must be in increasing min_similar_projects.",
            "min_similar_projects の昇順で並べてください。",
        )
    return tuple(tiers) or (RateTier(0, Fraction(0)),)


def _positive(r: FieldReader, key: str, *, allow_zero: bool = False) -> Fraction:
    value = r.fraction(key)
    if value is not None and (value < 0 or (value == 0 and not allow_zero)):
        r.problem(key, "must be positive.", "正の値である必要があります。")
    return value or Fraction(0)


def _choice(r: FieldReader, key: str, options: tuple[str, ...]) -> str:
    value = r.text(key, required=False, default=options[0])
    if value not in options:
        listed = ", ".join(options)
        r.problem(key, f"must be one of: {listed}.", f"次のいずれかを指定してください：{listed}。")
    return value


def _countries(r: FieldReader) -> tuple[str, ...]:
    raw = r.data.get("eligible_countries")
    ok = isinstance(raw, list) and raw and all(isinstance(c, str) and len(c) == 3 for c in raw)
    if not ok:
        r.problem(
            "eligible_countries",
            "must be a non-empty list of ISO3 codes.",
            "ISO3 国コードのリストが必要です。",
        )
        return ()
    return tuple(str(c).upper() for c in cast(list[str], raw))


def _exception(r: FieldReader, i: int, item: Mapping[str, Any]) -> CostEffectivenessException:
    sub = _sub("cost_effectiveness_exceptions", i, item)
    exempt = sub.boolean("exempt")
    threshold = sub.fraction("threshold_jpy_per_tco2", required=False)
    if not exempt and threshold is None:
        sub.problem(
            "threshold_jpy_per_tco2",
            "is required unless exempt is true.",
            "exempt が true でない場合は必須です。",
        )
    out = CostEffectivenessException(
        sub.text("technology"),
        sub.text("partner_country").upper(),
        exempt,
        threshold,
        sub.text("note", required=False),
    )
    _absorb(r, sub)
    return out


def _technology(r: FieldReader, i: int, item: Mapping[str, Any]) -> Technology:
    sub = _sub("technologies", i, item)
    code = sub.text("code")
    out = Technology(
        code=code,
        family=sub.text("family", required=False, default=code),
        durable_years=sub.integer("durable_years", minimum=1),
        source=sub.text("source"),
        name_en=sub.text("name_en", required=False, default=code),
        name_ja=sub.text("name_ja", required=False, default=code),
    )
    _absorb(r, sub)
    return out


def _similar(r: FieldReader, i: int, item: Mapping[str, Any]) -> SimilarProjects:
    sub = _sub("similar_projects_adopted", i, item)
    out = SimilarProjects(
        sub.iso3("partner_country"), sub.text("family"), sub.integer("count", minimum=0)
    )
    _absorb(r, sub)
    return out
