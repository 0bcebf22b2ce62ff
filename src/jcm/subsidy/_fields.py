"""Read typed values out of loosely typed records, collecting one problem per bad field.

Shared by the application parser and the call-settings loader: a value may come from JSON
(``int``, ``Decimal``, ``str``, ``bool``), CSV (``str``) or a spreadsheet (``int``,
``float``, ``str``). Exact values only: a float is accepted only where it is a whole number.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal, InvalidOperation
from fractions import Fraction

from jcm.errors import FieldProblem

_TRUE = {"true", "yes", "y", "1", "はい", "有", "あり"}
_FALSE = {"false", "no", "n", "0", "いいえ", "無", "なし"}


def is_blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def to_int(value: object) -> int | None:
    """An exact whole number, or None if the value is not one."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        return int(value) if value.is_integer() else None
    if isinstance(value, Decimal):
        return int(value) if value.is_finite() and value == value.to_integral_value() else None
    if isinstance(value, str):
        text = value.strip().replace(",", "").replace("_", "")
        try:
            return to_int(Decimal(text))
        except InvalidOperation:
            return None
    return None


def to_fraction(value: object) -> Fraction | None:
    """An exact rational from an int, decimal text, "p/q" text or Decimal."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int | Decimal):
        return Fraction(value) if not isinstance(value, Decimal) or value.is_finite() else None
    if isinstance(value, float):
        # Spreadsheets store 0.4 as a float; its shortest repr is what the person typed.
        return Fraction(repr(value))
    if isinstance(value, str):
        try:
            return Fraction(value.strip().replace(",", ""))
        except (ValueError, ZeroDivisionError):
            return None
    return None


def to_bool(value: object) -> bool | None:
    if isinstance(value, bool):
        return value
    if isinstance(value, int) and value in (0, 1):
        return bool(value)
    if isinstance(value, str):
        text = value.strip().lower()
        if text in _TRUE:
            return True
        if text in _FALSE:
            return False
    return None


class FieldReader:
    """Reads fields of one record and keeps the problems found, with the record's row."""

    def __init__(self, data: Mapping[str, object], row: int | None = None, prefix: str = ""):
        self.data = data
        self.row = row
        self.prefix = prefix
        self.problems: list[FieldProblem] = []

    def name(self, key: str) -> str:
        return f"{self.prefix}{key}"

    def problem(self, key: str, message_en: str, message_ja: str) -> None:
        self.problems.append(FieldProblem(self.name(key), message_en, message_ja, self.row))

    def present(self, key: str) -> bool:
        return not is_blank(self.data.get(key))

    def _missing(self, key: str) -> None:
        self.problem(key, "is required.", "必須項目です。")

    def text(self, key: str, *, required: bool = True, default: str = "") -> str:
        if not self.present(key):
            if required:
                self._missing(key)
            return default
        return str(self.data[key]).strip()

    def iso3(self, key: str) -> str:
        code = self.text(key).upper()
        if code and (len(code) != 3 or not code.isalpha()):
            self.problem(
                key,
                f"'{code}' is not an ISO 3166 alpha-3 country code.",
                f"'{code}' は ISO 3166 の3文字国コードではありません。",
            )
        return code

    def integer(self, key: str, *, minimum: int | None = None, required: bool = True) -> int:
        value = self.optional_integer(key, minimum=minimum)
        if value is None and required and not self.present(key):
            self._missing(key)
        return value if value is not None else 0

    def optional_integer(self, key: str, *, minimum: int | None = None) -> int | None:
        if not self.present(key):
            return None
        value = to_int(self.data[key])
        if value is None:
            self.problem(
                key,
                f"'{self.data[key]}' is not a whole number.",
                f"'{self.data[key]}' は整数ではありません。",
            )
        elif minimum is not None and value < minimum:
            self.problem(
                key, f"must be at least {minimum:,}.", f"{minimum:,} 以上である必要があります。"
            )
            return None
        return value

    def fraction(self, key: str, *, required: bool = True) -> Fraction | None:
        if not self.present(key):
            if required:
                self._missing(key)
            return None
        value = to_fraction(self.data[key])
        if value is None:
            self.problem(
                key,
                f"'{self.data[key]}' is not an exact number.",
                f"'{self.data[key]}' は数値ではありません。",
            )
        return value

    def boolean(self, key: str, *, default: bool = False) -> bool:
        if not self.present(key):
            return default
        value = to_bool(self.data[key])
        if value is None:
            self.problem(
                key,
                f"'{self.data[key]}' is not true or false.",
                f"'{self.data[key]}' は true / false ではありません。",
            )
            return default
        return value
