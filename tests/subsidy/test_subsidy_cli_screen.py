import json

from subsidy_factories import make_record
from typer.testing import CliRunner

from jcm.subsidy.cli import app

runner = CliRunner()


def test_screen_prints_the_verdict_and_every_check_as_json(tmp_path):
    path = tmp_path / "application.json"
    path.write_text(json.dumps(make_record()), encoding="utf-8")
    result = runner.invoke(app, ["screen", str(path), "--call", "FY2022", "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["eligible"] is True
    assert data["max_subsidy_jpy"] == 200_000_000
    assert data["rate_cap"] == "0.5"
    assert data["cost_effectiveness_jpy_per_tco2"] == "2941.18"
    assert data["payback_years"] == "8.00"
    assert len(data["checks"]) == 10


def test_screen_without_json_prints_a_table(tmp_path):
    path = tmp_path / "application.json"
    path.write_text(json.dumps(make_record(requested_subsidy_jpy=250_000_000)), encoding="utf-8")
    result = runner.invoke(app, ["screen", str(path)])
    assert result.exit_code == 0, result.output
    assert "subsidy_within_rate_cap" in result.stdout
    assert "fail" in result.stdout


def test_screen_with_a_bad_field_exits_nonzero_naming_it_in_both_languages(tmp_path):
    path = tmp_path / "application.json"
    path.write_text(json.dumps(make_record(initial_investment_jpy="many")), encoding="utf-8")
    result = runner.invoke(app, ["screen", str(path), "--json"])
    assert result.exit_code == 2
    assert "initial_investment_jpy" in result.stderr
    assert "整数ではありません" in result.stderr
    assert "Traceback" not in result.output


def test_screen_uses_a_call_settings_file(tmp_path):
    from jcm.subsidy.settings import FY2022
    from jcm.subsidy.settings_json import dump_call_settings

    settings = dump_call_settings(FY2022)
    settings["ceiling_jpy"] = 50_000_000
    (tmp_path / "call.json").write_text(json.dumps(settings), encoding="utf-8")
    (tmp_path / "a.json").write_text(json.dumps(make_record()), encoding="utf-8")
    result = runner.invoke(
        app,
        ["screen", str(tmp_path / "a.json"), "--call-file", str(tmp_path / "call.json"), "--json"],
    )
    assert json.loads(result.stdout)["eligible"] is False


def test_an_unknown_call_is_refused(tmp_path):
    (tmp_path / "a.json").write_text(json.dumps(make_record()), encoding="utf-8")
    result = runner.invoke(app, ["screen", str(tmp_path / "a.json"), "--call", "FY1999"])
    assert result.exit_code == 2
    assert "FY1999" in result.stderr


def test_a_missing_file_is_a_clean_error(tmp_path):
    result = runner.invoke(app, ["screen", str(tmp_path / "none.json")])
    assert result.exit_code == 2
    assert "Traceback" not in result.output
