from __future__ import annotations

from jcm.labels import LABELS, label
from jcm.subsidy.demo import demo_applications
from jcm.subsidy.screening import screen
from jcm.subsidy.settings import FY2022


def test_every_screening_rule_has_a_name_in_both_languages() -> None:
    rules = {c["rule"] for a in demo_applications() for c in screen(a, FY2022).as_dict()["checks"]}
    assert "payback_period" in rules
    assert rules <= set(LABELS["screening_rule"])
    assert label("ja", "screening_rule", "payback_period") == "投資回収年数"
    assert label("en", "screening_rule", "representative_is_japanese").startswith("Representative")
