"""What every subsidy page shows alike: statuses, countries and technologies in words."""

from __future__ import annotations

from typing import Any

from jcm.auth.rules import Action, may
from jcm.subsidy.countries import PARTNER_COUNTRIES
from jcm.subsidy.schemas import APP_STATUS_JA, AppStatus
from jcm.subsidy.settings import CallSettings
from jcm.web.deps import RequestContext

_COUNTRIES = {c.iso3: c for c in PARTNER_COUNTRIES}
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def app_status(lang: str, s: str) -> str:
    return APP_STATUS_JA[AppStatus(s)] if lang == "ja" else s


def country_name(lang: str, iso3: str) -> str:
    """The partner country's name; the code itself for a country outside the list."""
    c = _COUNTRIES.get(iso3)
    if c is None:
        return iso3
    return c.name_ja if lang == "ja" else c.name_en


def technology_name(lang: str, settings: CallSettings, code: str) -> str:
    t = settings.technology_by_code.get(code)
    if t is None:
        return code
    return t.name_ja if lang == "ja" else t.name_en


def is_staff(ctx: RequestContext) -> bool:
    return may(ctx.principal, Action.SUBSIDY_READ_ALL)


def words(ctx: RequestContext, settings: CallSettings) -> dict[str, Any]:
    """The template helpers that turn a status, country or technology code into words."""
    lang = ctx.lang
    return {
        "app_status": lambda s: app_status(lang, s),
        "country": lambda c: country_name(lang, c),
        "technology": lambda c: technology_name(lang, settings, c),
    }
