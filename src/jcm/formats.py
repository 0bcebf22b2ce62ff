"""Numbers, money, tonnes and dates as a reader of each language writes them (Babel's CLDR
data): "1,234,000円" and "¥1,234,000", "1,234 t-CO2" and "1,234 tCO2", "2026年12月7日" and
"7 Dec 2026", "33.1 KB". A Decimal is shown at the precision its field declares, never at the precision
the machine holds it. Pure functions: the pages, people's exports and the CLI share them."""

from __future__ import annotations

from datetime import date, datetime
from decimal import ROUND_DOWN, ROUND_HALF_EVEN, Decimal
from fractions import Fraction

from babel.dates import format_date
from babel.numbers import format_decimal

LOCALES = {"ja": "ja_JP", "en": "en_GB"}
# A str is a decimal as JSON carries it ("0.5", "3835.28").
Number = int | Decimal | Fraction | str


def _locale(lang: str) -> str:
    return LOCALES.get(lang, LOCALES["en"])


def _decimal(value: Number) -> Decimal:
    if isinstance(value, Fraction):
        return Decimal(value.numerator) / Decimal(value.denominator)
    return Decimal(value)


def number(lang: str, value: Number | None, places: int = 0) -> str:
    """``value`` with the language's group separators and exactly ``places`` decimals,
    rounded half to even; "—" for no value."""
    if value is None:
        return "—"
    if places < 0:
        raise ValueError("places must be zero or more")
    pattern = "#,##0" + ("." + "0" * places if places else "")
    exact = _decimal(value).quantize(Decimal(1).scaleb(-places))
    return format_decimal(exact, format=pattern, locale=_locale(lang))


def yen(lang: str, value: int | None) -> str:
    """Money in yen: "1,234,000円" in Japanese, "¥1,234,000" in English."""
    if value is None:
        return "—"
    digits = number(lang, abs(value))
    sign = "-" if value < 0 else ""
    return f"{sign}{digits}円" if lang == "ja" else f"{sign}¥{digits}"


def tonnes(lang: str, value: Number | None, places: int = 0) -> str:
    """Tonnes of CO2 equivalent: "1,234 t-CO2" in Japanese, "1,234 tCO2" in English."""
    if value is None:
        return "—"
    unit = "t-CO2" if lang == "ja" else "tCO2"
    return f"{number(lang, value, places)} {unit}"


def credited(lang: str, value: Number | None) -> str:
    """Credits are whole tonnes: the fraction is cut off, never rounded up."""
    if value is None:
        return "—"
    whole = _decimal(value).to_integral_value(rounding=ROUND_DOWN)
    return tonnes(lang, whole)


def percent(lang: str, fraction: Number | None, places: int = 0) -> str:
    """A share as a percentage: 2/5 is "40%" (both languages), 0.125 at one place "12.5%"."""
    if fraction is None:
        return "—"
    return number(lang, _decimal(fraction) * 100, places) + "%"


def day(lang: str, value: date | datetime | str | None) -> str:
    """A calendar date: "2026年12月7日" in Japanese, "7 Dec 2026" in English; an ISO text
    (as stored in JSON) is read first."""
    if value is None or value == "":
        return "—"
    if isinstance(value, str):
        value = datetime.fromisoformat(value) if "T" in value else date.fromisoformat(value)
    if isinstance(value, datetime):
        value = value.date()
    if lang == "ja":
        return format_date(value, "long", locale=_locale("ja"))
    return format_date(value, "d MMM y", locale=_locale("en"))


SIZE_UNITS = ("KB", "MB", "GB", "TB")


def size(lang: str, n_bytes: int | None) -> str:
    """A file size as people read it: "512 bytes" ("512 バイト"), "33.1 KB", "1,234.5 GB";
    a kilobyte is 1,024 bytes, as the upload limits count them. "—" for no size."""
    if n_bytes is None:
        return "—"
    if n_bytes < 0:
        raise ValueError("a size is zero or more bytes")
    if n_bytes < 1024:
        unit = "バイト" if lang == "ja" else ("byte" if n_bytes == 1 else "bytes")
        return f"{number(lang, n_bytes)} {unit}"
    value, step = Decimal(n_bytes) / 1024, 0
    shown = value.quantize(Decimal("0.1"), rounding=ROUND_HALF_EVEN)
    while shown >= 1024 and step < len(SIZE_UNITS) - 1:  # "1 MB", never "1,024 KB"
        value, step = value / 1024, step + 1
        shown = value.quantize(Decimal("0.1"), rounding=ROUND_HALF_EVEN)
    digits = format_decimal(shown, format="#,##0.#", locale=_locale(lang))
    return f"{digits} {SIZE_UNITS[step]}"
