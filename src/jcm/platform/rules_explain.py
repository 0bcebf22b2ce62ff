"""Why a technology matches a need, in sentences a partner or the desk reads, in Japanese or
English: the words the two share, the sector, the country, the capacity against the
technology's range and the budget against its lowest price. Pure: the caller gives the names
(sectors, countries) and the number formats of the page's language."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from jcm.platform.rules import Match, NeedProfile, TechProfile


@dataclass(frozen=True)
class Words:
    """How the page names things and writes numbers, in its language."""

    lang: str
    sector: Callable[[str], str]
    country: Callable[[str], str]
    amount: Callable[[float | None], str]
    yen: Callable[[int | None], str]


def _pick(words: Words, en: str, ja: str) -> str:
    return ja if words.lang == "ja" else en


def _terms(match: Match, w: Words) -> str:
    if not match.terms:
        return _pick(w, "No words in common with the need", "ニーズとの共通語はありません")
    sep = "、" if w.lang == "ja" else ", "
    return _pick(w, "Words in common: ", "共通する語：") + sep.join(match.terms)


def _sector(need: NeedProfile, tech: TechProfile, w: Words) -> str:
    if need.sector == tech.sector:
        return _pick(w, "Same sector: ", "同じ分野：") + w.sector(need.sector)
    return _pick(
        w,
        f"Another sector: {w.sector(tech.sector)} (the need is {w.sector(need.sector)})",
        f"分野が異なります：{w.sector(tech.sector)}（ニーズは{w.sector(need.sector)}）",
    )


def _country(need: NeedProfile, tech: TechProfile, partners: frozenset[str], w: Words) -> str:
    if not need.country:
        return _pick(w, "The need names no country", "ニーズに国の記載はありません")
    name = w.country(need.country)
    if need.country not in partners:
        return _pick(
            w, f"{name} is not a JCM partner country", f"{name}はJCMパートナー国ではありません"
        )
    if need.country in tech.countries:
        return _pick(w, f"Already offered in {name}", f"{name}で提供実績があります")
    if not tech.countries:
        return _pick(w, "The supplier names no countries yet", "提供者は対象国を挙げていません")
    return _pick(w, f"Not yet offered in {name}", f"{name}での提供実績はまだありません")


def _capacity(need: NeedProfile, tech: TechProfile, unit: str, w: Words) -> str:
    low, high = tech.capacity_min, tech.capacity_max
    if need.capacity is None or (low is None and high is None):
        return _pick(w, "Capacity not stated on both sides", "規模の記載がないため比較できません")
    asked = f"{w.amount(need.capacity)} {unit}".strip()
    span = f"{w.amount(low)}–{w.amount(high)} {unit}".strip()
    if low is not None and need.capacity < low:
        return _pick(
            w, f"{asked} is below the range of {span}", f"{asked}は対応範囲（{span}）を下回ります"
        )
    if high is not None and need.capacity > high:
        return _pick(
            w, f"{asked} is above the range of {span}", f"{asked}は対応範囲（{span}）を上回ります"
        )
    return _pick(
        w, f"{asked} is inside the range of {span}", f"{asked}は対応範囲（{span}）の内です"
    )


def _budget(need: NeedProfile, tech: TechProfile, w: Words) -> str:
    if need.budget_jpy is None or tech.price_min_jpy is None:
        return _pick(w, "Budget or price not stated", "予算または価格の記載がありません")
    budget, price = w.yen(need.budget_jpy), w.yen(tech.price_min_jpy)
    if need.budget_jpy >= tech.price_min_jpy:
        return _pick(
            w,
            f"The budget of {budget} covers the lowest price of {price}",
            f"予算{budget}で最低価格{price}をまかなえます",
        )
    return _pick(
        w,
        f"The budget of {budget} is below the lowest price of {price}",
        f"予算{budget}は最低価格{price}に届きません",
    )


def reasons(
    match: Match,
    need: NeedProfile,
    tech: TechProfile,
    partners: frozenset[str],
    unit: str,
    words: Words,
) -> list[str]:
    """One sentence per part of the score, in the order the score weighs them."""
    return [
        _terms(match, words),
        _sector(need, tech, words),
        _country(need, tech, partners, words),
        _capacity(need, tech, unit, words),
        _budget(need, tech, words),
    ]
