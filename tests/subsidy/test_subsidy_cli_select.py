import json

from typer.testing import CliRunner

from jcm.subsidy.cli import app
from jcm.subsidy.demo import demo_applications

runner = CliRunner()


def write_demo(tmp_path):
    path = tmp_path / "apps.json"
    path.write_text(
        json.dumps([a.as_dict() for a in demo_applications()], ensure_ascii=False), encoding="utf-8"
    )
    return path


def test_select_prints_the_portfolio_as_json(tmp_path):
    result = runner.invoke(
        app,
        [
            "select",
            str(write_demo(tmp_path)),
            "--call",
            "FY2022",
            "--budget-jpy",
            "9000000000",
            "--json",
        ],
    )
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    for key in (
        "selected",
        "total_subsidy_jpy",
        "total_lifetime_reduction_tco2",
        "optimality_gap",
        "greedy_total_lifetime_reduction_tco2",
        "spend_by_fiscal_year",
        "lp_bound",
        "binding_constraints",
        "left_out",
        "sensitivity",
    ):
        assert key in data
    assert sum(data["budget_jpy_by_fiscal_year"].values()) == 9_000_000_000
    assert all(
        data["spend_by_fiscal_year"][y] <= b for y, b in data["budget_jpy_by_fiscal_year"].items()
    )
    assert data["total_lifetime_reduction_tco2"] >= data["greedy_total_lifetime_reduction_tco2"]


def test_select_reads_a_policy_file_and_must_exclude_options(tmp_path):
    policy = tmp_path / "policy.json"
    policy.write_text(
        json.dumps({"country_caps": [{"key": "*", "max_projects": 2}]}), encoding="utf-8"
    )
    result = runner.invoke(
        app,
        [
            "select",
            str(write_demo(tmp_path)),
            "--policy",
            str(policy),
            "--must-exclude",
            "ILL-13",
            "--json",
        ],
    )
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert "ILL-13" not in data["selected"]
    countries = [i for i in data["selected"] if i in ("ILL-13", "ILL-14", "ILL-15", "ILL-16")]
    assert len(countries) <= 2


def test_select_with_an_impossible_must_include_fails_cleanly(tmp_path):
    args = [
        "select",
        str(write_demo(tmp_path)),
        "--budget-jpy",
        "1000000000",
        "--must-include",
        "ILL-13",
    ]
    result = runner.invoke(app, args)
    assert result.exit_code == 2
    assert "must-include" in result.stderr
    assert "必須採択" in result.stderr


def test_select_prints_a_table_without_json(tmp_path):
    result = runner.invoke(app, ["select", str(write_demo(tmp_path)), "--budget-jpy", "9000000000"])
    assert result.exit_code == 0, result.output
    assert "would need" in result.stdout


def test_select_rejects_a_file_with_bad_rows_naming_them(tmp_path):
    path = tmp_path / "apps.csv"
    path.write_text("id,partner_country\nA,VNM\n", encoding="utf-8")
    result = runner.invoke(app, ["select", str(path)])
    assert result.exit_code == 2
    assert "row 2" in result.stderr
    assert "行 2" in result.stderr


def test_template_writes_a_workbook(tmp_path):
    result = runner.invoke(app, ["template", str(tmp_path / "t.xlsx")])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "t.xlsx").stat().st_size > 0
