"""The QA fast path (answered from the ingest catalogue) agrees with the reference QA."""

from dataclasses import replace
from datetime import UTC, datetime, timedelta
from typing import Any
from unittest.mock import patch

import polars as pl
from hypothesis import given, settings
from hypothesis import strategies as st
from mrv_helpers import hour_input

from jcm.errors import ImportRejected, ValidationFailed
from jcm.mrv import demo, ingest
from jcm.mrv.calc import calculate
from jcm.mrv.ingest import MonitoringData, from_frame
from jcm.mrv.inputs import CalcInput, parse_input
from jcm.mrv.methodologies import REGISTRY

PV = REGISTRY.get("TH_AM001")


def _outcome(inputs: CalcInput, data: MonitoringData) -> Any:
    try:
        r = calculate(PV, inputs, data)
        return {
            "er": r.emission_reductions,
            "er_exact": r.emission_reductions_exact,  # compared as numbers, not as text
            "re": r.reference_emissions,
            "pe": r.project_emissions,
            "counts": r.qa.counts(),
            "issues": [(i.check, i.point, i.count, i.examples) for i in r.qa.issues],
            "series": [(s.point, s.unit, s.readings, s.credited) for s in r.qa.series],
        }
    except (ImportRejected, ValidationFailed) as exc:
        return type(exc).__name__, [p.message_en for p in exc.problems]


def _text(outcome: Any) -> str:
    return repr(outcome)


def _agree(inputs: CalcInput, data: MonitoringData) -> Any:
    assert data.catalogue is not None
    fast = _outcome(inputs, data)
    assert fast == _outcome(inputs, replace(data, catalogue=None))
    return fast


def test_fast_path_agrees_on_the_qa_problem_dataset() -> None:
    df, raw = demo.qa_problem_dataset()
    inputs = parse_input(raw)
    out = _agree(inputs, from_frame(df, "qa.csv", inputs.timezone))
    assert out["counts"]


def test_fast_path_agrees_on_clean_pv_data_with_an_outage() -> None:
    start = datetime(2024, 1, 1, tzinfo=UTC)
    df = demo.pv_readings(3, start.date(), 2).collect()
    df = df.filter(~((pl.col("point") == "PV-0001") & (pl.col("timestamp").dt.hour() == 9)))
    inputs = parse_input(demo.pv_input(3, start.date(), 2))
    out = _agree(inputs, from_frame(df, "pv.parquet", inputs.timezone))
    assert out["counts"] == {"gap": 8}


reading = st.tuples(
    st.integers(0, 9),  # slot (15 minutes each; 8 and 9 fall outside the two-hour period)
    st.sampled_from(["M1", "M2", " M1", "M3"]),
    st.integers(-20, 300).map(str),
    st.sampled_from(["kWh", "kWh", "kWh", "MWh"]),
)


@settings(max_examples=80, deadline=None)
@given(
    rows=st.lists(reading, max_size=16),
    cumulative=st.booleans(),
    calibrated=st.sampled_from([None, "2024-01-01T01:00:00", "2024-01-02T00:00:00"]),
    declare_m3=st.booleans(),
    head=st.sampled_from([1, 3, 1 << 17]),
)
def test_fast_path_agrees_on_random_small_datasets(
    rows: list[tuple[int, str, str, str]],
    cumulative: bool,
    calibrated: str | None,
    declare_m3: bool,
    head: int,
) -> None:
    t0 = datetime(2024, 1, 1)
    records = [
        ((t0 + timedelta(minutes=15 * s)).isoformat() + "Z", p, "EG", v, u) for s, p, v, u in rows
    ]
    df = pl.DataFrame(
        records,
        schema={c: pl.String for c in ("timestamp", "point", "parameter", "value", "unit")},
        orient="row",
    )
    m2: dict[str, Any] = {"id": "M2", "parameter": "EG", "capacity_kw": "1000"}
    if cumulative:
        m2["kind"] = "cumulative"
    if calibrated:
        m2["calibration"] = [{"valid_from": "2023-01-01T00:00:00", "valid_to": calibrated}]
    points = [{"id": "M1", "parameter": "EG", "capacity_kw": "1000"}, m2]
    if declare_m3:
        points.append({"id": "M3", "parameter": "EG", "capacity_kw": "1000"})
    inputs = hour_input(points, hours=2)
    # A short head leaves the catalogue to the line sums and, past it, to the three-string keys.
    with patch.object(ingest, "_HEAD", head):
        data = from_frame(df, "random.csv", "UTC")
    first = _agree(inputs, data)
    # Duplicates (also in other units) are de-duplicated deterministically: the same outcome,
    # down to the text of every credited quantity, on every run.
    for _ in range(3):
        assert _text(_outcome(inputs, replace(data, catalogue=None))) == _text(first)
