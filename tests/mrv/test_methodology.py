"""Methodology parameters, values and the versioned registry (mrv/methodology.py)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from jcm.errors import FieldProblem, NotFound, ValidationFailed
from jcm.mrv.methodology import (
    Criterion,
    Methodology,
    Parameter,
    Registry,
    Side,
    Source,
    Values,
    _version_key,
)

D = Decimal
EF = Parameter(
    "EF",
    "Grid factor",
    "系統係数",
    "tCO2/MWh",
    Source.FIXED_EX_ANTE,
    Side.REFERENCE,
    option="B",
    minimum=D("0.1"),
    maximum=D(2),
    default=D("0.5"),
    per_point=True,
)
EG = Parameter("EG", "Generation", "発電量", "MWh", Source.MONITORED, Side.REFERENCE)


def _methodology(mid: str = "XX_AM001", version: str = "1.0") -> Methodology:
    return Methodology(
        id=mid,
        version=version,
        family="solar_pv",
        title_en="Title",
        title_ja="題名",
        sectoral_scope="1. Energy industries",
        applicability=(Criterion("New equipment.", "新設。"),),
        parameters=(EG, EF),
        reference=lambda v: v["EG"] * v["EF"],
        project=lambda v: D(0),
        equations=("RE = EG × EF", "PE = 0"),
        note="A note.",
    )


@pytest.mark.parametrize("value", ["0.1", "1", "2"])
def test_a_value_on_or_inside_the_bounds_is_allowed(value: str) -> None:
    EF.check_range(D(value))


@pytest.mark.parametrize("value", ["0.0999", "2.0001", "-1"])
def test_a_value_outside_the_bounds_is_refused_with_the_range(value: str) -> None:
    with pytest.raises(ValidationFailed) as caught:
        EF.check_range(D(value))
    assert caught.value.problems == [
        FieldProblem(
            "EF",
            f"{value} tCO2/MWh is outside the allowed range [0.1, 2].",
            f"{value} tCO2/MWh は許容範囲 [0.1, 2] の外です。",
        )
    ]


def test_an_open_bound_is_shown_as_infinity() -> None:
    with pytest.raises(ValidationFailed) as caught:
        EG.check_range(D(-1))
    assert caught.value.problems[0].message_en == "-1 MWh is outside the allowed range [0, ∞]."
    upper_only = Parameter(
        "X", "x", "x", "1", Source.DEFAULT, Side.PROJECT, minimum=None, maximum=D(1)
    )
    upper_only.check_range(D(-(10**9)))
    with pytest.raises(ValidationFailed) as caught:
        upper_only.check_range(D(3))
    assert caught.value.problems[0].message_ja == "3 1 は許容範囲 [-∞, 1] の外です。"
    unbounded = Parameter("Y", "y", "y", "1", Source.DEFAULT, Side.PROJECT, minimum=None)
    unbounded.check_range(D(-(10**9)))
    unbounded.check_range(D(10**9))


def test_a_parameter_is_published_with_every_field() -> None:
    assert EF.as_dict() == {
        "symbol": "EF",
        "description_en": "Grid factor",
        "description_ja": "系統係数",
        "unit": "tCO2/MWh",
        "source": "fixed_ex_ante",
        "side": "reference",
        "monitoring_option": "B",
        "minimum": "0.1",
        "maximum": "2",
        "default": "0.5",
        "per_point": True,
    }
    bare = Parameter("Z", "z", "ず", "1", Source.MONITORED, Side.PROJECT, minimum=None)
    published = bare.as_dict()
    assert (published["minimum"], published["maximum"], published["default"]) == (None, None, None)
    assert (published["monitoring_option"], published["per_point"]) == (None, False)


def test_a_value_is_its_scalar_or_the_sum_over_points() -> None:
    v = Values(scalars={"EF": D("0.5")}, points={"EG": {"a": D(2), "b": D(3)}, "EF": {"a": D(9)}})
    assert v["EF"] == D("0.5")  # a scalar wins over points of the same symbol
    assert v["EG"] == D(5)
    missing = v["nothing"]
    assert missing == 0
    assert isinstance(missing, Decimal)
    assert v.per_point("EG") == {"a": D(2), "b": D(3)}
    assert v.per_point("nothing") == {}


def test_a_methodology_finds_its_parameters_by_symbol() -> None:
    m = _methodology()
    assert m.key == "XX_AM001:1.0"
    assert m.parameter("EF") is EF
    with pytest.raises(NotFound) as caught:
        m.parameter("NCV")
    assert caught.value.message_en == "Parameter NCV of XX_AM001:1.0 was not found."
    assert caught.value.message_ja == "パラメータ NCV of XX_AM001:1.0 が見つかりません。"


def test_a_methodology_is_published_with_its_summary_and_details() -> None:
    m = _methodology()
    summary = {
        "id": "XX_AM001",
        "version": "1.0",
        "family": "solar_pv",
        "title_en": "Title",
        "title_ja": "題名",
        "sectoral_scope": "1. Energy industries",
    }
    assert m.summary() == summary
    assert m.as_dict() == summary | {
        "applicability": [{"en": "New equipment.", "ja": "新設。"}],
        "parameters": [EG.as_dict(), EF.as_dict()],
        "equations": ["RE = EG × EF", "PE = 0"],
        "note": "A note.",
    }


def test_the_registry_orders_versions_numerically_and_gives_the_latest() -> None:
    registry = Registry(
        [_methodology("B", "1.10"), _methodology("B", "1.9"), _methodology("A", "2.0")]
    )
    assert [m.key for m in registry.all()] == ["A:2.0", "B:1.9", "B:1.10"]
    assert registry.get("B").version == "1.10"
    assert registry.get("B", "1.9").version == "1.9"
    assert registry.parse(" B : 1.9 ").version == "1.9"
    assert registry.parse("B").version == "1.10"
    assert registry.parse("B:").version == "1.10"


def test_an_unknown_methodology_or_version_is_not_found() -> None:
    registry = Registry([_methodology("B", "1.0")])
    with pytest.raises(NotFound) as caught:
        registry.get("B", "2.0")
    assert caught.value.message_en == "Methodology B:2.0 was not found."
    assert caught.value.message_ja == "方法論 B:2.0 が見つかりません。"
    with pytest.raises(NotFound) as caught:
        registry.get("C")
    assert caught.value.message_en == "Methodology C was not found."


@pytest.mark.parametrize(
    ("version", "key"),
    [("1.0", (1, 0)), ("1.10", (1, 10)), ("v2.a", (2, 0)), ("3", (3,)), ("2.1b", (2, 1))],
)
def test_a_version_sorts_by_the_digits_of_each_part(version: str, key: tuple[int, ...]) -> None:
    assert _version_key(version) == key
