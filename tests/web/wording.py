"""What a person should never read on a page: the machine's names for things. Shared by the
crawl in test_accessibility and the features' page tests."""

from __future__ import annotations

import re

from jcm.labels import LABELS
from jcm.web.i18n import catalogs

SNAKE = re.compile(r"\b[a-z]+_[a-z_]+\b")
LITERALS = re.compile(r"\b(True|False|None)\b")
BARE_INTEGER = re.compile(r"(?<![\d.,/:\-#])\d{5,}(?![\d.,/:\-])")
KEYS = {code for group in LABELS.values() for code in group if "_" in code}
ENGLISH = {
    m.id
    for c in catalogs("ja")
    for m in c
    if isinstance(m.id, str) and m.string and m.string != m.id and len(m.id) > 3
} | {en for group in LABELS.values() for en, ja in group.values() if en != ja and len(en) > 3}


def text_problems(texts: list[str], lang: str) -> list[str]:
    """What in ``texts`` is a machine's name for something rather than a person's."""
    found = []
    for text in texts:
        for pattern, what in ((SNAKE, "key"), (LITERALS, "literal"), (BARE_INTEGER, "number")):
            hit = pattern.search(text)
            if hit:
                found.append(f"{what} {hit.group(0)!r} in {text[:80]!r}")
        if '{"' in text:
            found.append(f"raw JSON in {text[:80]!r}")
        if text in KEYS:
            found.append(f"label key {text!r}")
        if lang == "ja" and text in ENGLISH:
            found.append(f"English {text[:80]!r}")
    return found
