"""Finding 3: exports quote text a spreadsheet would run as a formula; numbers stay numbers."""

from __future__ import annotations

import csv
import io
import json
from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook
from sqlalchemy import update
from typer.testing import CliRunner

from jcm.cli import app
from jcm.db import Database
from jcm.demo import load_demo
from jcm.exports import neutralise, neutralise_workbook
from jcm.projects.models import Project
from tests.web.helpers import client

EVIL = '=HYPERLINK("http://evil.example","x")'
runner = CliRunner()


@pytest.mark.parametrize(
    "text", [EVIL, "+1+cmd|' /C calc'!A0", "-2+3", "@SUM(A1)", "\tx", "\rx", "＝1+1"]
)
def test_text_that_would_be_a_formula_is_quoted(text: str) -> None:
    assert neutralise(text) == "'" + text


@pytest.mark.parametrize("value", [-5, -2.5, Decimal("-12.25"), 0, "-12.5", "+3", "1e-3", ""])
def test_numbers_and_plain_text_are_left_alone(value: object) -> None:
    assert neutralise(value) == value
    assert type(neutralise(value)) is type(value)
    assert neutralise("Solar PV") == "Solar PV"
    assert neutralise(None) is None


def test_a_workbook_keeps_no_formula_from_text() -> None:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append([EVIL, -3, "ok"])
    out = io.BytesIO()
    neutralise_workbook(book).save(out)
    cells = next(load_workbook(out).worksheets[0].iter_rows())
    assert [c.value for c in cells] == ["'" + EVIL, -3, "ok"]
    assert cells[0].data_type == "s"
    assert cells[1].data_type == "n"


@pytest.fixture
def evil_demo(database: Database) -> Database:
    with database.write() as s:
        load_demo(s)
        ref = s.scalars(Project.__table__.select().with_only_columns(Project.ref)).first()
        s.execute(
            update(Project)
            .where(Project.ref == ref)
            .values(title_en=EVIL, title_ja="@危険", latitude=-33.45, longitude=-70.66)
        )
    return database


def test_the_anonymous_open_data_csv_quotes_a_formula_title(evil_demo: Database) -> None:
    r = client(evil_demo).get("/insight/open-data/projects.csv")
    assert r.status_code == 200
    rows = list(csv.DictReader(io.StringIO(r.content.decode("utf-8-sig"))))
    evil = next(row for row in rows if row["title_en"].endswith(EVIL))
    assert evil["title_en"] == "'" + EVIL
    assert evil["title_ja"] == "'@危険"
    assert (evil["latitude"], evil["longitude"]) == ("-33.45", "-70.66")
    assert not any(v.startswith(("=", "@")) for row in rows for v in row.values())


def test_the_dashboard_xlsx_keeps_no_formula(evil_demo: Database) -> None:
    r = client(evil_demo).get("/insight/annual.xlsx", params={"year": "2022"})
    assert r.status_code == 200
    book = load_workbook(io.BytesIO(r.content))
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            assert all(c.data_type != "f" for c in row)


@pytest.fixture
def cli_db(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("JCM_DATABASE_URL", f"sqlite:///{tmp_path / 'cli.db'}")
    assert runner.invoke(app, ["db", "upgrade"]).exit_code == 0
    assert runner.invoke(app, ["demo", "load"]).exit_code == 0
    source = tmp_path / "evil.csv"
    source.write_text(
        "ref,partner_country,title_en,title_ja,technology,representative_participant,"
        "expected_reduction_tco2_per_year,fiscal_year,latitude,longitude\n"
        f'TH990,THA,"{EVIL.replace(chr(34), chr(34) * 2)}",-危険,solar_pv,@Sun Co.,10,2024,'
        "-13.5,-70.25\n",
        encoding="utf-8",
    )
    result = runner.invoke(app, ["projects", "import", str(source)])
    assert result.exit_code == 0, result.output
    return tmp_path


def test_jcm_projects_export_csv_quotes_a_formula_title(cli_db: Path) -> None:
    result = runner.invoke(app, ["projects", "export", "--format", "csv"])
    assert result.exit_code == 0, result.output
    rows = {r["ref"]: r for r in csv.DictReader(io.StringIO(result.stdout))}
    evil = rows["TH990"]
    assert evil["title_en"] == "'" + EVIL
    assert evil["title_ja"] == "'-危険"
    assert evil["representative_participant"] == "'@Sun Co."
    assert (float(evil["latitude"]), float(evil["longitude"])) == (-13.5, -70.25)


def test_jcm_projects_export_xlsx_quotes_a_formula_title(cli_db: Path) -> None:
    out = cli_db / "all.xlsx"
    result = runner.invoke(app, ["projects", "export", "--format", "xlsx", "-o", str(out)])
    assert result.exit_code == 0, result.output
    sheet = load_workbook(out).worksheets[0]
    header = [c.value for c in sheet[1]]
    rows = [dict(zip(header, (c for c in r), strict=True)) for r in sheet.iter_rows(min_row=2)]
    evil = next(r for r in rows if r["ref"].value == "TH990")
    assert evil["title_en"].value == "'" + EVIL
    assert evil["title_en"].data_type == "s"
    assert evil["expected_reduction_tco2_per_year"].data_type == "n"
    # coordinates are exported as exact decimal text, as before: a number, never quoted
    assert float(evil["longitude"].value) == -70.25
    assert all(c.data_type != "f" for r in rows for c in r.values())


def test_jcm_projects_export_json_is_unchanged(cli_db: Path) -> None:
    result = runner.invoke(app, ["projects", "export", "--format", "json"])
    items = {i["ref"]: i for i in json.loads(result.stdout)}
    assert items["TH990"]["title_en"] == EVIL
