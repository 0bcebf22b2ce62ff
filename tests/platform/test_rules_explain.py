"""A match says why, in words, in both languages: shared words, sector, country, capacity
against the technology's range, budget against its lowest price."""

from __future__ import annotations

import pytest

from jcm import formats
from jcm.platform.rules import Match, NeedProfile, TechProfile
from jcm.platform.rules_explain import Words, reasons

NEED = NeedProfile("N-1", "waste_to_energy", "ごみ 焼却", "VNM", 500.0, 8_000_000_000)
TECH = TechProfile(
    "T-1", "waste_to_energy", "stoker", frozenset({"VNM", "THA"}), 100.0, 800.0, 5_000_000_000
)
MATCH = Match("N-1", "T-1", 0.9, 0.4, ("waste", "incineration"), {})
SECTORS = {
    "waste_to_energy": ("Waste-to-energy", "廃棄物発電"),
    "solar_pv": ("Solar PV", "太陽光発電"),
}
COUNTRIES = {"VNM": ("Viet Nam", "ベトナム"), "USA": ("United States", "アメリカ合衆国")}
PARTNERS = frozenset({"VNM", "THA"})


def _words(lang: str) -> Words:
    ja = lang == "ja"
    return Words(
        lang=lang,
        sector=lambda c: SECTORS[c][ja],
        country=lambda c: COUNTRIES[c][ja],
        amount=lambda v: formats.number(lang, int(v)) if v is not None else "—",
        yen=lambda v: formats.yen(lang, v),
    )


def test_a_good_match_in_english() -> None:
    assert reasons(MATCH, NEED, TECH, PARTNERS, "t/day", _words("en")) == [
        "Words in common: waste, incineration",
        "Same sector: Waste-to-energy",
        "Already offered in Viet Nam",
        "500 t/day is inside the range of 100–800 t/day",
        "The budget of ¥8,000,000,000 covers the lowest price of ¥5,000,000,000",
    ]


def test_a_good_match_in_japanese() -> None:
    assert reasons(MATCH, NEED, TECH, PARTNERS, "t/日", _words("ja")) == [
        "共通する語：waste、incineration",
        "同じ分野：廃棄物発電",
        "ベトナムで提供実績があります",
        "500 t/日は対応範囲（100–800 t/日）の内です",
        "予算8,000,000,000円で最低価格5,000,000,000円をまかなえます",
    ]


@pytest.mark.parametrize(
    ("need", "tech", "line", "expected"),
    [
        (
            NEED,
            TECH.__class__(**{**TECH.__dict__, "sector": "solar_pv"}),
            1,
            "Another sector: Solar PV (the need is Waste-to-energy)",
        ),
        (
            NEED.__class__(**{**NEED.__dict__, "country": "USA"}),
            TECH,
            2,
            "United States is not a JCM partner country",
        ),
        (
            NEED,
            TECH.__class__(**{**TECH.__dict__, "countries": frozenset({"THA"})}),
            2,
            "Not yet offered in Viet Nam",
        ),
        (
            NEED,
            TECH.__class__(**{**TECH.__dict__, "countries": frozenset()}),
            2,
            "The supplier names no countries yet",
        ),
        (
            NEED.__class__(**{**NEED.__dict__, "capacity": 50.0}),
            TECH,
            3,
            "50 t/day is below the range of 100–800 t/day",
        ),
        (
            NEED.__class__(**{**NEED.__dict__, "capacity": 800.0}),
            TECH,
            3,
            "800 t/day is inside the range of 100–800 t/day",
        ),
        (
            NEED.__class__(**{**NEED.__dict__, "capacity": 801.0}),
            TECH,
            3,
            "801 t/day is above the range of 100–800 t/day",
        ),
        (
            NEED.__class__(**{**NEED.__dict__, "capacity": None}),
            TECH,
            3,
            "Capacity not stated on both sides",
        ),
        (
            NEED.__class__(**{**NEED.__dict__, "budget_jpy": 4_999_999_999}),
            TECH,
            4,
            "The budget of ¥4,999,999,999 is below the lowest price of ¥5,000,000,000",
        ),
        (
            NEED.__class__(**{**NEED.__dict__, "budget_jpy": 5_000_000_000}),
            TECH,
            4,
            "The budget of ¥5,000,000,000 covers the lowest price of ¥5,000,000,000",
        ),
        (
            NEED.__class__(**{**NEED.__dict__, "budget_jpy": None}),
            TECH,
            4,
            "Budget or price not stated",
        ),
    ],
)
def test_each_reason_names_the_number_and_the_limit(
    need: NeedProfile, tech: TechProfile, line: int, expected: str
) -> None:
    assert reasons(MATCH, need, tech, PARTNERS, "t/day", _words("en"))[line] == expected


def test_no_shared_words_is_said_plainly() -> None:
    bare = Match("N-1", "T-1", 0.3, 0.0, (), {})
    assert (
        reasons(bare, NEED, TECH, PARTNERS, "t/day", _words("ja"))[0]
        == "ニーズとの共通語はありません"
    )
