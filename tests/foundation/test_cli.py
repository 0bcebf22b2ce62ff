from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from jcm.cli import app

runner = CliRunner()


@pytest.fixture
def demo_db(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("JCM_DATABASE_URL", f"sqlite:///{tmp_path / 'cli.db'}")
    assert runner.invoke(app, ["db", "upgrade"]).exit_code == 0
    result = runner.invoke(app, ["demo", "load"])
    assert result.exit_code == 0, result.output
    return tmp_path


def test_the_fy2022_deck_projects_are_listed_with_their_reductions(demo_db: Path) -> None:
    result = runner.invoke(app, ["projects", "list", "--fiscal-year", "2022", "--json"])
    items = json.loads(result.stdout)
    assert len(items) == 16
    assert sum(i["expected_reduction_tco2_per_year"] for i in items) == 235_401
    assert {i["partner_country"] for i in items} == {"KEN", "VNM", "IDN", "THA", "PHL"}


def test_a_malformed_import_exits_non_zero_names_rows_and_writes_nothing(demo_db: Path) -> None:
    bad = demo_db / "bad.csv"
    bad.write_text(
        "ref,partner_country,title_en,title_ja,technology,representative_participant,"
        "expected_reduction_tco2_per_year,fiscal_year\n"
        "TH900,THA,Fine,良い,solar_pv,Sun Co.,10,2024\n"
        "TH901,THA,Bad,悪い,solar_pv,Sun Co.,-3,2024\n"
        "TH902,THA,Bad,悪い,no_such_tech,Sun Co.,10,2024\n",
        encoding="utf-8",
    )
    result = runner.invoke(app, ["projects", "import", str(bad)])
    assert result.exit_code == 2
    assert "row 3, expected_reduction_tco2_per_year" in result.stderr
    assert "row 4, technology" in result.stderr
    listed = json.loads(
        runner.invoke(app, ["projects", "list", "--fiscal-year", "2024", "--json"]).stdout
    )
    assert listed == []


def test_export_then_import_round_trips_into_a_fresh_database(
    demo_db: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "all.xlsx"
    assert (
        runner.invoke(app, ["projects", "export", "--format", "xlsx", "-o", str(out)]).exit_code
        == 0
    )
    monkeypatch.setenv("JCM_DATABASE_URL", f"sqlite:///{tmp_path / 'fresh.db'}")
    assert runner.invoke(app, ["db", "upgrade"]).exit_code == 0
    result = runner.invoke(app, ["projects", "import", str(out)])
    assert result.exit_code == 0, result.output
    items = json.loads(runner.invoke(app, ["projects", "list", "--json"]).stdout)
    assert len(items) == 26
