"""What every subsidy page shows alike: statuses, countries and technologies in words."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from jcm import formats
from jcm.auth.rules import Action, may
from jcm.subsidy.countries import PARTNER_COUNTRIES
from jcm.subsidy.schemas import APP_STATUS_JA, AppStatus
from jcm.subsidy.screening import Check
from jcm.subsidy.settings import CallSettings
from jcm.web.deps import RequestContext

_COUNTRIES = {c.iso3: c for c in PARTNER_COUNTRIES}
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def app_status(lang: str, s: str) -> str:
    return APP_STATUS_JA[AppStatus(s)] if lang == "ja" else s


def country_name(lang: str, iso3: str) -> str:
    """The partner country's name (or Japan's); the code itself for a country outside."""
    c = _COUNTRIES.get(iso3)
    if c is None:
        return {"JPN": ("Japan", "日本")}.get(iso3, (iso3, iso3))[lang == "ja"]
    return c.name_ja if lang == "ja" else c.name_en


def technology_name(lang: str, settings: CallSettings, code: str) -> str:
    t = settings.technology_by_code.get(code)
    if t is None:
        return code
    return t.name_ja if lang == "ja" else t.name_en


def _decimal(text: object) -> Decimal | None:
    try:
        return Decimal(str(text))
    except (InvalidOperation, ValueError):
        return None


def _places(text: object) -> int:
    return len(str(text).partition(".")[2])


def _quantity(lang: str, value: object, unit_en: str, unit_ja: str) -> str:
    """A decimal the rule gave as text, at the places it gave, with its unit."""
    d = _decimal(value)
    if d is None:
        return "—"
    shown = formats.number(lang, d, _places(value))
    return f"{shown} {unit_ja}" if lang == "ja" else f"{shown} {unit_en}"


def _yes_no(lang: str, value: object) -> str:
    return ("はい" if value else "いいえ") if lang == "ja" else ("Yes" if value else "No")


def check_shown(
    lang: str, settings: CallSettings, check: Check | dict[str, Any]
) -> tuple[str, str]:
    """A screening check's value and limit (a check, or one as stored with its screening)
    as a person reads them: countries by name, yen and percentages formatted, years and
    months with their unit."""
    if isinstance(check, dict):
        rule, value, limit = check.get("rule"), check.get("value"), check.get("limit")
    else:
        rule, value, limit = check.rule, check.value, check.limit
    if rule in ("representative_is_japanese", "country_eligible"):
        n = len(settings.eligible_countries)
        shown_limit = (
            country_name(lang, str(limit))
            if rule == "representative_is_japanese"
            else (f"パートナー国 {n} か国" if lang == "ja" else f"{n} partner countries")
        )
        return country_name(lang, str(value)), shown_limit
    if rule == "no_other_public_subsidy":
        return _yes_no(lang, value), _yes_no(lang, limit)
    if rule == "rate_cap":
        similar = value if isinstance(value, int) else 0
        rate = _decimal(limit)
        return (
            f"同種案件 {similar} 件" if lang == "ja" else f"{similar} similar project(s)",
            formats.percent(lang, rate, max(_places(limit) - 2, 0)) if rate is not None else "—",
        )
    if rule in ("subsidy_within_rate_cap", "subsidy_within_ceiling"):
        return (
            formats.yen(lang, value if isinstance(value, int) else None),
            formats.yen(lang, limit if isinstance(limit, int) else None),
        )
    if rule == "cost_effectiveness":
        exempt = ("適用除外" if lang == "ja" else "Exempt") if limit == "exempt" else None
        return (
            _quantity(lang, value, "yen/tCO2", "円/t-CO2"),
            exempt or _quantity(lang, limit, "yen/tCO2", "円/t-CO2"),
        )
    if rule == "payback_period":
        return _quantity(lang, value, "years", "年"), _quantity(lang, limit, "years", "年")
    if rule == "implementation_period":
        return _quantity(lang, value, "months", "か月"), _quantity(lang, limit, "months", "か月")
    if rule == "schedule":
        first, last = settings.fiscal_years[0], settings.fiscal_years[-1]
        years = f"{first}〜{last}年度" if lang == "ja" else f"FY{first}–FY{last}"
        return formats.yen(lang, value if isinstance(value, int) else None), years
    return (
        "—" if value is None else str(value),
        "—" if limit is None else str(limit),
    )


def rule_words(lang: str, settings: CallSettings) -> dict[str, Any]:
    """The template helpers of the call-rules page: fiscal years, yen per tCO2, years and
    months with their units, and a technology family as the technologies it counts."""

    def family(code: str) -> str:
        names = [
            technology_name(lang, settings, t.code)
            for t in settings.technologies
            if t.family == code
        ]
        return ("、" if lang == "ja" else ", ").join(names) or code

    return {
        "fy": lambda y: f"{y}年度" if lang == "ja" else f"FY{y}",
        "per_tco2": lambda v: _quantity(
            lang, formats.number("en", v, 2).replace(",", ""), "yen/tCO2", "円/t-CO2"
        ),
        "years": lambda v: _quantity(
            lang, formats.number("en", v, 2).replace(",", "").removesuffix(".00"), "years", "年"
        ),
        "months": lambda v: _quantity(lang, str(v), "months", "か月"),
        "family": family,
    }


def is_staff(ctx: RequestContext) -> bool:
    return may(ctx.principal, Action.SUBSIDY_READ_ALL)


def words(ctx: RequestContext, settings: CallSettings) -> dict[str, Any]:
    """The template helpers that turn a status, country or technology code into words."""
    lang = ctx.lang
    return {
        "app_status": lambda s: app_status(lang, s),
        "country": lambda c: country_name(lang, c),
        "technology": lambda c: technology_name(lang, settings, c),
        "check_shown": lambda c: check_shown(lang, settings, c),
    }
