"""The calculation input built from the methodology's form, without I/O."""

from __future__ import annotations

from datetime import date

import pytest

from jcm.errors import ValidationFailed
from jcm.mrv import input_form
from jcm.mrv.api import REGISTRY
from jcm.mrv.factors import all_factors
from jcm.mrv.inputs import parse_input


def test_a_pv_form_chooses_the_factor_and_names_the_project_meter() -> None:
    m = REGISTRY.get("KE_AM002", "1.0")
    spec = input_form.spec(m, "KEN", list(all_factors()))
    assert spec.ef_parameter == "EF"
    assert spec.fixed == []
    assert spec.timezone == "Africa/Nairobi"
    assert {f.country for f in spec.factors} == {"KEN"}
    assert spec.points[0]["id"] == "EG-1"
    assert len(spec.points) == input_form.POINT_ROWS
    fields = {
        "timezone": "Africa/Nairobi",
        "emission_factor": spec.factor_key,
        "point.0.id": "PV-1",
        "point.0.parameter": "EG",
        "point.0.interval": "15",
        "point.0.capacity": "4300",
    }
    built = input_form.build(m, spec, "KE101", date(2024, 5, 1), date(2024, 5, 31), fields)
    assert built["monitoring_period"] == {
        "start": "2024-05-01T00:00:00",
        "end": "2024-06-01T00:00:00",
    }
    assert built["emission_factor"]["country"] == "KEN"
    assert built["points"] == [
        {
            "id": "PV-1",
            "parameter": "EG",
            "kind": "interval",
            "interval_minutes": "15",
            "capacity_kw": "4300",
        }
    ]
    assert parse_input(built).points[0].interval_minutes == 15


def test_missing_values_are_refused_by_field() -> None:
    m = REGISTRY.get("GEN_EB001", "1.0")
    spec = input_form.spec(m, "THA", list(all_factors()))
    assert [p.symbol for p in spec.fixed] == ["eta_project"]
    with pytest.raises(ValidationFailed) as refused:
        input_form.build(m, spec, "TH101", date(2024, 1, 1), date(2024, 1, 31), {})
    fields = [p.field for p in refused.value.problems]
    assert fields == ["param.eta_project", "point.0.id"]


def test_the_previous_input_prefills_the_form() -> None:
    m = REGISTRY.get("KE_AM002", "1.0")
    previous = {
        "timezone": "UTC",
        "emission_factor": {"country": "KEN", "grid": "captive_diesel", "case": "captive"},
        "points": [{"id": "M-7", "parameter": "EG", "interval_minutes": 30}],
    }
    spec = input_form.spec(m, "KEN", list(all_factors()), previous)
    assert spec.timezone == "UTC"
    assert spec.factor_key.startswith("captive_diesel|captive|")
    assert (spec.points[0]["id"], spec.points[0]["interval"]) == ("M-7", "30")


def test_the_template_has_one_row_per_interval_of_each_point() -> None:
    m = REGISTRY.get("KE_AM002", "1.0")
    spec = input_form.spec(m, "KEN", list(all_factors()))
    rows = list(input_form.template_rows(spec, date(2024, 2, 1), date(2024, 2, 29)))
    assert rows[0] == ["timestamp", "point", "parameter", "value", "unit"]
    assert rows[1] == ["2024-02-01T01:00:00", "EG-1", "EG", "", "MWh"]
    assert rows[-1][0] == "2024-03-01T00:00:00"
    assert len(rows) == 1 + 29 * 24
