"""Workbooks for people show numbers as the pages do: separators on quantities and money,
a Decimal at its own places, dates as dates; never separators on years or identifiers, and
the values stay numbers (a spreadsheet still sums them)."""

from __future__ import annotations

import io
from datetime import date
from decimal import Decimal

import pytest
from openpyxl import Workbook, load_workbook

from jcm.exports import for_people, number_format
from jcm.reporting.export import to_xlsx


@pytest.mark.parametrize(
    ("value", "header", "expected"),
    [
        (1_234_000, "Requested subsidy (yen)", "#,##0"),
        (36, "Number of applications", "#,##0"),
        (2023, "fiscal_year", None),
        (2023, "Vintage", None),
        (1_000_001, "serial_start", None),
        (12, "project_id", None),
        (2023, "年度", None),
        (Decimal("752.0097"), "ER (tCO2)", "#,##0.0000"),
        (Decimal("3835.28"), "Yen per tCO2", "#,##0.00"),
        (Decimal("12"), "ER", "#,##0"),
        (date(2026, 12, 8), "Date", "yyyy-mm-dd"),
        (True, "Adopted", None),
        ("=1+1", "note", None),
    ],
)
def test_each_kind_of_cell_has_its_format(value: object, header: str, expected: str | None) -> None:
    assert number_format(value, header) == expected


def test_an_insight_workbook_keeps_numbers_and_shows_them_with_separators() -> None:
    data = to_xlsx(
        [
            (
                "subsidy",
                ["Key", "Fiscal year", "Requested subsidy (yen)", "Yen per tCO2"],
                [["solar_pv", 2023, 1_234_000, Decimal("3835.28")]],
            )
        ]
    )
    sheet = load_workbook(io.BytesIO(data))["subsidy"]
    key, year, money, ratio = sheet[2]
    assert money.value == 1_234_000
    assert money.number_format == "#,##0"
    assert year.value == 2023
    assert year.number_format == "General"
    assert ratio.number_format == "#,##0.00"
    assert key.number_format == "General"


def test_a_format_the_writer_chose_is_kept() -> None:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["Share"])
    sheet.append([Decimal("0.5")])
    sheet["A2"].number_format = "0%"
    for_people(book)
    assert sheet["A2"].number_format == "0%"
