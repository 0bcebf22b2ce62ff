"""Japanese and English: English source strings, Japanese from a Babel (gettext) catalog."""

from __future__ import annotations

from functools import cache
from importlib.resources import files

from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po

LANGUAGES = ("ja", "en")


@cache
def catalogs(lang: str) -> tuple[Catalog, ...]:
    """Every catalog of a language: ``messages.po`` and one ``messages-<feature>.po`` per
    feature, so features add their strings without editing a shared file."""
    if lang == "en":
        return ()
    folder = files("jcm.web").joinpath("locale", lang, "LC_MESSAGES")
    out = []
    for entry in sorted(folder.iterdir(), key=lambda e: e.name):
        if entry.name.endswith(".po"):
            with entry.open("rb") as fh:
                out.append(read_po(fh, locale=lang))
    return tuple(out)


@cache
def _table(lang: str) -> dict[str, str]:
    return {str(m.id): str(m.string) for cat in catalogs(lang) for m in cat if m.id and m.string}


def translate(lang: str, text: str) -> str:
    """The text in ``lang``; English (the source) when no translation exists."""
    return _table(lang).get(text, text)


def pick(lang: str, en: str | None, ja: str | None) -> str:
    """Choose between a record's English and Japanese fields."""
    if lang == "ja" and ja:
        return ja
    return en or ja or ""


def negotiate(cookie: str | None, accept_language: str | None, default: str) -> str:
    if cookie in LANGUAGES:
        return cookie
    if accept_language:
        for part in accept_language.split(","):
            code = part.split(";")[0].strip().lower()[:2]
            if code in LANGUAGES:
                return code
    return default
