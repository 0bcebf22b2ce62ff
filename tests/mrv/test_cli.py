import json
from pathlib import Path

from typer.testing import CliRunner

from jcm.mrv.cli import app

runner = CliRunner()

CSV = """timestamp,point,parameter,value,unit
2024-01-01T00:00:00+07:00,PV-1,EG,100,kWh
2024-01-01 00:15,PV-1,EG,200,kWh
2024-01-01 00:30,PV-1,EG,300,kWh
2024-01-01 00:45,PV-1,EG,400,kWh
"""

INPUT = {
    "project_id": "ID001",
    "timezone": "Asia/Jakarta",
    "monitoring_period": {"start": "2024-01-01T00:00:00", "end": "2024-01-01T01:00:00"},
    "emission_factor": {"country": "IDN", "grid": "Sumatra", "case": "1"},
    "points": [{"id": "PV-1", "parameter": "EG", "capacity_kw": "2000"}],
}


def _files(tmp_path: Path, csv: str = CSV, data: dict[str, object] | None = None) -> list[str]:
    (tmp_path / "in.json").write_text(json.dumps(data or INPUT))
    (tmp_path / "d.csv").write_text(csv)
    return ["--input", str(tmp_path / "in.json"), "--data", str(tmp_path / "d.csv")]


def test_lists_methodologies_as_json() -> None:
    result = runner.invoke(app, ["methodologies", "--json"])
    assert result.exit_code == 0
    ids = {(m["id"], m["version"]) for m in json.loads(result.output)}
    assert {("TH_AM001", "1.0"), ("PH_AM001", "1.1"), ("TH_AM009", "1.0")} <= ids


def test_shows_one_methodology_with_its_input_format_and_example() -> None:
    result = runner.invoke(app, ["methodologies", "PH_AM001:1.1"])
    assert result.exit_code == 0
    assert "EG_aux" in result.output
    assert "INPUT.json" in result.output
    assert '"monitoring_period"' in result.output


def test_example_input_of_every_methodology_calculates(tmp_path: Path) -> None:
    listing = json.loads(runner.invoke(app, ["methodologies", "--json"]).output)
    for m in listing:
        ref = f"{m['id']}:{m['version']}"
        shown = json.loads(runner.invoke(app, ["methodologies", ref, "--json"]).output)
        (tmp_path / "ex.json").write_text(json.dumps(shown["example_input"]))
        result = runner.invoke(app, ["calc", "-m", ref, "-i", str(tmp_path / "ex.json"), "--json"])
        assert result.exit_code == 0, (ref, result.output)


def test_calc_prints_decimal_strings_and_floored_integer(tmp_path: Path) -> None:
    result = runner.invoke(app, ["calc", "--methodology", "ID_AM017", *_files(tmp_path), "--json"])
    assert result.exit_code == 0, result.output
    out = json.loads(result.output)
    # 1000 kWh = 1 MWh × 0.458 = 0.458 tCO2 → 0 whole tonnes
    assert out["reference_emissions_tco2"] == "0.458"
    assert out["project_emissions_tco2"] == "0"
    assert out["emission_reductions_exact_tco2"] == "0.458"
    assert out["emission_reductions_tco2"] == 0
    assert len(out["provenance"]["input_files"]) == 2
    assert out["provenance"]["methodology"] == {"id": "ID_AM017", "version": "1.0"}


def test_a_bad_row_exits_non_zero_naming_row_and_column_in_both_languages(tmp_path: Path) -> None:
    bad = CSV.replace("300,kWh", "three hundred,kWh")
    result = runner.invoke(app, ["calc", "-m", "ID_AM017", *_files(tmp_path, bad), "--json"])
    assert result.exit_code == 2
    assert "row 4" in result.output
    assert "value" in result.output
    assert "行" in result.output
    assert "Traceback" not in result.output


def test_a_bad_input_field_is_named(tmp_path: Path) -> None:
    data = INPUT | {"points": [{"id": "PV-1", "parameter": "EG", "capacity_kw": "-1"}]}
    result = runner.invoke(app, ["calc", "-m", "ID_AM017", *_files(tmp_path, data=data)])
    assert result.exit_code == 2
    assert "points.0.capacity_kw" in result.output


def test_human_summary_shows_floored_credits(tmp_path: Path) -> None:
    result = runner.invoke(app, ["calc", "-m", "ID_AM017", *_files(tmp_path)])
    assert result.exit_code == 0
    assert "ER = 0 tCO2" in result.output
