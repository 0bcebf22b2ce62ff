"""Matching rules: bilingual character n-gram TF-IDF, structured fit and explanations.

Pure: NumPy and the standard library only. Character n-grams work for Japanese (no word
boundaries) and English alike, so one index serves both languages.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
from numpy.typing import NDArray

NGRAMS = (2, 3)
_SPACES = re.compile(r"[\s\-_/,.;:()（）、。・「」]+")


@dataclass(frozen=True)
class Weights:
    """How much each part of the fit counts; the parts sum to the score's scale of 1."""

    text: float = 0.45
    sector: float = 0.30
    country: float = 0.10
    capacity: float = 0.08
    budget: float = 0.07


DEFAULT_WEIGHTS = Weights()


@dataclass(frozen=True)
class TechProfile:
    key: str
    sector: str
    text: str
    countries: frozenset[str] = frozenset()
    capacity_min: float | None = None
    capacity_max: float | None = None
    price_min_jpy: int | None = None


@dataclass(frozen=True)
class NeedProfile:
    key: str
    sector: str
    text: str
    country: str = ""
    capacity: float | None = None
    budget_jpy: int | None = None


@dataclass(frozen=True)
class Match:
    """One ranked pair with the reasons for its score."""

    need: str
    technology: str
    score: float
    text_score: float
    terms: tuple[str, ...]
    criteria: dict[str, float] = field(default_factory=dict)

    def explain(self, weights: Weights = DEFAULT_WEIGHTS) -> list[str]:
        lines = [
            f"text relevance {self.text_score:.2f} × {weights.text} (terms: "
            f"{', '.join(self.terms) or '—'})"
        ]
        for name, value in self.criteria.items():
            lines.append(f"{name} {value:.2f} × {getattr(weights, name)}")
        return lines


def normalise(text: str) -> str:
    """NFKC (full-width to half-width), lower case, punctuation runs to one space."""
    return _SPACES.sub(" ", unicodedata.normalize("NFKC", text).lower()).strip()


def ngrams(text: str) -> list[str]:
    """Character n-grams within each word; Japanese runs count as one word."""
    out: list[str] = []
    for word in normalise(text).split(" "):
        padded = f" {word} " if word.isascii() else word
        for n in NGRAMS:
            out += [padded[i : i + n] for i in range(len(padded) - n + 1)]
    return [g for g in out if g.strip()]


class TfIdf:
    """A TF-IDF index over documents, sublinear tf, smoothed idf, L2-normalised rows."""

    def __init__(self, docs: Sequence[str]) -> None:
        counts = [Counter(ngrams(d)) for d in docs]
        df: Counter[str] = Counter()
        for c in counts:
            df.update(c.keys())
        self.vocab = {g: i for i, g in enumerate(sorted(df))}
        n = len(docs)
        self.idf = np.array(
            [math.log((1 + n) / (1 + df[g])) + 1 for g in sorted(df)], dtype=np.float64
        )
        self.matrix = np.vstack([self.vector_of(c) for c in counts]) if counts else np.zeros((0, 0))

    def vector_of(self, counts: Counter[str]) -> NDArray[np.float64]:
        v = np.zeros(len(self.vocab), dtype=np.float64)
        for g, k in counts.items():
            i = self.vocab.get(g)
            if i is not None:
                v[i] = (1 + math.log(k)) * self.idf[i]
        norm = float(np.linalg.norm(v))
        return v / norm if norm else v

    def vector(self, text: str) -> NDArray[np.float64]:
        return self.vector_of(Counter(ngrams(text)))

    def shared_terms(
        self, a: NDArray[np.float64], b: NDArray[np.float64], text: str, k: int = 6
    ) -> tuple[str, ...]:
        """The words of ``text`` (Japanese: its trigrams) adding most to the cosine."""
        contrib = a * b
        scored: dict[str, float] = {}
        for word in normalise(text).split(" "):
            units = [word] if word.isascii() else [word[i : i + 3] for i in range(len(word) - 2)]
            for unit in units:
                value = sum(float(contrib[self.vocab[g]]) for g in ngrams(unit) if g in self.vocab)
                if value > 0 and len(unit) > 2:
                    scored[unit] = max(scored.get(unit, 0.0), value)
        return tuple(sorted(scored, key=lambda w: -scored[w])[:k])


def capacity_fit(need: float | None, low: float | None, high: float | None) -> float:
    """1 inside the technology's range, falling with the ratio outside it; 0.5 if unknown."""
    if need is None or (low is None and high is None):
        return 0.5
    if low is not None and need < low:
        return max(0.0, 1 - math.log10(low / max(need, 1e-9)))
    if high is not None and need > high:
        return max(0.0, 1 - math.log10(need / high))
    return 1.0


def budget_fit(budget: int | None, price_min: int | None) -> float:
    """1 when the budget covers the cheapest offer, less the further it falls short."""
    if budget is None or price_min is None:
        return 0.5
    return 1.0 if budget >= price_min else max(0.0, budget / price_min)


def structured_fit(
    need: NeedProfile, tech: TechProfile, jcm_partners: frozenset[str]
) -> dict[str, float]:
    """Each structured criterion in [0, 1]."""
    country = 1.0 if need.country in tech.countries else 0.5 if not tech.countries else 0.0
    if need.country and need.country not in jcm_partners:
        country = 0.0
    return {
        "sector": 1.0 if need.sector == tech.sector else 0.0,
        "country": country,
        "capacity": capacity_fit(need.capacity, tech.capacity_min, tech.capacity_max),
        "budget": budget_fit(need.budget_jpy, tech.price_min_jpy),
    }


def combine(text_score: float, criteria: dict[str, float], weights: Weights) -> float:
    parts = [float(getattr(weights, k)) * v for k, v in criteria.items()]
    return weights.text * text_score + sum(parts)


class Matcher:
    """Ranks technologies for a need and needs for a technology over one shared index."""

    def __init__(
        self,
        needs: Sequence[NeedProfile],
        techs: Sequence[TechProfile],
        jcm_partners: frozenset[str],
        weights: Weights = DEFAULT_WEIGHTS,
    ) -> None:
        self.needs = {n.key: n for n in needs}
        self.techs = {t.key: t for t in techs}
        self.partners = jcm_partners
        self.weights = weights
        docs = [n.text for n in needs] + [t.text for t in techs]
        self.index = TfIdf(docs)
        self._nv = dict(zip(self.needs, self.index.matrix[: len(needs)], strict=True))
        self._tv = dict(zip(self.techs, self.index.matrix[len(needs) :], strict=True))

    def pair(self, need_key: str, tech_key: str) -> Match:
        need, tech = self.needs[need_key], self.techs[tech_key]
        a, b = self._nv[need_key], self._tv[tech_key]
        text = float(a @ b)
        criteria = structured_fit(need, tech, self.partners)
        return Match(
            need_key,
            tech_key,
            round(combine(text, criteria, self.weights), 4),
            round(text, 4),
            self.index.shared_terms(a, b, need.text),
            criteria,
        )

    def technologies_for(self, need_key: str, k: int = 10) -> list[Match]:
        found = [self.pair(need_key, t) for t in self.techs]
        return sorted(found, key=lambda m: (-m.score, m.technology))[:k]

    def needs_for(self, tech_key: str, k: int = 10) -> list[Match]:
        found = [self.pair(n, tech_key) for n in self.needs]
        return sorted(found, key=lambda m: (-m.score, m.need))[:k]


def precision_at_k(ranked: Sequence[str], relevant: set[str], k: int = 5) -> float:
    """Share of the top k that are relevant, out of min(k, |relevant|) achievable hits."""
    if not relevant:
        return 0.0
    hits = sum(1 for r in ranked[:k] if r in relevant)
    return hits / min(k, len(relevant))
