"""The shipped bilingual demo catalogue: technologies, partner needs and labelled pairs."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from importlib.resources import files

from jcm.platform.rules import Matcher, NeedProfile, TechProfile, precision_at_k


def _rows(name: str) -> list[dict[str, str]]:
    text = files("jcm.platform").joinpath("data", name).read_text(encoding="utf-8")
    return list(csv.DictReader(text.splitlines()))


def technology_rows() -> list[dict[str, str]]:
    return _rows("technologies.csv")


def need_rows() -> list[dict[str, str]]:
    return _rows("needs.csv")


def labelled_pairs() -> list[tuple[str, str, bool]]:
    return [(r["need"], r["technology"], r["relevant"] == "1") for r in _rows("labelled_pairs.csv")]


def _num(value: str) -> float | None:
    return float(value) if value.strip() else None


def tech_profile(r: dict[str, str]) -> TechProfile:
    """A technology row (CSV or database item) as the matcher sees it."""
    text = " ".join(
        r[k] for k in ("name_en", "name_ja", "description_en", "description_ja", "performance_en")
    )
    price = _num(r.get("price_min_jpy", ""))
    return TechProfile(
        key=r["key"],
        sector=r["sector"],
        text=text,
        countries=frozenset(r["countries"].split()),
        capacity_min=_num(r["capacity_min"]),
        capacity_max=_num(r["capacity_max"]),
        price_min_jpy=int(price) if price else None,
    )


def need_profile(r: dict[str, str]) -> NeedProfile:
    """A need row as the matcher sees it; a budget of 0 means "not stated"."""
    budget = _num(r.get("budget_jpy", ""))
    return NeedProfile(
        key=r["key"],
        sector=r["sector"],
        text=" ".join(r[k] for k in ("title_en", "title_ja", "problem_en", "problem_ja")),
        country=r["country"],
        capacity=_num(r["scale"]),
        budget_jpy=int(budget) if budget else None,
    )


@dataclass(frozen=True)
class Evaluation:
    needs: int
    pairs: int
    precision_at_5: float
    text_only_precision_at_5: float


def evaluate(jcm_partners: frozenset[str], k: int = 5) -> Evaluation:
    """Mean precision@k of the ranking over the labelled set, with and without structure."""
    from jcm.platform.rules import Weights

    needs = [need_profile(r) for r in need_rows()]
    techs = [tech_profile(r) for r in technology_rows()]
    pairs = labelled_pairs()
    relevant: dict[str, set[str]] = {}
    for n, t, ok in pairs:
        relevant.setdefault(n, set())
        if ok:
            relevant[n].add(t)
    scores = []
    for weights in (None, Weights(1.0, 0.0, 0.0, 0.0, 0.0)):
        m = (
            Matcher(needs, techs, jcm_partners)
            if weights is None
            else Matcher(needs, techs, jcm_partners, weights)
        )
        per = [
            precision_at_k([x.technology for x in m.technologies_for(n, k)], rel, k)
            for n, rel in relevant.items()
        ]
        scores.append(sum(per) / len(per))
    return Evaluation(len(relevant), len(pairs), round(scores[0], 3), round(scores[1], 3))
