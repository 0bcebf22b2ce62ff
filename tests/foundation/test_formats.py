from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from jcm import formats


def test_numbers_money_tonnes_and_dates_read_as_each_language_writes_them() -> None:
    assert formats.number("en", 1_234_567) == "1,234,567"
    assert formats.number("ja", 1_234_567) == "1,234,567"
    assert formats.yen("ja", 1_234_000) == "1,234,000円"
    assert formats.yen("en", 1_234_000) == "¥1,234,000"
    assert formats.yen("en", -5_000) == "-¥5,000"
    assert formats.tonnes("ja", 1_234) == "1,234 t-CO2"
    assert formats.tonnes("en", 1_234) == "1,234 tCO2"
    assert formats.day("ja", date(2026, 12, 7)) == "2026年12月7日"
    assert formats.day("en", date(2026, 12, 7)) == "7 Dec 2026"
    assert formats.day("en", "2024-01-30") == "30 Jan 2024"
    assert formats.day("ja", datetime(2024, 7, 15, 9, 30)) == "2024年7月15日"
    assert formats.percent("en", Fraction(2, 5)) == "40%"
    assert formats.percent("ja", Decimal("0.125"), 1) == "12.5%"


def test_a_decimal_is_shown_at_its_declared_precision() -> None:
    assert formats.number("en", Decimal("752.009700000000"), 2) == "752.01"
    assert formats.tonnes("en", Decimal("12345.675"), 2) == "12,345.68 tCO2"
    assert formats.number("en", Decimal("0.125"), 2) == "0.12"  # half to even
    assert formats.number("en", Decimal("0.135"), 2) == "0.14"


def test_credits_cut_the_fraction_off() -> None:
    assert formats.credited("en", Decimal("1234.999")) == "1,234 tCO2"
    assert formats.credited("ja", Decimal("0.5")) == "0 t-CO2"


def test_no_value_is_a_dash_and_negative_places_are_refused() -> None:
    assert formats.number("ja", None) == "—"
    assert formats.yen("en", None) == "—"
    assert formats.day("en", "") == "—"
    with pytest.raises(ValueError, match="places"):
        formats.number("en", 1, -1)


@given(st.integers(min_value=-(10**15), max_value=10**15), st.sampled_from(["ja", "en"]))
def test_an_integer_reads_back_to_itself_with_a_separator_every_three_digits(
    n: int, lang: str
) -> None:
    text = formats.number(lang, n)
    assert int(text.replace(",", "")) == n
    groups = text.lstrip("-").split(",")
    assert all(len(g) == 3 for g in groups[1:])
    assert 1 <= len(groups[0]) <= 3


@given(
    st.decimals(min_value=-(10**9), max_value=10**9, allow_nan=False, places=6),
    st.integers(min_value=0, max_value=4),
)
def test_a_decimal_shows_exactly_its_places_and_is_within_half_a_unit(
    d: Decimal, places: int
) -> None:
    text = formats.number("en", d, places)
    shown = Decimal(text.replace(",", ""))
    assert abs(shown - d) <= Decimal(1).scaleb(-places) / 2
    assert (len(text.split(".")[1]) if "." in text else 0) == places


def test_a_decimal_carried_as_json_text_is_formatted_like_the_number() -> None:
    assert formats.percent("en", "0.5") == "50%"
    assert formats.number("ja", "3835.28", 1) == "3,835.3"


def test_a_file_size_reads_as_words_with_separators_in_both_languages() -> None:
    assert formats.size("en", 33_943) == "33.1 KB"
    assert formats.size("ja", 33_943) == "33.1 KB"
    assert formats.size("en", 50 << 20) == "50 MB"
    assert formats.size("en", 1_536 << 30) == "1.5 TB"
    assert formats.size("ja", 2_048 << 40) == "2,048 TB"
    assert formats.size("en", (1 << 20) - 1) == "1 MB"  # never "1,024 KB"
    assert formats.size("en", 512) == "512 bytes"
    assert formats.size("en", 1) == "1 byte"
    assert formats.size("ja", 512) == "512 バイト"
    assert formats.size("ja", None) == "—"
    with pytest.raises(ValueError, match="zero or more"):
        formats.size("en", -1)
