"""Cells for CSV and xlsx files people open in a spreadsheet program.

A text cell that begins with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return is read by
Excel and LibreOffice as a formula (``=HYPERLINK(...)``, ``=cmd|...``): the OWASP CSV-injection
guidance is to prefix such a cell with a single quote so it is shown as text. The full-width
forms ``＝ ＋ － ＠`` are included, as a Japanese input method may turn them into a formula.

Only text is changed. A number (int, float, Decimal) is written as a number, a negative one
included, and so is text that is nothing but a plain number (``-12.5``, as written by ``str``
of a Decimal): a spreadsheet reads it as that number, never as a formula.

openpyxl writes a ``str`` beginning with ``=`` as a formula, so xlsx writers need this too.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from datetime import date, datetime
from decimal import Decimal
from typing import Any, TypeVar

from openpyxl import Workbook

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "＝", "＋", "－", "＠")
_PLAIN_NUMBER = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?")

K = TypeVar("K")


def neutralise(value: Any) -> Any:
    """``value`` as a spreadsheet should show it: text that would be a formula is quoted."""
    if not isinstance(value, str) or not value.startswith(FORMULA_STARTS):
        return value
    if _PLAIN_NUMBER.fullmatch(value):
        return value
    return "'" + value


def neutralise_row(values: Iterable[Any]) -> list[Any]:
    """One row of cells, each through :func:`neutralise`."""
    return [neutralise(v) for v in values]


def neutralise_record(record: Mapping[K, Any]) -> dict[K, Any]:
    """One record (as for ``csv.DictWriter``), each value through :func:`neutralise`."""
    return {k: neutralise(v) for k, v in record.items()}


def neutralise_workbook(book: Workbook) -> Workbook:
    """Every text cell of ``book`` through :func:`neutralise`, just before it is saved.

    For workbooks built row by row with ``append`` (openpyxl has by then stored a text
    beginning with ``=`` as a formula; none of ours writes a real formula)."""
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                if isinstance(cell.value, str):
                    cell.value = neutralise(cell.value)
    return book


# Columns whose integers are names, not quantities: no group separators there.
_IDENTIFIER_HEADER = re.compile(
    r"(year|vintage|\bfy\b|\bid\b|_id\b|serial|\bref\b|code|年度|番号|ＩＤ)", re.I
)


def number_format(value: Any, header: Any = None) -> str | None:
    """The cell format a spreadsheet should show ``value`` with, as the pages show it:
    integers with group separators (not in a column of years, identifiers or serial
    numbers), a Decimal at exactly its own places, dates as yyyy-mm-dd; None to leave it."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        if isinstance(header, str) and _IDENTIFIER_HEADER.search(header):
            return None
        return "#,##0"
    if isinstance(value, Decimal):
        exponent = value.as_tuple().exponent
        places = -exponent if isinstance(exponent, int) and exponent < 0 else 0
        return "#,##0" + ("." + "0" * places if places else "")
    if isinstance(value, datetime):
        return "yyyy-mm-dd hh:mm"
    if isinstance(value, date):
        return "yyyy-mm-dd"
    return None


def for_people(book: Workbook) -> Workbook:
    """``book`` ready for a person's spreadsheet, just before it is saved: text that would
    be a formula quoted (:func:`neutralise_workbook`), and each number cell the writer left
    in the General format given :func:`number_format`, judged by its column's header in the
    first row."""
    neutralise_workbook(book)
    for sheet in book.worksheets:
        headers = {c.column: c.value for c in next(sheet.iter_rows(max_row=1), ())}
        for row in sheet.iter_rows(min_row=2):
            for cell in row:
                if cell.number_format != "General":
                    continue
                shown = number_format(cell.value, headers.get(cell.column))
                if shown is not None:
                    cell.number_format = shown
    return book
