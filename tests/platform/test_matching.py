from __future__ import annotations

import csv
from importlib.resources import files

from jcm.platform.catalogue import evaluate, labelled_pairs, need_rows, technology_rows
from jcm.platform.rules import (
    Matcher,
    NeedProfile,
    TechProfile,
    TfIdf,
    capacity_fit,
    ngrams,
    normalise,
    precision_at_k,
)

PARTNERS = frozenset(
    r["iso3"]
    for r in csv.DictReader(
        files("jcm.data").joinpath("jcm-partner-countries.csv").read_text("utf-8").splitlines()
    )
)


def test_full_width_text_is_normalised_to_half_width_lower_case() -> None:
    assert normalise("ＬＥＤ　街路灯") == "led 街路灯"


def test_japanese_runs_give_character_ngrams_without_word_boundaries() -> None:
    assert "廃棄" in ngrams("廃棄物発電")
    assert "物発電" in ngrams("廃棄物発電")


def test_english_words_are_padded_so_prefixes_count() -> None:
    assert " so" in ngrams("solar")


def test_japanese_query_finds_the_japanese_description() -> None:
    index = TfIdf(["小水力発電 small hydropower", "ごみ焼却発電 waste incineration"])
    q = index.vector("ごみの焼却")
    assert float(q @ index.matrix[1]) > float(q @ index.matrix[0])


def test_capacity_inside_the_range_fits_fully_and_tenfold_outside_not_at_all() -> None:
    assert capacity_fit(10, 5, 30) == 1.0
    assert capacity_fit(300, 5, 30) == 0.0


def test_a_country_outside_the_jcm_scores_no_country_fit() -> None:
    need = NeedProfile("n", "hydro", "river hydropower", country="NPL")
    tech = TechProfile("t", "hydro", "run-of-river hydropower", frozenset({"NPL"}))
    match = Matcher([need], [tech], PARTNERS).pair("n", "t")
    assert match.criteria["country"] == 0.0
    assert match.criteria["sector"] == 1.0


def test_every_match_is_explained_with_terms_and_weighted_criteria() -> None:
    need = NeedProfile("n", "hydro", "small hydropower on a river", country="VNM", capacity=10)
    tech = TechProfile("t", "hydro", "run-of-river small hydropower", frozenset({"VNM"}), 2, 30)
    match = Matcher([need], [tech], PARTNERS).pair("n", "t")
    lines = match.explain()
    assert "hydro" in " ".join(match.terms) or "hyd" in " ".join(match.terms)
    assert any(line.startswith("sector 1.00 × 0.3") for line in lines)
    assert match.score > 0.8


def test_precision_counts_hits_out_of_the_achievable_number() -> None:
    assert precision_at_k(["a", "x", "b", "y", "z"], {"a", "b"}) == 1.0
    assert precision_at_k(["x", "a"], {"a", "b", "c", "d", "e", "f"}) == 0.2


def test_the_labelled_set_has_at_least_fifty_pairs_over_shipped_records() -> None:
    pairs = labelled_pairs()
    needs = {r["key"] for r in need_rows()}
    techs = {r["key"] for r in technology_rows()}
    assert len(pairs) >= 50
    assert all(n in needs and t in techs for n, t, _ in pairs)
    assert all(r["title_ja"] and r["title_en"] for r in need_rows())


def test_ranking_reaches_the_precision_floor_on_the_labelled_set() -> None:
    result = evaluate(PARTNERS)
    assert result.precision_at_5 >= 0.9
    assert result.text_only_precision_at_5 >= 0.8


def test_needs_are_ranked_for_a_technology_too() -> None:
    from jcm.platform.catalogue import need_profile, tech_profile

    m = Matcher(
        [need_profile(r) for r in need_rows()],
        [tech_profile(r) for r in technology_rows()],
        PARTNERS,
    )
    assert m.needs_for("T-WTE-01", 1)[0].need == "N-01"
