"""Properties of the calculation that must hold for any data."""

from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st
from mrv_helpers import frame_of, hour_input, make_input, q, series, total

from jcm.mrv.calc import calculate
from jcm.mrv.methodologies import REGISTRY

PV = REGISTRY.get("TH_AM001")
readings = st.lists(st.one_of(st.none(), st.integers(-20, 300).map(str)), min_size=8, max_size=8)
SLOW = settings(max_examples=25, deadline=None)


def _er(values: list[str | None]) -> tuple[Decimal, Decimal]:
    point = {"id": "M1", "parameter": "EG", "capacity_kw": "1000"}
    r = calculate(PV, hour_input([point], hours=2), frame_of(series("M1", values)))
    return r.emission_reductions_exact, r.reference_emissions


@SLOW
@given(values=readings, drop=st.sets(st.integers(0, 7)))
def test_more_missing_data_never_raises_reductions(
    values: list[str | None], drop: set[int]
) -> None:
    if all(v is None for v in values):
        values = ["1", *values[1:]]
    fewer = [None if i in drop else v for i, v in enumerate(values)]
    if all(v is None for v in fewer):
        return
    assert _er(fewer)[0] <= _er(values)[0]


@SLOW
@given(values=readings)
def test_a_gap_is_never_credited(values: list[str | None]) -> None:
    if all(v is None for v in values):
        return
    credited = _er(values)[1]
    valid = sum((Decimal(v) for v in values if v is not None and 0 <= int(v) <= 250), Decimal(0))
    # only present, valid readings count: kWh → MWh × 0.5 tCO2/MWh
    assert credited == valid / 1000 * Decimal("0.5")


@settings(max_examples=40, deadline=None)
@given(
    gas=st.decimals(min_value=0, max_value=10**7, places=2),
    power=st.decimals(min_value=0, max_value=10**5, places=3),
    heat=st.decimals(min_value=0, max_value=10**6, places=1),
)
def test_reductions_never_exceed_reference_emissions(
    gas: Decimal, power: Decimal, heat: Decimal
) -> None:
    inputs = make_input(
        [
            total("E", "EC", str(power), "MWh"),
            total("H", "HG", str(heat), "GJ"),
            total("F", "FC", str(gas), "Nm3"),
        ],
        {"EF_elec": q("0.5113", "tCO2/MWh")},
    )
    r = calculate(REGISTRY.get("TH_AM009"), inputs)
    assert r.emission_reductions_exact <= r.reference_emissions
    assert 0 <= r.emission_reductions <= max(r.reference_emissions, Decimal(0))
